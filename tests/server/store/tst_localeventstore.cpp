#include "eventids.h"
#include "filesizelimit.h"
#include "localeventstore.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

PublishRequest request(const QByteArray &data)
{
    PublishRequest publish;
    publish.data = data;
    return publish;
}

const auto everything = [](const Event &) {
    return true;
};

} // namespace

/// Herald's own event store: ids, history, the journal, and when an event counts as committed.
namespace {

/// Publishes \a count events to \a store and waits until each is answered; false if one is not.
bool publishAndWait(EventStore &store, int count)
{
    int done = 0;
    for (int i = 0; i < count; ++i)
        store.append(request("kept"), 0, [&done](const EventStore::Appended &) { ++done; });
    return QTest::qWaitFor([&done, count] { return done == count; }, 5000);
}

} // namespace

class tst_LocalEventStore : public QObject
{
    Q_OBJECT

private slots:
    void processModeCommitsBeforeAppendReturns();
    void diskModeCommitsOnlyOnceSynced();
    void historyAndIdsSurviveAReopen_data();
    void historyAndIdsSurviveAReopen();
    void historyIsBoundedByBytesToo();
    void eventsWaitingForTheirSyncSurviveCompaction();
    void diskModeNeedsAWritableFolder();
    void processModeRefusesEverythingWhenTheFolderIsUnusable();
    void aStoreWithoutADataFolderTakesEveryPublish();
    void aPublishTheJournalCannotTakeIsRefusedAndTheNextTriesAgain_data();
    void aPublishTheJournalCannotTakeIsRefusedAndTheNextTriesAgain();
    void aRetractionTheJournalCannotTakeLeavesTheEvent_data();
    void aRetractionTheJournalCannotTakeLeavesTheEvent();
    void anEditTheJournalCannotTakeLeavesTheEarlierVersion_data();
    void anEditTheJournalCannotTakeLeavesTheEarlierVersion();
    void aBatchWhoseWriteIsRefusedRefusesEveryEvent_data();
    void aBatchWhoseWriteIsRefusedRefusesEveryEvent();
    void aRetriedPublishWithTheSameKeyMakesNoSecondEvent_data();
    void aRetriedPublishWithTheSameKeyMakesNoSecondEvent();
    void aRetriedPublishWithTheSameKeyMakesNoSecondEventAfterAReopen_data();
    void aRetriedPublishWithTheSameKeyMakesNoSecondEventAfterAReopen();
};

void tst_LocalEventStore::processModeCommitsBeforeAppendReturns()
{
    QTemporaryDir dir;
    LocalEventStore store(dir.path(), {}, Durability::Process);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QSignalSpy committed(&store, &EventStore::eventCommitted);
    QList<quint64> answered;
    for (const QByteArray &text : {QByteArray("one"), QByteArray("two"), QByteArray("three")}) {
        store.append(request(text), 0, [&](const EventStore::Appended &appended) {
            QVERIFY(appended.event);
            answered.append(appended.event->id);
        });
    }
    QCOMPARE(answered, (QList<quint64>{1, 2, 3}));
    QCOMPARE(committed.size(), 3);
    QCOMPARE(store.lastId(), 3u);
    QCOMPARE(idsOf(store.replayAfter(1, everything).events), (QList<quint64>{2, 3}));
}

void tst_LocalEventStore::diskModeCommitsOnlyOnceSynced()
{
    QTemporaryDir dir;
    LocalEventStore store(dir.path(), {}, Durability::Disk);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QList<quint64> committedIds;
    connect(&store, &EventStore::eventCommitted, this,
            [&](const EventPointer &event) { committedIds.append(event->id); });
    QList<quint64> answered;
    for (int i = 0; i < 20; ++i) {
        store.append(request("event " + QByteArray::number(i)), 0, [&](const EventStore::Appended &appended) {
            QVERIFY2(appended.event, qPrintable(appended.message));
            answered.append(appended.event->id);
        });
    }
    // Nothing is committed, replayed or answered before its sync.
    QVERIFY(answered.isEmpty());
    QVERIFY(committedIds.isEmpty());
    QCOMPARE(store.lastId(), 0u);
    QVERIFY(store.replayAfter(0, everything).events.isEmpty());

    QTRY_COMPARE(answered.size(), 20);
    QList<quint64> expected;
    for (quint64 id = 1; id <= 20; ++id)
        expected.append(id);
    QCOMPARE(answered, expected);
    QCOMPARE(committedIds, expected);
    QCOMPARE(store.lastId(), 20u);
}

