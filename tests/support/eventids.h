#pragma once

#include "event.h"

#include <QList>

/// The ids of \a events, in their order: what a test compares a history or a replay by.
inline QList<quint64> idsOf(const QList<EventPointer> &events)
{
    QList<quint64> ids;
    ids.reserve(events.size());
    for (const EventPointer &event : events)
        ids.append(event->id);
    return ids;
}
