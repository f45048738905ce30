#pragma once

#include <functional>
#include <mutex>
#include <vector>

/// Commands from other threads for one loop. Posting wakes the loop, once per batch, and the
/// loop takes everything queued at once.
template<typename Command>
class LoopMailbox
{
public:
    /// \a wake makes the loop look at its mailbox (its SocketPoller's wake()): called from any
    /// thread, once until the loop takes what waits.
    explicit LoopMailbox(std::function<void()> wake)
        : m_wake(std::move(wake))
    {}
    LoopMailbox(const LoopMailbox &) = delete;
    LoopMailbox &operator=(const LoopMailbox &) = delete;

    void post(Command command)
    {
        std::vector<Command> commands;
        commands.push_back(std::move(command));
        post(std::move(commands));
    }

    void post(std::vector<Command> commands) { post(std::move(commands), 1); }

    /// Posts \a commands that may wait: the loop is woken only once \a wakeAt commands wait
    /// (or by a post() meanwhile), so that many of them cost it one wake-up.
    void post(std::vector<Command> commands, size_t wakeAt)
    {
        bool wakeNow;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            for (Command &command : commands)
                m_commands.push_back(std::move(command));
            // Once woken, the loop takes everything: it needs no second wake-up until then.
            wakeNow = !m_woken && m_commands.size() >= wakeAt;
            m_woken = m_woken || wakeNow;
        }
        if (wakeNow)
            wake();
    }

    /// Wakes the loop without a command, for it to look at its other state (a stop flag).
    void wake() { m_wake(); }

    /// Whether anything is waiting, for a loop that looks in between its own work.
    bool hasPending()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return !m_commands.empty();
    }

    /// Everything posted so far, in order; called by the loop when woken.
    std::vector<Command> take()
    {
        std::vector<Command> commands;
        std::lock_guard<std::mutex> lock(m_mutex);
        commands.swap(m_commands);
        m_woken = false;
        return commands;
    }

private:
    std::mutex m_mutex;
    std::vector<Command> m_commands;
    bool m_woken = false; ///< since the loop last took the commands
    const std::function<void()> m_wake;
};
