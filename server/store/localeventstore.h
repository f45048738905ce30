#pragma once

#include "eventjournal.h"
#include "eventstore.h"
#include "serviceconfig.h"

#include <QHash>

#include <deque>
#include <memory>

class JournalSyncer;

/// The event store of one Herald: history in memory over a journal in the data folder.
///
/// Nothing is acknowledged that the journal does not hold. With Durability::Process an event is
/// committed once its record is written to the kernel, before append() returns. With
/// Durability::Disk it is committed once the journal has been synced to the disk; syncs run on
/// their own thread and are shared by every event that arrived while the previous one ran (group
/// commit). No stream sees an event before it is committed. In a batch (beginBatch()), records
/// wait in memory and reach the kernel in one write at endBatch(), and only then are their events
/// committed (or synced first, on Durability::Disk).
///
/// A publish or retraction whose record the system does not take (a full disk, a file-size limit)
/// is refused, and the next one tries again: once there is room, publishing works again. A failed
/// sync, or a journal that cannot be opened or compacted, refuses every publish and retraction
/// until Herald restarts. Without a data folder, history is kept in memory only, as promised.
class LocalEventStore : public EventStore
{
    Q_OBJECT

public:
    /// An empty \a dataDirectory keeps history in memory only.
    LocalEventStore(const QString &dataDirectory, const HistoryLimits &limits, Durability durability,
                    QObject *parent = nullptr);
    ~LocalEventStore() override;

    bool open(QString *errorMessage) override;
    void close() override;
    void append(const PublishRequest &request, qint64 publishedAtMs, AppendDone done) override;
    /// A batch whose first idempotency key is known is a retry: each of its keys must be known.
    void appendBatch(const QList<PublishRequest> &requests, qint64 publishedAtMs, AppendBatchDone done) override;
    void beginBatch() override;
    void endBatch() override;
    void retract(quint64 id, RetractDone done) override;
    void edit(EventPointer edited, EditDone done) override;
    QString storageProblem() const override;

    QString journalFileName() const { return m_journal.fileName(); }

private:
    /// Called once a journal record is as durable as promised (\a refusal empty), or with why it
    /// is not, for the publisher.
    using Settle = std::function<void(const QString &refusal)>;
    /// A journal record on its way: an event to commit, or a retraction to confirm.
    struct Pending
    {
        quint64 written; ///< its number among the journal's records
        EventPointer event; ///< the event appended; null for a retraction
        Settle settle;
    };

    void commit(const EventPointer &event, const AppendDone &done);
    void rememberKey(const QByteArray &key, quint64 id);
    /// Whether \a key made an event that is retained, or is waiting for its sync.
    bool knowsKey(const QByteArray &key) const;
    /// Hands the records waiting in the journal to the system; when it does not take them, each
    /// of them is refused. True when it took them, or nothing waited.
    bool flushJournal();
    /// Settles what has been written: now (process durability), or once synced (disk).
    void settleWritten();
    /// Settles the records numbered up to \a written, oldest first.
    void settleThrough(quint64 written, const QString &refusal);
    /// Settles the records numbered after \a written, oldest first.
    void settleAfter(quint64 written, const QString &refusal);
    void onSynced(quint64 written, const QString &error);
    void writeSucceeded();
    void writeFailed(const QString &journalError);
    /// From now on every publish and retraction gets \a message, until Herald restarts.
    void refuseUntilRestart(const QString &message);
    void compactIfNeeded();

    const QString m_dataDirectory;
    const Durability m_durability;
    EventJournal m_journal;
    std::unique_ptr<JournalSyncer> m_syncer;
    std::deque<Pending> m_pending;
    QHash<QByteArray, quint64> m_idempotencyKeys; ///< key -> the id its publish got
    QHash<QByteArray, quint64> m_pendingKeys; ///< keys of events waiting for their sync
    QHash<quint64, QList<AppendDone>> m_retriesWaiting; ///< retries of those, answered with them
    quint64 m_lastAssignedId = 0;
    quint64 m_written = 0; ///< the last record handed to the journal
    quint64 m_flushed = 0; ///< the last record the system took
    int m_batchDepth = 0;
    QString m_refusal; ///< why everything is refused until Herald restarts, or empty
    QString m_writeProblem; ///< why the last write was refused, until one succeeds again
    bool m_compactionFailing = false; ///< said once, until a compaction succeeds
    bool m_closed = false;
};
