#pragma once

#include "event.h"

#include <QByteArray>
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
