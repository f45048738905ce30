#include "journalsyncer.h"

#include "filehandles.h"
#include "filesync.h"
#include "namedthread.h"

JournalSyncer::File::~File()
{
    if (fd >= 0)
        closeFile(fd);
}

JournalSyncer::JournalSyncer(Synced synced)
    : m_synced(std::move(synced))
{
    m_thread = startNamedThread("Herald journal", [this] { run(); });
}

JournalSyncer::~JournalSyncer()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void JournalSyncer::setFile(int fd)
{
    auto file = std::make_shared<File>();
    file->fd = duplicateFile(fd);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_file = std::move(file);
}

void JournalSyncer::requestSync(quint64 written)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_requested = qMax(m_requested, written);
    }
    m_wake.notify_one();
}

void JournalSyncer::run()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        // Whatever was asked for while the last sync ran is covered by this one.
        m_wake.wait(lock, [this] { return m_stopping || m_requested > m_done; });
        if (m_requested <= m_done)
            return; // stopping, with nothing left to sync
        const quint64 target = m_requested;
        const std::shared_ptr<File> file = m_file;
        lock.unlock();
        QString error;
        if (!file || file->fd < 0)
            error = QStringLiteral("the journal is not open");
        else
            error = syncFileData(file->fd);
        m_synced(target, error);
        lock.lock();
        m_done = target;
    }
}