void tst_LocalEventStore::historyAndIdsSurviveAReopen_data()
{
    QTest::addColumn<Durability>("durability");
    QTest::newRow("process") << Durability::Process;
    QTest::newRow("disk") << Durability::Disk;
}

void tst_LocalEventStore::historyAndIdsSurviveAReopen()
{
    QFETCH(Durability, durability);
    QTemporaryDir dir;
    QString error;
    {
        LocalEventStore store(dir.path(), {}, durability);
        QVERIFY(store.open(&error));
        QVERIFY(publishAndWait(store, 5));
    }
    LocalEventStore store(dir.path(), {}, durability);
    QVERIFY(store.open(&error));
    QCOMPARE(store.lastId(), 5u);
    QCOMPARE(store.size(), 5);
    quint64 next = 0;
    store.append(request("after"), 0, [&](const EventStore::Appended &appended) { next = appended.event->id; });
    QTRY_COMPARE(next, 6u);
}

void tst_LocalEventStore::historyIsBoundedByBytesToo()
{
    LocalEventStore store(QString(), {1000, 250}, Durability::Process);
    QString error;
    QVERIFY(store.open(&error));
    for (int i = 0; i < 10; ++i)
        store.append(request(QByteArray(100, 'a' + i)), 0, [](const EventStore::Appended &) {});
    QCOMPARE(store.size(), 2);
    QCOMPARE(store.bytes(), 200);
    QCOMPARE(idsOf(store.events()), (QList<quint64>{9, 10}));
    // A client further back than that hears about the gap.
    QVERIFY(store.replayAfter(5, everything).gap);
    QVERIFY(!store.replayAfter(8, everything).gap);
    store.setLimits({1000, 100});
    QCOMPARE(idsOf(store.events()), (QList<quint64>{10}));
}

void tst_LocalEventStore::eventsWaitingForTheirSyncSurviveCompaction()
{
    QTemporaryDir dir;
    QString error;
    // A small history and 16 KiB events make the journal compact every 64 or so events (once
    // it is past 1 MiB), now and then while some events still wait for the disk. Whatever it
    // compacts, each batch must be in the file.
    LocalEventStore store(dir.path(), {5, 1 << 20}, Durability::Disk);
    QVERIFY(store.open(&error));
    const auto idsInFile = [&] {
        QFile file(store.journalFileName());
        QList<quint64> ids;
        if (file.open(QIODevice::ReadOnly)) {
            for (const QByteArray &line : file.readAll().split('\n')) {
                if (const EventPointer event = EventJournal::decodeRecord(line))
                    ids.append(event->id);
            }
        }
        return ids;
    };
    quint64 next = 1;
    for (int batch = 0; batch < 60; ++batch) {
        int done = 0;
        QList<quint64> ids;
        for (int i = 0; i < 5; ++i, ++next) {
            ids.append(next);
            store.append(request(QByteArray(16 * 1024, 'x') + QByteArray::number(next)), 0,
                         [&](const EventStore::Appended &appended) {
                             QVERIFY2(appended.event, qPrintable(appended.message));
                             ++done;
                         });
        }
        QTRY_COMPARE(done, 5);
        QCOMPARE(idsOf(store.events()), ids);
        const QList<quint64> inFile = idsInFile();
        for (quint64 id : ids)
            QVERIFY2(inFile.contains(id), qPrintable(u"event %1 is not in the journal"_qs.arg(id)));
    }
    QVERIFY(idsInFile().size() < 100); // it did compact
}

void tst_LocalEventStore::diskModeNeedsAWritableFolder()
{
    QString error;
    LocalEventStore memoryOnly(QString(), {}, Durability::Disk);
    QVERIFY(!memoryOnly.open(&error));
    QVERIFY2(error.contains(u"--data-dir"_qs), qPrintable(error));

    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"blocker"_qs)); // a file where the folder should be, even for root
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    LocalEventStore blocked(dir.filePath(u"blocker/data"_qs), {}, Durability::Disk);
    error.clear();
    QVERIFY(!blocked.open(&error));
    QVERIFY2(error.contains(u"blocker"_qs), qPrintable(error));
}

