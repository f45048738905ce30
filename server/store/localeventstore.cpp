#include "localeventstore.h"

#include "filesync.h"
#include "journalsyncer.h"
#include "logging.h"

LocalEventStore::LocalEventStore(const QString &dataDirectory, const HistoryLimits &limits, Durability durability,
                                 QObject *parent)
    : EventStore(limits, parent)
    , m_dataDirectory(dataDirectory)
    , m_durability(durability)
{}

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
        // The streams are served, but nothing is acknowledged that a restart would lose.
        refuseUntilRestart(
            QStringLiteral("history cannot be kept (%1); streams are served, but publishing and "
                           "retracting are refused until Herald restarts with a data folder it can write")
                .arg(journalError));
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
    qCInfo(lcJournal, "history: %d event(s) from %s, last id %llu", history().size(), qPrintable(m_journal.fileName()),
           history().lastId());

    if (durable) {
        m_syncer = std::make_unique<JournalSyncer>([this](quint64 written, const QString &error) {
            // Called on the syncer's thread; the events are committed on this one.
            QMetaObject::invokeMethod(
                this, [this, written, error] { onSynced(written, error); }, Qt::QueuedConnection);
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
    // What is still waiting for its write (in an unfinished batch) or its sync is written and
    // synced here, and committed.
    m_batchDepth = 0;
    if (!m_pending.empty()) {
        flushJournal();
        if (m_durability == Durability::Disk) {
            const int fd = m_journal.handle();
            const bool synced = fd >= 0 && syncFileData(fd).isEmpty();
            onSynced(m_flushed, synced ? QString() : QStringLiteral("the last sync failed"));
        } else {
            settleThrough(m_flushed, QString());
        }
    }
    m_journal.close();
}

QString LocalEventStore::storageProblem() const
{
    return m_refusal.isEmpty() ? m_writeProblem : m_refusal;
}

bool LocalEventStore::knowsKey(const QByteArray &key) const
{
    if (m_pendingKeys.contains(key))
        return true;
    const quint64 earlier = m_idempotencyKeys.value(key);
    return earlier && history().find(earlier);
}

void LocalEventStore::appendBatch(const QList<PublishRequest> &requests, qint64 publishedAtMs, AppendBatchDone done)
{
    const QByteArray &first = requests.isEmpty() ? QByteArray() : requests.constFirst().idempotencyKey;
    if (!first.isEmpty() && knowsKey(first)) {
        for (const PublishRequest &request : requests) {
            if (!knowsKey(request.idempotencyKey))
                return done(QList<Appended>(requests.size(), keyReused()));
        }
    }
    EventStore::appendBatch(requests, publishedAtMs, std::move(done));
}

void LocalEventStore::append(const PublishRequest &request, qint64 publishedAtMs, AppendDone done)
{
    if (m_closed) {
        done({nullptr, PublishError::ShuttingDown, ShuttingDownMessage});
        return;
    }
    if (!m_refusal.isEmpty()) {
        done({nullptr, PublishError::Unavailable, m_refusal});
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
                                             request.data, publishedAtMs, request.fields);
    if (!key.isEmpty())
        m_pendingKeys.insert(key, event->id);
    Settle settle = [this, event, key, done = std::move(done)](const QString &refusal) {
        const QList<AppendDone> retries = m_retriesWaiting.take(event->id);
        if (!key.isEmpty())
            m_pendingKeys.remove(key);
        if (refusal.isEmpty()) {
            if (!key.isEmpty())
                rememberKey(key, event->id);
            commit(event, done);
            for (const AppendDone &retry : retries)
                retry({nullptr, PublishError::None, QString(), event->id});
        } else {
            const Appended failed{nullptr, PublishError::Unavailable, refusal, 0};
            done(failed);
            for (const AppendDone &retry : retries)
                retry(failed);
        }
    };
    if (!m_journal.isOpen()) {
        settle(QString()); // history in memory only
        return;
    }
    // The record is on its way to the journal before anyone hears about the event (in a batch,
    // with the batch's other records, and before anyone hears about any of them).
    QString unused; // a record kept for the next write cannot fail
    m_journal.append(*event, key, &unused, false);
    m_pending.push_back({++m_written, event, std::move(settle)});
    if (m_batchDepth == 0 && flushJournal()) {
        settleWritten();
        compactIfNeeded();
    }
}

void LocalEventStore::beginBatch()
{
    ++m_batchDepth;
}

void LocalEventStore::endBatch()
{
    if (m_batchDepth == 0 || --m_batchDepth > 0)
        return;
    // One write for the whole batch: if the system refuses it, every event of the batch is refused.
    if (flushJournal()) {
        settleWritten();
        compactIfNeeded();
    }
}

void LocalEventStore::retract(quint64 id, RetractDone done)
{
    if (m_closed || !m_refusal.isEmpty()) {
        done(RetractOutcome::Unavailable);
        return;
    }
    const EventPointer event = history().find(id);
    if (!event) {
        done(RetractOutcome::NotFound);
        return;
    }
    if (m_journal.isOpen()) {
        // Its record is written first: while it cannot be, the event stays and nobody hears of it.
        QString unused;
        m_journal.appendRetraction(id, &unused, false);
        m_pending.push_back({++m_written, nullptr, [done](const QString &refusal) {
                                 done(refusal.isEmpty() ? RetractOutcome::Retracted : RetractOutcome::Unavailable);
                             }});
        if (!flushJournal())
            return;
    }
    // Gone from replays at once; the answer waits until the retraction is as safe as an event.
    history().remove(id);
    Q_EMIT eventRetracted(event);
    if (m_journal.isOpen())
        settleWritten();
    else
        done(RetractOutcome::Retracted);
}

void LocalEventStore::edit(EventPointer edited, EditDone done)
{
    if (m_closed || !m_refusal.isEmpty()) {
        done(EditOutcome::Unavailable);
        return;
    }
    if (!history().find(edited->id)) {
        done(EditOutcome::NotFound);
        return;
    }
    if (m_journal.isOpen()) {
        // Its record is written first: while it cannot be, the earlier version stays everywhere.
        QString unused;
        m_journal.appendEdit(*edited, &unused, false);
        m_pending.push_back({++m_written, nullptr, [done](const QString &refusal) {
                                 done(refusal.isEmpty() ? EditOutcome::Edited : EditOutcome::Unavailable);
                             }});
        if (!flushJournal())
            return;
    }
    // Replays give the new version at once; the answer waits until the edit is as safe as an event.
    prepareEdited(*edited);
    if (history().replace(edited))
        Q_EMIT eventEdited(edited);
    if (m_journal.isOpen())
        settleWritten();
    else
        done(EditOutcome::Edited);
}

bool LocalEventStore::flushJournal()
{
    if (!m_refusal.isEmpty())
        return false;
    if (m_flushed == m_written)
        return true;
    QString journalError;
    if (!m_journal.flush(&journalError)) {
        writeFailed(journalError);
        return false;
    }
    writeSucceeded();
    return true;
}

void LocalEventStore::writeSucceeded()
{
    m_flushed = m_written;
    if (m_writeProblem.isEmpty())
        return;
    m_writeProblem.clear();
    qCInfo(lcJournal, "history is saved to %s again", qPrintable(m_journal.fileName()));
    Q_EMIT storageRecovered();
}

void LocalEventStore::writeFailed(const QString &journalError)
{
    const bool spellStarts = m_writeProblem.isEmpty();
    m_writeProblem = QStringLiteral("history cannot be saved (%1); publishing and retracting are refused until "
                                    "a write succeeds again, which each publish tries")
                         .arg(journalError);
    if (spellStarts) {
        qCCritical(lcJournal, "%s", qPrintable(m_writeProblem));
        Q_EMIT storageFailed(m_writeProblem);
    }
    // The journal kept none of what waited for this write: nothing is waiting any more, and only
    // a write that takes something proves the journal takes records again.
    m_written = m_flushed;
    settleAfter(m_flushed,
                QStringLiteral("history cannot be saved (%1), so it was not kept; try again once "
                               "there is room")
                    .arg(journalError));
}

void LocalEventStore::settleWritten()
{
    if (m_durability == Durability::Process)
        settleThrough(m_flushed, QString());
    else if (m_syncer)
        m_syncer->requestSync(m_flushed);
}

void LocalEventStore::settleThrough(quint64 written, const QString &refusal)
{
    while (!m_pending.empty() && m_pending.front().written <= written) {
        Pending pending = std::move(m_pending.front());
        m_pending.pop_front();
        pending.settle(refusal);
    }
}

void LocalEventStore::settleAfter(quint64 written, const QString &refusal)
{
    std::deque<Pending> settled;
    while (!m_pending.empty() && m_pending.back().written > written) {
        settled.push_front(std::move(m_pending.back()));
        m_pending.pop_back();
    }
    for (Pending &pending : settled)
        pending.settle(refusal);
}

void LocalEventStore::onSynced(quint64 written, const QString &error)
{
    if (error.isEmpty()) {
        settleThrough(written, QString());
        return;
    }
    refuseUntilRestart(QStringLiteral("history is not reaching the disk (cannot sync %1: %2); publishing is refused "
                                      "until Herald restarts")
                           .arg(m_journal.fileName(), error));
    // A failed sync may have lost any write before it, which no later sync would tell: nothing
    // still waiting is kept.
    settleThrough(m_written, QStringLiteral("history could not be synced to the disk (%1)").arg(error));
}

void LocalEventStore::refuseUntilRestart(const QString &message)
{
    if (!m_refusal.isEmpty())
        return;
    m_refusal = message;
    qCCritical(lcJournal, "%s", qPrintable(message));
    Q_EMIT storageFailed(message);
    // What an unfinished batch holds never reaches the file.
    m_journal.discardUnwritten();
    settleAfter(m_flushed, message);
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
    if (m_journal.compact(retained, m_durability == Durability::Disk, &journalError)) {
        if (m_syncer)
            m_syncer->setFile(m_journal.handle());
        m_compactionFailing = false;
        return;
    }
    // On the disk, a new file whose name may not have reached it would take what is written next
    // with it; and a journal that could not be reopened takes nothing more.
    if (m_durability == Durability::Disk || !m_journal.isOpen()) {
        refuseUntilRestart(QStringLiteral("history cannot be kept (%1); publishing and retracting are refused until "
                                          "Herald restarts")
                               .arg(journalError));
        return;
    }
    // The journal still holds every record, only more than it needs: a later publish tries again.
    if (!m_compactionFailing)
        qCWarning(lcJournal, "%s; it is tried again with later publishes", qPrintable(journalError));
    m_compactionFailing = true;
}
