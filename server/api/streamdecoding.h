#pragma once

#include "streamrequest.h"

#include <QByteArrayView>
#include <QString>

/// The outcome of decoding a stream request.
struct StreamDecoding
{
    StreamRequest request; ///< its token is set even when the rest is refused
    QString error; ///< why the request is malformed; empty when it is valid

    bool isValid() const { return error.isEmpty(); }
};

/// Decodes the request target of a stream request ("/events?topic=a&client=b") and the value of
/// its Last-Event-ID header, which wins over the lastEventId query parameter, as the README's
/// GET /events section documents. A request for more than \a maxTopics different topics is
/// refused (--max-topics).
StreamDecoding decodeStreamRequest(QByteArrayView target, QByteArrayView lastEventIdHeader, int maxTopics);
