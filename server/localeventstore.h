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
/// With Durability::Process an event is committed once its record is written to the kernel,
/// before append() returns. With Durability::Disk it is committed once the journal has been
/// synced to the disk; syncs run on their own thread and are shared by every event that arrived
/// while the previous one ran (group commit). No stream sees an event before it is committed.
/// In a batch (beginBatch()), records wait in memory and reach the kernel in one write at
/// endBatch(), and only then are their events committed (or synced first, on Durability::Disk).
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
    void beginBatch() override;
    void endBatch() override;
    void retract(quint64 id, RetractDone done) override;


    QString journalFileName() const { return m_journal.fileName(); }

private:
    /// A journal write waiting for its sync: an event to commit, or a retraction to confirm.
    struct Pending
    {
        quint64 written; ///< its number among the journal's writes
        EventPointer event; ///< the event appended; null for a retraction
        std::function<void(const QString &syncError)> settle; ///< called once synced, or not
    };

    void commit(const EventPointer &event, const AppendDone &done);
    void rememberKey(const QByteArray &key, quint64 id);
    /// Runs \a settle now (process durability), once the journal is synced (disk), or in a
    /// batch, once its records have been written (and synced, on disk).
    void settleWhenDurable(const EventPointer &event, std::function<void(const QString &syncError)> settle);
    void onSynced(quint64 written, const QString &error);
    void requestSync();
    /// Settles with \a error every write no sync has been asked for: they did not reach the file.
    void failUnsynced(const QString &error);
    void compactIfNeeded();
    void reportFailure(const QString &message);

    const QString m_dataDirectory;
    const Durability m_durability;
    EventJournal m_journal;
    std::unique_ptr<JournalSyncer> m_syncer;
    std::deque<Pending> m_pending;
    QHash<QByteArray, quint64> m_idempotencyKeys; ///< key -> the id its publish got
    QHash<QByteArray, quint64> m_pendingKeys; ///< keys of events waiting for their sync
    QHash<quint64, QList<AppendDone>> m_retriesWaiting; ///< retries of those, answered with them
    quint64 m_lastAssignedId = 0;
    quint64 m_written = 0;
    quint64 m_syncRequested = 0; ///< the last write a sync was asked for
    int m_batchDepth = 0;
    bool m_failed = false;
    bool m_closed = false;
};
