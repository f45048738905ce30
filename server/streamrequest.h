#pragma once

#include "event.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

/// What a GET /events asked for, read from its query and its Last-Event-ID header.
struct StreamRequest
{
    QStringList topics; ///< empty: every topic
    QString clientId; ///< empty: Herald names the stream itself
    QString name;
    StreamFormat format = StreamFormat::Plain;
    bool resume = false; ///< a last event id was given
    quint64 lastEventId = 0;
    /// ?rewind=N: open with the newest N retained events this stream may see; 0 for none.
    /// A last event id wins over it.
    int rewind = 0;
    QByteArray token; ///< the ?token= of a private Herald's stream, if any
};

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
