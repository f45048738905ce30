#include "passwaiters.h"

void PassWaiters::waitFor(quint64 events, Action action)
{
    std::deque<Action> due;
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (m_waiting.empty() && events <= m_passed) {
            // Due, with nothing before it: it runs now, and needs no place in the queue.
            lock.unlock();
            action();
            return;
        }
        m_waiting.emplace_back(events, std::move(action));
        due = takeDue(false);
    }
    for (const Action &run : due)
        run();
}

void PassWaiters::report(quint64 events)
{
    std::deque<Action> due;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_passed = qMax(m_passed, events);
        due = takeDue(false);
    }
    for (const Action &run : due)
        run();
}

void PassWaiters::releaseAll()
{
    std::deque<Action> due;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        due = takeDue(true);
    }
    for (const Action &run : due)
        run();
}

size_t PassWaiters::waiting() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_waiting.size();
}

std::deque<PassWaiters::Action> PassWaiters::takeDue(bool all)
{
    std::deque<Action> due;
    while (!m_waiting.empty() && (all || m_waiting.front().first <= m_passed)) {
        due.push_back(std::move(m_waiting.front().second));
        m_waiting.pop_front();
    }
    return due;
}
