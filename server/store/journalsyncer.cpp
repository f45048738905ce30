#include "journalsyncer.h"

#include "filehandles.h"
#include "filesync.h"
#include "namedthread.h"

#include <algorithm>

JournalSyncer::File::~File()
{
    if (fd >= 0)
        closeFile(fd);
}

JournalSyncer::JournalSyncer(Synced synced, GatheringWindow window)
    : m_synced(std::move(synced))
    , m_window(std::move(window))
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

std::chrono::microseconds JournalSyncer::oneSync(std::chrono::microseconds lastSync)
{
    return std::min(lastSync, std::chrono::microseconds(2000));
}

void JournalSyncer::run()
{
    using Clock = std::chrono::steady_clock;
    std::unique_lock<std::mutex> lock(m_mutex);
    quint64 inFlight = 1; ///< writes asked for and not yet answered when the last sync ended
    std::chrono::microseconds lastSync{0};
    for (;;) {
        // Whatever was asked for while the last sync ran is covered by this one.
        m_wake.wait(lock, [this] { return m_stopping || m_requested > m_done; });
        if (m_requested <= m_done)
            return; // stopping, with nothing left to sync
        if (m_requested - m_done < inFlight) {
            // Gathering: the publishers the last sync answered are likely on their way back.
            m_wake.wait_for(lock, m_window(lastSync),
                            [this, inFlight] { return m_stopping || m_requested - m_done >= inFlight; });
        }
        const quint64 target = m_requested;
        const std::shared_ptr<File> file = m_file;
        lock.unlock();
        QString error;
        const Clock::time_point started = Clock::now();
        if (!file || file->fd < 0)
            error = QStringLiteral("the journal is not open");
        else
            error = syncFileData(file->fd);
        lastSync = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
        // Counted before the answers go: a publisher they answer may be back before this thread.
        lock.lock();
        inFlight = m_requested - m_done;
        lock.unlock();
        m_synced(target, error);
        lock.lock();
        m_done = target;
    }
}
