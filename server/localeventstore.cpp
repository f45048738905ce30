#include "localeventstore.h"

#include "journalsyncer.h"
#include "logging.h"

#include <unistd.h>

LocalEventStore::LocalEventStore(const QString &dataDirectory, const HistoryLimits &limits, Durability durability,
                                 QObject *parent)
    : EventStore(limits, parent)
    , m_dataDirectory(dataDirectory)
    , m_durability(durability)
{
}

LocalEventStore::~LocalEventStore()
{
    close();
}

bool LocalEventStore::open(QString *errorMessage)
{
    const bool durable = m_durability == Durability::Disk;
    if (m_dataDirectory.isEmpty()) {
        if (durable) {
            *errorMessage = QStringLiteral("--durability disk needs a data folder (--data-dir)");
            return false;
        }
        return true;
    }

    EventJournal::Contents contents;
    QString journalError;
    if (!m_journal.open(m_dataDirectory, &contents, &journalError)) {
        if (durable) {
            *errorMessage = QStringLiteral("--durability disk needs a data folder it can write: %1").arg(journalError);
            return false;
        }
        reportFailure(journalError);
        return true;
    }
    for (EventPointer &event : contents.events)
        history().append(std::move(event));
    history().setLastId(contents.lastId);
    m_lastAssignedId = history().lastId();
    // A retry after the restart makes no second event either, while its event is retained.
    m_idempotencyKeys = std::move(contents.idempotencyKeys);
    if (contents.skippedRecords > 0) {
        qCWarning(lcJournal, "skipped %d unreadable or out-of-order record(s) in %s", contents.skippedRecords,
                  qPrintable(m_journal.fileName()));
    }
    qCInfo(lcJournal, "history: %d event(s) from %s, last id %llu", history().size(),
           qPrintable(m_journal.fileName()), history().lastId());

    if (durable) {
        m_syncer = std::make_unique<JournalSyncer>([this](quint64 written, const QString &error) {
            // Called on the syncer's thread; the events are committed on this one.
            QMetaObject::invokeMethod(this, [this, written, error] { onSynced(written, error); },
                                      Qt::QueuedConnection);
        });
        m_syncer->setFile(m_journal.handle());
    }
    return true;
}

void LocalEventStore::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_syncer.reset();
    // What is still waiting for its sync (or in an unfinished batch) is written and synced
    // here, and committed.
    m_batchDepth = 0;
    if (!m_pending.empty()) {
        const int fd = m_journal.handle();
        QString journalError;
        const bool synced = fd >= 0 && m_journal.flush(&journalError) && ::fdatasync(fd) == 0;
        onSynced(m_written, synced ? QString() : QStringLiteral("the last sync failed"));
    }
    m_journal.close();
}

void LocalEventStore::append(const PublishRequest &request, qint64 publishedAtMs, AppendDone done)
{
    if (m_closed) {
        done({nullptr, PublishError::ShuttingDown, QStringLiteral("Herald is shutting down")});
        return;
    }
    const bool durable = m_durability == Durability::Disk;
    if (durable && m_failed) {
        done({nullptr, PublishError::Unavailable,
              QStringLiteral("history cannot be saved to the disk, so publishing is paused until Herald restarts")});
        return;
    }

    // A retried publish gets the first one's id while that event is retained, and makes no other.
    const QByteArray &key = request.idempotencyKey;
    if (!key.isEmpty()) {
        if (const quint64 waiting = m_pendingKeys.value(key)) {
            // The first is not on the disk yet: the retry hears back when it is.
            m_retriesWaiting[waiting].append(std::move(done));
            return;
        }
        const quint64 earlier = m_idempotencyKeys.value(key);
        if (earlier && history().find(earlier)) {
            done({nullptr, PublishError::None, QString(), earlier});
            return;
        }
    }

    const EventPointer event = Event::create(++m_lastAssignedId, request.type, request.topic, request.target,
                                             request.data, publishedAtMs);
    // The record is on its way to disk before anyone hears about the event (in a batch, with
    // the batch's other records, and before anyone hears about any of them).
    if (m_journal.isOpen()) {
        QString journalError;
        if (!m_journal.append(*event, key, &journalError, m_batchDepth == 0)) {
            reportFailure(journalError);
            if (durable) {
                done({nullptr, PublishError::Unavailable,
                      QStringLiteral("history cannot be saved to the disk (%1)").arg(journalError)});
                return;
            }
        }
    }
    if (!key.isEmpty())
        m_pendingKeys.insert(key, event->id);
    settleWhenDurable(event, [this, event, key, done = std::move(done)](const QString &syncError) {
        const QList<AppendDone> retries = m_retriesWaiting.take(event->id);
        if (!key.isEmpty())
            m_pendingKeys.remove(key);
        if (syncError.isEmpty()) {
            if (!key.isEmpty())
                rememberKey(key, event->id);
            commit(event, done);
            for (const AppendDone &retry : retries)
                retry({nullptr, PublishError::None, QString(), event->id});
        } else {
            const Appended failed{nullptr, PublishError::Unavailable,
                                  QStringLiteral("history could not be synced to the disk (%1)").arg(syncError), 0};
            done(failed);
            for (const AppendDone &retry : retries)
                retry(failed);
        }
    });
    if (m_batchDepth == 0)
        compactIfNeeded();
}

