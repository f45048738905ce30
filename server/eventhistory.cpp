#include "eventhistory.h"

#include <algorithm>

EventHistory::EventHistory(int capacity)
    : m_capacity(qMax(0, capacity))
{
}

void EventHistory::append(EventPointer event)
{
    Q_ASSERT(event && event->id > m_lastId);
    m_lastId = event->id;
    m_events.push_back(std::move(event));
    trim();
}

EventHistory::Replay EventHistory::replayAfter(
        quint64 lastEventId, const std::function<bool(const Event &)> &isVisible) const
{
    Replay replay;
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

void EventHistory::setCapacity(int capacity)
{
    m_capacity = qMax(0, capacity);
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
    while (m_events.size() > size_t(m_capacity))
        m_events.pop_front();
}
