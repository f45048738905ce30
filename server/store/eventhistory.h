#pragma once

#include "event.h"
#include "historylimits.h"

#include <QList>

#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <vector>

/// Which events a stream may see (see Event::isVisibleTo()).
using EventFilter = std::function<bool(const Event &)>;

/// The events a stream resuming after an id gets.
struct EventReplay
{
    QList<EventPointer> events; ///< in id order
    bool gap = false; ///< some events after the requested id are no longer retained
};

/// The next piece of a stream's catch-up, taken from history as the stream's socket drains.
struct CatchUpPiece
{
    std::vector<EventPointer> events; ///< in id order
    quint64 coveredThrough = 0; ///< every id up to this one has been looked at
    bool gap = false; ///< events after the stream's position left history before it read them
    quint64 oldestRetainedId = 0; ///< for the herald-gap notice, when there is a gap
    quint64 lastId = 0; ///< likewise
};

/// The bounded list of recent events that reconnecting clients are replayed from, in memory.
///
/// The service thread appends and retracts; stream threads read catch-ups (catchUpAfter()) while
/// it does, so every function takes a lock of its own. Events are shared, never copied.
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
    /// Puts \a edited in the place of the retained event of its id, unless that one is as new
    /// (its revision is not lower); returns the version it replaced, or null.
    EventPointer replace(EventPointer edited);
    /// The id after which the retained events published at or after \a timeMs begin: the id of
    /// the newest one published before it, or the one before the oldest retained.
    quint64 lastIdBefore(qint64 timeMs) const;

    /// The newest \a count retained events that \a isVisible accepts, in id order, as many of
    /// them as fit in \a maxBytes of text (but at least the newest).
    QList<EventPointer> latest(int count, const EventFilter &isVisible,
                               qint64 maxBytes = std::numeric_limits<qint64>::max()) const;

    /// What a stream catching up on the ids after \a afterId, up to \a throughId, reads next:
    /// the retained events among them that \a isVisible accepts, in id order, as many as fit in
    /// \a maxBytes of text (at least one), and never more than a bounded number looked at, so
    /// that the lock is held briefly. When history dropped events after \a afterId meanwhile,
    /// the piece says so (gap) and goes on from what is retained. Thread-safe.
    CatchUpPiece catchUpAfter(quint64 afterId, quint64 throughId, const EventFilter &isVisible, qint64 maxBytes) const;

    void setLimits(const HistoryLimits &limits);
    HistoryLimits limits() const;
    int size() const;
    /// The text of the retained events, in bytes.
    qint64 bytes() const;
    /// The highest id ever appended (also when it has been dropped since), 0 when none.
    quint64 lastId() const;
    /// The id of the oldest retained event, 0 when none is retained.
    quint64 oldestRetainedId() const;
    /// Resumes numbering after a restart whose retained history may be empty.
    void setLastId(quint64 id);
    QList<EventPointer> events() const;

private:
    void trim();
    /// The first retained event with an id above \a id.
    std::deque<EventPointer>::const_iterator firstAfter(quint64 id) const;

    mutable std::mutex m_mutex;
    std::deque<EventPointer> m_events;
    HistoryLimits m_limits;
    qint64 m_bytes = 0;
    quint64 m_lastId = 0;
    /// Every id up to this one that is not retained was dropped or never seen: a client resuming
    /// before it has missed something. Retractions do not raise it, as nothing retracted is missed.
    quint64 m_missingThrough = 0;
};
