#pragma once

#include "event.h"

#include <QList>

#include <deque>
#include <functional>

/// How much history is kept: whichever limit is reached first drops the oldest events.
struct HistoryLimits
{
    int maxEvents = 1000;
    qint64 maxBytes = 64 * 1024 * 1024; ///< of event text (see Event::dataSize())
};

/// Which events a stream may see (see Event::isVisibleTo()).
using EventFilter = std::function<bool(const Event &)>;

/// The events a stream resuming after an id gets.
struct EventReplay
{
    QList<EventPointer> events; ///< in id order
    bool gap = false; ///< some events after the requested id are no longer retained
};

/// The bounded list of recent events that reconnecting clients are replayed from, in memory.
class EventHistory
{
public:
    explicit EventHistory(const HistoryLimits &limits = {});

    /// Appends \a event, whose id must be greater than every id seen so far, and drops the
    /// oldest events beyond the limits.
    void append(EventPointer event);

    /// The retained events after \a lastEventId that \a isVisible accepts.
    /// A client whose id is older than what is retained, or newer than anything this history
    /// has seen (its server lost its history), gets everything retained and gap = true.
    EventReplay replayAfter(quint64 lastEventId, const EventFilter &isVisible) const;
    /// Takes the event \a id out of history; null when it is not retained.
    EventPointer remove(quint64 id);
    /// The retained event \a id, or null.
    EventPointer find(quint64 id) const;

    /// The newest \a count retained events that \a isVisible accepts, in id order.
    QList<EventPointer> latest(int count, const EventFilter &isVisible) const;

    void setLimits(const HistoryLimits &limits);
    const HistoryLimits &limits() const { return m_limits; }
    int size() const { return int(m_events.size()); }
    /// The text of the retained events, in bytes.
    qint64 bytes() const { return m_bytes; }
    /// The highest id ever appended (also when it has been dropped since), 0 when none.
    quint64 lastId() const { return m_lastId; }
    /// Resumes numbering after a restart whose retained history may be empty.
    void setLastId(quint64 id);
    QList<EventPointer> events() const;

private:
    void trim();

    std::deque<EventPointer> m_events;
    HistoryLimits m_limits;
    qint64 m_bytes = 0;
    quint64 m_lastId = 0;
    /// Every id up to this one that is not retained was dropped or never seen: a client resuming
    /// before it has missed something. Retractions do not raise it, as nothing retracted is missed.
    quint64 m_missingThrough = 0;
};
