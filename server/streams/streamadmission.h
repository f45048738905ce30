#pragma once

#include "servicetypes.h"
#include "streamrequest.h"

#include <QByteArray>

#include <memory>

class TlsSession;

/// A stream whose request has been accepted, ready to be handed to the shards: what the HTTP
/// API gives the service for each new event stream.
struct StreamAdmission
{
    int fd = -1; ///< the service owns it from here on
    std::shared_ptr<TlsSession> tls; ///< on the HTTPS port: the connection's TLS
    StreamRequest request;
    StreamInfo info; ///< who connected: its address and user agent
    QByteArray responseHead; ///< the answer's status line and headers, written first
};