void tst_LocalEventStore::processModeRefusesEverythingWhenTheFolderIsUnusable()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"blocker"_qs));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    LocalEventStore store(dir.filePath(u"blocker/data"_qs), {}, Durability::Process);
    QSignalSpy failed(&store, &EventStore::storageFailed);
    QString error;
    QVERIFY(store.open(&error)); // the streams are still served
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().contains(u"blocker"_qs), qPrintable(failed.first().first().toString()));
    QVERIFY2(store.storageProblem().contains(u"blocker"_qs), qPrintable(store.storageProblem()));
    // Nothing is acknowledged that a restart would lose.
    EventStore::Appended answer;
    store.append(request("not kept"), 0, [&](const EventStore::Appended &appended) { answer = appended; });
    QVERIFY(!answer.event);
    QCOMPARE(answer.error, PublishError::Unavailable);
    QVERIFY2(answer.message.contains(u"blocker"_qs), qPrintable(answer.message));
    QCOMPARE(store.size(), 0);
    RetractOutcome outcome = RetractOutcome::Retracted;
    store.retract(1, [&](RetractOutcome retracted) { outcome = retracted; });
    QCOMPARE(outcome, RetractOutcome::Unavailable);
}

void tst_LocalEventStore::aStoreWithoutADataFolderTakesEveryPublish()
{
    // History in memory only promised nothing more.
    LocalEventStore store(QString(), {}, Durability::Process);
    QString error;
    QVERIFY(store.open(&error));
    QVERIFY(store.storageProblem().isEmpty());
    bool accepted = false;
    store.append(request("in memory"), 0,
                 [&](const EventStore::Appended &appended) { accepted = bool(appended.event); });
    QVERIFY(accepted);
    RetractOutcome outcome = RetractOutcome::Unavailable;
    store.retract(1, [&](RetractOutcome retracted) { outcome = retracted; });
    QCOMPARE(outcome, RetractOutcome::Retracted);
}

void tst_LocalEventStore::aPublishTheJournalCannotTakeIsRefusedAndTheNextTriesAgain_data()
{
    historyAndIdsSurviveAReopen_data();
}

void tst_LocalEventStore::aPublishTheJournalCannotTakeIsRefusedAndTheNextTriesAgain()
{
    QFETCH(Durability, durability);
    QTemporaryDir dir;
    QString error;
    QList<EventStore::Appended> answers;
    const auto collect = [&](const EventStore::Appended &appended) {
        answers.append(appended);
    };
    QList<quint64> acknowledged;
    {
        LocalEventStore store(dir.path(), {}, durability);
        QVERIFY(store.open(&error));
        QSignalSpy failed(&store, &EventStore::storageFailed);
        QSignalSpy recovered(&store, &EventStore::storageRecovered);
        QSignalSpy committed(&store, &EventStore::eventCommitted);
        for (int i = 0; i < 3; ++i)
            store.append(request("kept"), 0, collect);
        QTRY_COMPARE(answers.size(), 3);
        {
            // Room for part of a record only: the system takes some bytes, then refuses.
            FileSizeLimit limit(QFileInfo(store.journalFileName()).size() + 10);
            QVERIFY(limit.isSet());
            store.append(request("refused"), 0, collect);
            store.append(request("refused too"), 0, collect);
            QTRY_COMPARE(answers.size(), 5);
            for (const EventStore::Appended &refused : answers.mid(3)) {
                QVERIFY(!refused.event);
                QCOMPARE(refused.error, PublishError::Unavailable);
                QVERIFY2(refused.message.contains(store.journalFileName()), qPrintable(refused.message));
            }
            QCOMPARE(committed.size(), 3);
            QCOMPARE(failed.size(), 1); // once for the spell
            QVERIFY2(store.storageProblem().contains(store.journalFileName()), qPrintable(store.storageProblem()));
            QCOMPARE(recovered.size(), 0);
            // A batch with nothing in it (a request that published nothing) writes nothing, and so
            // proves nothing: the journal still counts as refusing.
            store.beginBatch();
            store.endBatch();
            QCOMPARE(recovered.size(), 0);
            QVERIFY(!store.storageProblem().isEmpty());
        }
        // There is room again: the next publish is taken, without a restart.
        store.append(request("after"), 0, collect);
        QTRY_COMPARE(answers.size(), 6);
        QVERIFY2(answers.last().event, qPrintable(answers.last().message));
        QCOMPARE(recovered.size(), 1);
        QVERIFY(store.storageProblem().isEmpty());
        for (const EventStore::Appended &answer : std::as_const(answers)) {
            if (answer.event)
                acknowledged.append(answer.event->id);
        }
    }
    // The journal holds exactly what was acknowledged, and no acknowledged id comes again.
    LocalEventStore store(dir.path(), {}, durability);
    QVERIFY(store.open(&error));
    QCOMPARE(idsOf(store.events()), acknowledged);
    quint64 next = 0;
    store.append(request("next"), 0, [&](const EventStore::Appended &appended) { next = appended.event->id; });
    QTRY_VERIFY(next != 0);
    QVERIFY(next > acknowledged.last());
}

