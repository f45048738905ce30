#pragma once

#include "event.h"
#include "messagefilter.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

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
    /// ntfy's since=<time>: open with the retained events published from this time on
    /// (milliseconds since the Unix epoch); -1 for none.
    qint64 sinceMs = -1;
    /// ntfy's poll=1: send what it catches up on, then end, without live events.
    bool poll = false;
    /// ntfy's filters; null when none is given.
    std::shared_ptr<const MessageFilter> filter;

    /// Whether this stream sees \a event: Herald's routing rule for its format and its filters.
    bool sees(const Event &event, const QString &streamClientId) const
    {
        return streamSees(event, streamClientId, topics, format, filter.get());
    }
};
