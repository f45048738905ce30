#pragma once

#include <QString>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

/// Makes journal writes durable on a thread of its own, with group commit: every write asked
/// for while a sync runs shares the next one. Each sync is one fdatasync() of the journal.
///
/// It also gathers. Publishers that wait for their answers come back as soon as a sync answers
/// them; meanwhile those that came during the sync are waiting for the next. Started at once, the
/// next sync would take only the latter, and the two groups would take turns, each sync carrying
/// half of them. So when fewer writes wait than were in flight when the last sync ended (those it
/// answered and those that came during it), the syncer waits for the rest, at most the gathering
/// window (by default as long as the last sync took, at most 2 ms). A lone publisher never waits:
/// one write was in flight, and it is there.
class JournalSyncer
{
public:
    /// Called on the syncer's thread after each sync: the writes numbered up to \a written
    /// are on the disk, or \a error says why they may not be.
    using Synced = std::function<void(quint64 written, const QString &error)>;
    /// How long to wait at most for the writes still expected, given how long the last sync took.
    using GatheringWindow = std::function<std::chrono::microseconds(std::chrono::microseconds lastSync)>;

    explicit JournalSyncer(Synced synced, GatheringWindow window = oneSync);
    /// The window Herald uses: as long as the last sync took, at most 2 ms.
    static std::chrono::microseconds oneSync(std::chrono::microseconds lastSync);
    ~JournalSyncer();

    JournalSyncer(const JournalSyncer &) = delete;
    JournalSyncer &operator=(const JournalSyncer &) = delete;

    /// The file to sync from now on: a duplicate of \a fd is kept, so the caller may close its own.
    void setFile(int fd);
    /// Asks for the writes numbered up to \a written to reach the disk.
    void requestSync(quint64 written);

private:
    /// A duplicated descriptor, closed when the last sync that uses it is done.
    struct File
    {
        int fd = -1;
        ~File();
    };

    void run();

    const Synced m_synced;
    const GatheringWindow m_window;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::shared_ptr<File> m_file;
    quint64 m_requested = 0;
    quint64 m_done = 0;
    bool m_stopping = false;
    std::thread m_thread;
};