void tst_LocalEventStore::aRetractionTheJournalCannotTakeLeavesTheEvent_data()
{
    historyAndIdsSurviveAReopen_data();
}

void tst_LocalEventStore::aRetractionTheJournalCannotTakeLeavesTheEvent()
{
    QFETCH(Durability, durability);
    QTemporaryDir dir;
    QString error;
    {
        LocalEventStore store(dir.path(), {}, durability);
        QVERIFY(store.open(&error));
        QVERIFY(publishAndWait(store, 3));
        QSignalSpy retracted(&store, &EventStore::eventRetracted);
        QList<RetractOutcome> outcomes;
        {
            FileSizeLimit limit(QFileInfo(store.journalFileName()).size()); // not one byte more
            QVERIFY(limit.isSet());
            store.retract(2, [&](RetractOutcome outcome) { outcomes.append(outcome); });
            QTRY_COMPARE(outcomes.size(), 1);
        }
        QCOMPARE(outcomes.first(), RetractOutcome::Unavailable);
        QCOMPARE(retracted.size(), 0); // nobody heard of it
        QCOMPARE(idsOf(store.events()), (QList<quint64>{1, 2, 3}));
    }
    // After a restart the event is still there, and can be retracted now that there is room.
    LocalEventStore store(dir.path(), {}, durability);
    QVERIFY(store.open(&error));
    QCOMPARE(idsOf(store.events()), (QList<quint64>{1, 2, 3}));
    QList<RetractOutcome> outcomes;
    store.retract(2, [&](RetractOutcome outcome) { outcomes.append(outcome); });
    QTRY_COMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.first(), RetractOutcome::Retracted);
    QCOMPARE(idsOf(store.events()), (QList<quint64>{1, 3}));
}

void tst_LocalEventStore::anEditTheJournalCannotTakeLeavesTheEarlierVersion_data()
{
    historyAndIdsSurviveAReopen_data();
}

void tst_LocalEventStore::anEditTheJournalCannotTakeLeavesTheEarlierVersion()
{
    QFETCH(Durability, durability);
    QTemporaryDir dir;
    QString error;
    QByteArray original;
    {
        LocalEventStore store(dir.path(), {}, durability);
        QVERIFY(store.open(&error));
        QVERIFY(publishAndWait(store, 3));
        original = store.events().at(1)->data();
        QSignalSpy edited(&store, &EventStore::eventEdited);
        QList<EditOutcome> outcomes;
        {
            FileSizeLimit limit(QFileInfo(store.journalFileName()).size()); // not one byte more
            QVERIFY(limit.isSet());
            store.edit(Event::edited(*store.events().at(1), "new text", {}),
                       [&](EditOutcome outcome) { outcomes.append(outcome); });
            QTRY_COMPARE(outcomes.size(), 1);
        }
        QCOMPARE(outcomes.first(), EditOutcome::Unavailable);
        QCOMPARE(edited.size(), 0); // nobody heard of it
        QCOMPARE(store.events().at(1)->data(), original);
    }
    // After a restart the earlier version is there, and can be edited now that there is room.
    LocalEventStore store(dir.path(), {}, durability);
    QVERIFY(store.open(&error));
    QCOMPARE(store.events().at(1)->data(), original);
    QSignalSpy edited(&store, &EventStore::eventEdited);
    QList<EditOutcome> outcomes;
    store.edit(Event::edited(*store.events().at(1), "new text", {}),
               [&](EditOutcome outcome) { outcomes.append(outcome); });
    QTRY_COMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.first(), EditOutcome::Edited);
    QCOMPARE(edited.size(), 1);
    QCOMPARE(store.events().at(1)->data(), QByteArray("new text"));
    QCOMPARE(store.events().at(1)->revision, 1u);
    // An edit of an event that is not retained is not found.
    outcomes.clear();
    store.edit(Event::edited(*Event::create(9, {}, {}, {}, "x", 0), "y", {}),
               [&](EditOutcome outcome) { outcomes.append(outcome); });
    QTRY_COMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.first(), EditOutcome::NotFound);
}

void tst_LocalEventStore::aBatchWhoseWriteIsRefusedRefusesEveryEvent_data()
{
    historyAndIdsSurviveAReopen_data();
}