void LocalEventStore::beginBatch()
{
    ++m_batchDepth;
}

void LocalEventStore::endBatch()
{
    if (m_batchDepth == 0 || --m_batchDepth > 0)
        return;
    if (m_pending.empty() || !m_journal.isOpen())
        return;
    QString journalError;
    const bool written = m_journal.flush(&journalError);
    if (m_durability == Durability::Disk) {
        if (written)
            requestSync();
        else
            failUnsynced(journalError); // none of the batch is kept, so none of it is committed
    } else {
        if (!written)
            reportFailure(journalError); // and Herald goes on from memory, as with one record
        onSynced(m_written, QString());
    }
    compactIfNeeded();
}

void LocalEventStore::retract(quint64 id, RetractDone done)
{
    if (m_closed || (m_durability == Durability::Disk && m_failed)) {
        done(RetractOutcome::Unavailable);
        return;
    }
    const EventPointer event = history().remove(id);
    if (!event) {
        done(RetractOutcome::NotFound);
        return;
    }
    if (m_journal.isOpen()) {
        QString journalError;
        if (!m_journal.appendRetraction(id, &journalError))
            reportFailure(journalError);
    }
    // Gone from replays at once; the answer waits until the retraction is as safe as an event.
    Q_EMIT eventRetracted(event);
    settleWhenDurable(nullptr, [done = std::move(done)](const QString &syncError) {
        done(syncError.isEmpty() ? RetractOutcome::Retracted : RetractOutcome::Unavailable);
    });
}

void LocalEventStore::settleWhenDurable(const EventPointer &event, std::function<void(const QString &)> settle)
{
    if (!m_journal.isOpen() || (m_durability == Durability::Process && m_batchDepth == 0)) {
        settle(QString());
        return;
    }
    m_pending.push_back({++m_written, event, std::move(settle)});
    if (m_batchDepth == 0)
        requestSync();
}

void LocalEventStore::requestSync()
{
    m_syncRequested = m_written;
    m_syncer->requestSync(m_written);
}

void LocalEventStore::failUnsynced(const QString &error)
{
    reportFailure(error);
    // Earlier writes are on their way to the disk and settle with their sync.
    std::deque<Pending> failed;
    while (!m_pending.empty() && m_pending.back().written > m_syncRequested) {
        failed.push_front(std::move(m_pending.back()));
        m_pending.pop_back();
    }
    for (Pending &pending : failed)
        pending.settle(error);
}

void LocalEventStore::rememberKey(const QByteArray &key, quint64 id)
{
    m_idempotencyKeys.insert(key, id);
    // Keys of events history has let go of are forgotten, now and then.
    if (m_idempotencyKeys.size() > 2 * qsizetype(history().size()) + 64) {
        for (auto it = m_idempotencyKeys.begin(); it != m_idempotencyKeys.end();)
            it = history().find(it.value()) ? std::next(it) : m_idempotencyKeys.erase(it);
    }
}

void LocalEventStore::commit(const EventPointer &event, const AppendDone &done)
{
    history().append(event);
    Q_EMIT eventCommitted(event);
    done({event, PublishError::None, QString()});
}

void LocalEventStore::onSynced(quint64 written, const QString &error)
{
    if (!error.isEmpty()) {
        reportFailure(QStringLiteral("cannot sync %1: %2").arg(m_journal.fileName(), error));
    }
    while (!m_pending.empty() && m_pending.front().written <= written) {
        Pending pending = std::move(m_pending.front());
        m_pending.pop_front();
        pending.settle(error);
    }
}

void LocalEventStore::compactIfNeeded()
{
    qint64 pendingBytes = 0;
    for (const Pending &pending : m_pending)
        pendingBytes += pending.event ? pending.event->dataSize() : 0;
    if (!m_journal.needsCompaction(history().size() + int(m_pending.size()), history().bytes() + pendingBytes))
        return;
    // Events waiting for their sync are kept too. The newest committed one always stays, so the
    // id counter survives a history limit of 0.
    QList<quint64> retained;
    for (const EventPointer &event : history().events())
        retained.append(event->id);
    if (retained.isEmpty() && history().lastId() > 0)
        retained.append(history().lastId());
    for (const Pending &pending : m_pending) {
        if (pending.event)
            retained.append(pending.event->id);
    }
    QString journalError;
    if (!m_journal.compact(retained, m_durability == Durability::Disk, &journalError)) {
        reportFailure(journalError);
        return;
    }
    if (m_syncer)
        m_syncer->setFile(m_journal.handle());
}

void LocalEventStore::reportFailure(const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    const QString text = m_durability == Durability::Disk
            ? QStringLiteral("history is not reaching the disk (%1); publishing is refused until Herald restarts").arg(message)
            : QStringLiteral("history is not being saved (%1); Herald keeps serving from memory").arg(message);
    qCCritical(lcJournal, "%s", qPrintable(text));
    Q_EMIT storageFailed(text);
}
