#pragma once

#include "event.h"

#include <QList>

#include <deque>
#include <functional>

/// The bounded list of recent events that reconnecting clients are replayed from.
class EventHistory
{
public:
    explicit EventHistory(int capacity = 1000);

    struct Replay
    {
        QList<EventPointer> events; ///< in id order
        bool gap = false; ///< some events after the requested id are no longer retained
    };

    /// Appends \a event, whose id must be greater than every id seen so far, and drops the
    /// oldest events beyond the capacity.
    void append(EventPointer event);

    /// The retained events after \a lastEventId that \a isVisible accepts.
    /// A client whose id is older than what is retained, or newer than anything this history
    /// has seen (its server lost its history), gets everything retained and gap = true.
    Replay replayAfter(quint64 lastEventId,
                       const std::function<bool(const Event &)> &isVisible) const;

    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    int size() const { return int(m_events.size()); }
    /// The highest id ever appended (also when it has been dropped since), 0 when none.
    quint64 lastId() const { return m_lastId; }
    /// Resumes numbering after a restart whose retained history may be empty.
    void setLastId(quint64 id);
    QList<EventPointer> events() const;

private:
    void trim();

    std::deque<EventPointer> m_events;
    int m_capacity;
    quint64 m_lastId = 0;
};
