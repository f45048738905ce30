#include "eventhistory.h"

#include <algorithm>

EventHistory::EventHistory(const HistoryLimits &limits)
{
    setLimits(limits);
}

void EventHistory::append(EventPointer event)
{
    Q_ASSERT(event && event->id > m_lastId);
    if (m_lastId == 0)
        m_missingThrough = event->id - 1; // the first this history sees: what came before is gone
    m_lastId = event->id;
    m_bytes += event->dataSize();
    m_events.push_back(std::move(event));
    trim();
}

EventReplay EventHistory::replayAfter(quint64 lastEventId, const EventFilter &isVisible) const
{
    EventReplay replay;
    replay.gap = lastEventId < m_missingThrough || lastEventId > m_lastId;

    auto from = m_events.cbegin();
    if (!replay.gap) {
        from = std::upper_bound(m_events.cbegin(), m_events.cend(), lastEventId,
                                [](quint64 id, const EventPointer &event) { return id < event->id; });
    }
    for (auto it = from; it != m_events.cend(); ++it) {
        if (isVisible(**it))
            replay.events.append(*it);
    }
    return replay;
}

EventPointer EventHistory::find(quint64 id) const
{
    const auto it = std::lower_bound(m_events.cbegin(), m_events.cend(), id,
                                     [](const EventPointer &event, quint64 wanted) { return event->id < wanted; });
    return it != m_events.cend() && (*it)->id == id ? *it : EventPointer();
}

EventPointer EventHistory::remove(quint64 id)
{
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), id,
                                     [](const EventPointer &event, quint64 wanted) { return event->id < wanted; });
    if (it == m_events.end() || (*it)->id != id)
        return {};
    EventPointer removed = std::move(*it);
    m_events.erase(it);
    m_bytes -= removed->dataSize();
    return removed;
}

QList<EventPointer> EventHistory::latest(int count, const EventFilter &isVisible) const
{
    QList<EventPointer> newest;
    for (auto it = m_events.crbegin(); it != m_events.crend() && newest.size() < count; ++it) {
        if (isVisible(**it))
            newest.append(*it);
    }
    std::reverse(newest.begin(), newest.end());
    return newest;
}

void EventHistory::setLimits(const HistoryLimits &limits)
{
    m_limits.maxEvents = qMax(0, limits.maxEvents);
    m_limits.maxBytes = qMax<qint64>(0, limits.maxBytes);
    trim();
}

void EventHistory::setLastId(quint64 id)
{
    // With nothing retained, every id up to it is gone.
    if (m_events.empty())
        m_missingThrough = qMax(m_missingThrough, id);
    m_lastId = qMax(m_lastId, id);
}

QList<EventPointer> EventHistory::events() const
{
    return QList<EventPointer>(m_events.cbegin(), m_events.cend());
}

void EventHistory::trim()
{
    while (!m_events.empty() && (m_events.size() > size_t(m_limits.maxEvents) || m_bytes > m_limits.maxBytes)) {
        m_bytes -= m_events.front()->dataSize();
        m_missingThrough = qMax(m_missingThrough, m_events.front()->id);
        m_events.pop_front();
    }
}
