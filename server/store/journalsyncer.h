#pragma once

#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

/// Makes journal writes durable on a thread of its own, with group commit: every write asked
/// for while a sync runs shares the next one. Each sync is one fdatasync() of the journal.
class JournalSyncer
{
public:
    /// Called on the syncer's thread after each sync: the writes numbered up to \a written
    /// are on the disk, or \a error says why they may not be.
    using Synced = std::function<void(quint64 written, const QString &error)>;

    explicit JournalSyncer(Synced synced);
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
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::shared_ptr<File> m_file;
    quint64 m_requested = 0;
    quint64 m_done = 0;
    bool m_stopping = false;
    std::thread m_thread;
};
