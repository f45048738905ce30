#pragma once

#include "servicetypes.h"
#include "streamrequest.h"

#include <QByteArray>

/// A stream whose request has been accepted, ready to be handed to the shards: what the HTTP
/// API gives the service for each new event stream.
struct StreamAdmission
{
    int fd = -1; ///< the service owns it from here on
    StreamRequest request;
    StreamInfo info; ///< who connected: its address and user agent
    QByteArray responseHead; ///< the answer's status line and headers, written first
};
