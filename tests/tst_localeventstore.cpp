#include "eventids.h"
#include "localeventstore.h"

#include <QFile>
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

const auto everything = [](const Event &) { return true; };

} // namespace

/// Herald's own event store: ids, history, the journal, and when an event counts as committed.
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
    void processModeServesFromMemoryWhenTheFolderIsUnusable();
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
        int done = 0;
        for (int i = 0; i < 5; ++i)
            store.append(request("kept"), 0, [&](const EventStore::Appended &) { ++done; });
        QTRY_COMPARE(done, 5);
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
    // A small history makes the journal compact every few dozen events, now and then while
    // some events still wait for the disk. Whatever it compacts, each batch must be in the file.
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
            store.append(request(QByteArray::number(next)), 0, [&](const EventStore::Appended &appended) {
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

void tst_LocalEventStore::processModeServesFromMemoryWhenTheFolderIsUnusable()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"blocker"_qs));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    LocalEventStore store(dir.filePath(u"blocker/data"_qs), {}, Durability::Process);
    QSignalSpy failed(&store, &EventStore::storageFailed);
    QString error;
    QVERIFY(store.open(&error));
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.first().first().toString().contains(u"memory"_qs));
    bool accepted = false;
    store.append(request("still served"), 0, [&](const EventStore::Appended &appended) { accepted = bool(appended.event); });
    QVERIFY(accepted);
    QCOMPARE(store.size(), 1);
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
    const auto collect = [&](const EventStore::Appended &appended) { answers.append(appended); };
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
    const auto collect = [&](const EventStore::Appended &appended) { answers.append(appended); };
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
