#include "eventhistory.h"

#include <algorithm>
#include <utility>

namespace {

// Events a catch-up looks at under the lock at most, visible to the stream or not: a stream
// filtered to a rare topic must not hold up the service while it reads a long history.
constexpr int CatchUpScanLimit = 4096;

} // namespace

EventHistory::EventHistory(const HistoryLimits &limits)
{
    setLimits(limits);
}

void EventHistory::append(EventPointer event)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    Q_ASSERT(event && event->id > m_lastId);
    if (m_lastId == 0)
        m_missingThrough = event->id - 1; // the first this history sees: what came before is gone
    m_lastId = event->id;
    m_bytes += event->dataSize();
    m_events.push_back(std::move(event));
    trim();
}

std::deque<EventPointer>::const_iterator EventHistory::firstAfter(quint64 id) const
{
    return std::upper_bound(m_events.cbegin(), m_events.cend(), id,
                            [](quint64 wanted, const EventPointer &event) { return wanted < event->id; });
}

quint64 EventHistory::lastIdBefore(qint64 timeMs) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    // Times rise with ids (a clock set back aside, which moves the answer by as much).
    const auto first = std::partition_point(m_events.cbegin(), m_events.cend(), [timeMs](const EventPointer &event) {
        return event->publishedAtMs < timeMs;
    });
    if (first != m_events.cbegin())
        return (*(first - 1))->id;
    return m_events.empty() ? m_lastId : m_events.front()->id - 1;
}

EventReplay EventHistory::replayAfter(quint64 lastEventId, const EventFilter &isVisible) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    EventReplay replay;
    replay.gap = lastEventId < m_missingThrough || lastEventId > m_lastId;
    for (auto it = replay.gap ? m_events.cbegin() : firstAfter(lastEventId); it != m_events.cend(); ++it) {
        if (isVisible(**it))
            replay.events.append(*it);
    }
    return replay;
}

CatchUpPiece EventHistory::catchUpAfter(quint64 afterId, quint64 throughId, const EventFilter &isVisible,
                                        qint64 maxBytes) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    CatchUpPiece piece;
    if (afterId < m_missingThrough && afterId < throughId) {
        // History let go of events this stream had yet to read.
        piece.gap = true;
        piece.oldestRetainedId = m_events.empty() ? 0 : m_events.front()->id;
        piece.lastId = m_lastId;
        afterId = qMin(m_missingThrough, throughId);
    }
    piece.coveredThrough = throughId;
    qint64 bytes = 0;
    int looked = 0;
    for (auto it = firstAfter(afterId); it != m_events.cend() && (*it)->id <= throughId; ++it) {
        const Event &event = **it;
        const bool visible = ++looked <= CatchUpScanLimit && isVisible(event);
        if (looked > CatchUpScanLimit || (visible && !piece.events.empty() && bytes + event.dataSize() > maxBytes)) {
            piece.coveredThrough = event.id - 1;
            break;
        }
        if (visible) {
            piece.events.push_back(*it);
            bytes += event.dataSize();
        }
    }
    return piece;
}

EventPointer EventHistory::find(quint64 id) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = std::lower_bound(m_events.cbegin(), m_events.cend(), id,
                                     [](const EventPointer &event, quint64 wanted) { return event->id < wanted; });
    return it != m_events.cend() && (*it)->id == id ? *it : EventPointer();
}

EventPointer EventHistory::remove(quint64 id)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), id,
                                     [](const EventPointer &event, quint64 wanted) { return event->id < wanted; });
    if (it == m_events.end() || (*it)->id != id)
        return {};
    EventPointer removed = std::move(*it);
    m_events.erase(it);
    m_bytes -= removed->dataSize();
    return removed;
}

EventPointer EventHistory::replace(EventPointer edited)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const quint64 id = edited->id;
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), id,
                                     [](const EventPointer &event, quint64 wanted) { return event->id < wanted; });
    if (it == m_events.end() || (*it)->id != id || (*it)->revision >= edited->revision)
        return {};
    m_bytes += edited->dataSize() - (*it)->dataSize();
    EventPointer earlier = std::exchange(*it, std::move(edited));
    trim(); // a longer text may take the history past its bytes
    return earlier;
}

QList<EventPointer> EventHistory::latest(int count, const EventFilter &isVisible, qint64 maxBytes) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    QList<EventPointer> newest;
    qint64 bytes = 0;
    for (auto it = m_events.crbegin(); it != m_events.crend() && newest.size() < count; ++it) {
        if (!isVisible(**it))
            continue;
        bytes += (*it)->dataSize();
        if (!newest.isEmpty() && bytes > maxBytes)
            break;
        newest.append(*it);
    }
    std::reverse(newest.begin(), newest.end());
    return newest;
}

void EventHistory::setLimits(const HistoryLimits &limits)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_limits.maxEvents = qMax(0, limits.maxEvents);
    m_limits.maxBytes = qMax<qint64>(0, limits.maxBytes);
    trim();
}

HistoryLimits EventHistory::limits() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_limits;
}

int EventHistory::size() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return int(m_events.size());
}

qint64 EventHistory::bytes() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_bytes;
}

quint64 EventHistory::lastId() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_lastId;
}

quint64 EventHistory::oldestRetainedId() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_events.empty() ? 0 : m_events.front()->id;
}

void EventHistory::setLastId(quint64 id)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    // With nothing retained, every id up to it is gone.
    if (m_events.empty())
        m_missingThrough = qMax(m_missingThrough, id);
    m_lastId = qMax(m_lastId, id);
}

QList<EventPointer> EventHistory::events() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
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