void tst_LocalEventStore::aBatchWhoseWriteIsRefusedRefusesEveryEvent()
{
    QFETCH(Durability, durability);
    QTemporaryDir dir;
    QString error;
    {
        LocalEventStore store(dir.path(), {}, durability);
        QVERIFY(store.open(&error));
        QList<EventStore::Appended> answers;
        const auto collect = [&](const EventStore::Appended &appended) {
            answers.append(appended);
        };
        store.append(request("before"), 0, collect);
        QTRY_COMPARE(answers.size(), 1);
        QSignalSpy committed(&store, &EventStore::eventCommitted);
        {
            // The batch's one write fits in part only.
            FileSizeLimit limit(QFileInfo(store.journalFileName()).size() + 100);
            QVERIFY(limit.isSet());
            store.beginBatch();
            for (int i = 0; i < 3; ++i)
                store.append(request("in the batch"), 0, collect);
            store.endBatch();
            QTRY_COMPARE(answers.size(), 4);
        }
        for (const EventStore::Appended &refused : answers.mid(1)) {
            QVERIFY(!refused.event);
            QCOMPARE(refused.error, PublishError::Unavailable);
        }
        QCOMPARE(committed.size(), 0);
        QCOMPARE(idsOf(store.events()), (QList<quint64>{1}));
    }
    LocalEventStore store(dir.path(), {}, durability);
    QVERIFY(store.open(&error));
    QCOMPARE(idsOf(store.events()), (QList<quint64>{1}));
}

void tst_LocalEventStore::aRetriedPublishWithTheSameKeyMakesNoSecondEvent_data()
{
    historyAndIdsSurviveAReopen_data();
}

void tst_LocalEventStore::aRetriedPublishWithTheSameKeyMakesNoSecondEvent()
{
    QFETCH(Durability, durability);
    QTemporaryDir dir;
    LocalEventStore store(dir.path(), {3, 1 << 20}, durability);
    QString error;
    QVERIFY(store.open(&error));
    QSignalSpy committed(&store, &EventStore::eventCommitted);
    PublishRequest keyed = request("pay once");
    keyed.idempotencyKey = "order-17";
    QList<EventStore::Appended> answers;
    const auto collect = [&](const EventStore::Appended &appended) {
        answers.append(appended);
    };
    store.append(keyed, 0, collect);
    store.append(keyed, 0, collect); // a retry, perhaps before the first is even synced
    QTRY_COMPARE(answers.size(), 2);
    QVERIFY(answers.at(0).event);
    QCOMPARE(answers.at(1).duplicateOf, answers.at(0).event->id);
    QVERIFY(!answers.at(1).event);
    QCOMPARE(committed.size(), 1);
    // Another key is another event; once the first event has left history, its key makes a new one.
    for (int i = 0; i < 3; ++i)
        store.append(request("later"), 0, collect);
    QTRY_COMPARE(answers.size(), 5);
    store.append(keyed, 0, collect);
    QTRY_COMPARE(answers.size(), 6);
    QVERIFY(answers.last().event);
    QCOMPARE(answers.last().event->id, 5u);
}

void tst_LocalEventStore::aRetriedPublishWithTheSameKeyMakesNoSecondEventAfterAReopen_data()
{
    historyAndIdsSurviveAReopen_data();
}

void tst_LocalEventStore::aRetriedPublishWithTheSameKeyMakesNoSecondEventAfterAReopen()
{
    QFETCH(Durability, durability);
    QTemporaryDir dir;
    QString error;
    PublishRequest keyed = request("pay once");
    keyed.idempotencyKey = QByteArray("order-17 \xff\x01", 11); // raw header bytes
    QList<EventStore::Appended> answers;
    const auto collect = [&](const EventStore::Appended &appended) {
        answers.append(appended);
    };
    {
        LocalEventStore store(dir.path(), {}, durability);
        QVERIFY(store.open(&error));
        store.append(request("before"), 0, collect);
        store.append(keyed, 0, collect);
        QTRY_COMPARE(answers.size(), 2);
        QVERIFY(answers.at(1).event);
    }
    const quint64 first = answers.at(1).event->id;
    LocalEventStore store(dir.path(), {}, durability);
    QVERIFY(store.open(&error));
    QSignalSpy committed(&store, &EventStore::eventCommitted);
    store.append(keyed, 0, collect);
    QTRY_COMPARE(answers.size(), 3);
    QVERIFY(!answers.at(2).event);
    QCOMPARE(answers.at(2).duplicateOf, first);
    QCOMPARE(committed.size(), 0);
    QCOMPARE(store.size(), 2);
    // Another key is still another event.
    keyed.idempotencyKey = "order-18";
    store.append(keyed, 0, collect);
    QTRY_COMPARE(answers.size(), 4);
    QVERIFY(answers.at(3).event);
    QCOMPARE(answers.at(3).event->id, 3u);
}

QTEST_GUILESS_MAIN(tst_LocalEventStore)
#include "tst_localeventstore.moc"
