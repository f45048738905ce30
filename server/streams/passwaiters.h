#pragma once

#include <QtGlobal>

#include <deque>
#include <functional>
#include <mutex>
#include <utility>

/// Actions that wait until the streams have been offered a number of events (see StreamFanOut),
/// run by whichever thread first sees that many passed: a stream thread as it finishes a pass,
/// with no hop through another thread, or the thread that adds an action already due.
///
/// Thread-safe. Each action runs once, outside the lock. They are released in the order they were
/// added (one waits for those before it, so targets should not decrease); two threads that
/// release some at once may run theirs side by side.
class PassWaiters
{
public:
    using Action = std::function<void()>;

    /// Runs \a action once at least \a events events have passed: now, if report() has said so.
    void waitFor(quint64 events, Action action);
    /// At least \a events events have passed: runs, on this thread, every action now due.
    void report(quint64 events);
    /// Runs every action still waiting, whatever it waits for: nothing more will pass.
    void releaseAll();

    /// How many actions are waiting.
    size_t waiting() const;

private:
    /// Takes the actions due from the front of the queue; called with the lock held.
    std::deque<Action> takeDue(bool all);

    mutable std::mutex m_mutex;
    quint64 m_passed = 0;
    std::deque<std::pair<quint64, Action>> m_waiting;
};
