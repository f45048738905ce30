#include "eventhistory.h"

#include <algorithm>

EventHistory::EventHistory(const HistoryLimits &limits)
{
    setLimits(limits);
}

void EventHistory::append(EventPointer event)
{
    Q_ASSERT(event && event->id > m_lastId);
    m_lastId = event->id;
    m_bytes += event->dataSize();
    m_events.push_back(std::move(event));
    trim();
}

EventReplay EventHistory::replayAfter(quint64 lastEventId, const EventFilter &isVisible) const
{
    EventReplay replay;
    const quint64 firstRetainedId = m_events.empty() ? m_lastId + 1 : m_events.front()->id;
    replay.gap = lastEventId + 1 < firstRetainedId || lastEventId > m_lastId;

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
        m_events.pop_front();
    }
}
