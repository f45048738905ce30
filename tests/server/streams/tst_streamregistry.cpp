#include "streamregistry.h"

#include <QTest>

namespace {

StreamInfo stream(quint64 connection, const QString &clientId, const QStringList &topics = {})
{
    StreamInfo info;
    info.connection = connection;
    info.clientId = clientId;
    info.topics = topics;
    return info;
}

EventPointer eventFor(const QString &topic, const QString &target = QString())
{
    return Event::create(1, QString(), topic, target, "x", 0);
}

} // namespace

/// Who is connected, and how many streams an event is for.
class tst_StreamRegistry : public QObject
{
    Q_OBJECT

private slots:
    void countsTheStreamsAnEventIsFor();
    void aClientIsOneIdWithAnyNumberOfStreams();
    void knowsWhichFormatsAreInUse();
    void snapshotsCarryTheCountersInConnectionOrder();
    void bytesOfEndedStreamsStillCount();
};

void tst_StreamRegistry::countsTheStreamsAnEventIsFor()
{
    StreamRegistry registry;
    registry.add(stream(1, u"alice"_qs), StreamFormat::Plain, std::make_shared<StreamCounters>());
    registry.add(stream(2, u"bob"_qs, {u"news"_qs}), StreamFormat::Plain, std::make_shared<StreamCounters>());
    registry.add(stream(3, u"bob"_qs, {u"sport"_qs, u"news"_qs}), StreamFormat::Json,
                 std::make_shared<StreamCounters>());
    registry.add(stream(4, u"carol"_qs, {u"sport"_qs}), StreamFormat::Plain, std::make_shared<StreamCounters>());

    QCOMPARE(registry.recipientsOf(*eventFor(QString())), 4);
    QCOMPARE(registry.recipientsOf(*eventFor(u"news"_qs)), 3); // alice has no filter
    QCOMPARE(registry.recipientsOf(*eventFor(u"sport"_qs)), 3);
    QCOMPARE(registry.recipientsOf(*eventFor(u"weather"_qs)), 1);
    QCOMPARE(registry.recipientsOf(*eventFor(QString(), u"bob"_qs)), 2);
    QCOMPARE(registry.recipientsOf(*eventFor(u"sport"_qs, u"bob"_qs)), 1);
    QCOMPARE(registry.recipientsOf(*eventFor(QString(), u"nobody"_qs)), 0);

    registry.remove(3);
    QCOMPARE(registry.recipientsOf(*eventFor(u"sport"_qs)), 2);
    QCOMPARE(registry.recipientsOf(*eventFor(QString(), u"bob"_qs)), 1);
    registry.remove(3); // twice is harmless
    QCOMPARE(registry.streamCount(), 3);
}

void tst_StreamRegistry::aClientIsOneIdWithAnyNumberOfStreams()
{
    StreamRegistry registry;
    registry.add(stream(1, u"alice"_qs), StreamFormat::Plain, std::make_shared<StreamCounters>());
    registry.add(stream(2, u"alice"_qs), StreamFormat::Plain, std::make_shared<StreamCounters>());
    registry.add(stream(5, u"bob"_qs), StreamFormat::Plain, std::make_shared<StreamCounters>());
    QCOMPARE(registry.streamCount(), 3);
    QCOMPARE(registry.clientCount(), 2);
    QList<quint64> alice = registry.connectionsOf(u"alice"_qs);
    std::sort(alice.begin(), alice.end());
    QCOMPARE(alice, (QList<quint64>{1, 2}));
    QCOMPARE(registry.clientIdOf(5), u"bob"_qs);
    QVERIFY(registry.clientIdOf(9).isEmpty());
    registry.remove(1);
    registry.remove(2);
    QCOMPARE(registry.clientCount(), 1);
    QVERIFY(registry.connectionsOf(u"alice"_qs).isEmpty());
}

void tst_StreamRegistry::knowsWhichFormatsAreInUse()
{
    StreamRegistry registry;
    QVERIFY(!registry.isInUse(StreamFormat::Plain));
    QVERIFY(!registry.isInUse(StreamFormat::Json));
    registry.add(stream(1, u"page"_qs), StreamFormat::Json, std::make_shared<StreamCounters>());
    QVERIFY(registry.isInUse(StreamFormat::Json));
    QVERIFY(!registry.isInUse(StreamFormat::Plain));
    registry.add(stream(2, u"curl"_qs), StreamFormat::Plain, std::make_shared<StreamCounters>());
    registry.remove(1);
    QVERIFY(!registry.isInUse(StreamFormat::Json));
    QVERIFY(registry.isInUse(StreamFormat::Plain));
}

void tst_StreamRegistry::snapshotsCarryTheCountersInConnectionOrder()
{
    StreamRegistry registry;
    auto counters = std::make_shared<StreamCounters>();
    registry.add(stream(7, u"late"_qs), StreamFormat::Plain, std::make_shared<StreamCounters>());
    registry.add(stream(3, u"early"_qs, {u"news"_qs}), StreamFormat::Plain, counters);
    counters->eventsSent = 5;
    counters->bytesSent = 900;
    counters->queuedBytes = 40;
    counters->lastEventId = 12;
    const QList<StreamInfo> snapshot = registry.snapshot();
    QCOMPARE(snapshot.size(), 2);
    QCOMPARE(snapshot.at(0).connection, 3u);
    QCOMPARE(snapshot.at(0).clientId, u"early"_qs);
    QCOMPARE(snapshot.at(0).topics, QStringList{u"news"_qs});
    QCOMPARE(snapshot.at(0).eventsSent, 5u);
    QCOMPARE(snapshot.at(0).bytesSent, 900u);
    QCOMPARE(snapshot.at(0).queuedBytes, 40u);
    QCOMPARE(snapshot.at(0).lastEventId, 12u);
    QCOMPARE(snapshot.at(1).connection, 7u);
}

void tst_StreamRegistry::bytesOfEndedStreamsStillCount()
{
    StreamRegistry registry;
    auto first = std::make_shared<StreamCounters>();
    auto second = std::make_shared<StreamCounters>();
    registry.add(stream(1, u"a"_qs), StreamFormat::Plain, first);
    registry.add(stream(2, u"b"_qs), StreamFormat::Plain, second);
    first->bytesSent = 100;
    second->bytesSent = 30;
    QCOMPARE(registry.bytesSent(), 130u);
    registry.remove(1);
    second->bytesSent = 50;
    QCOMPARE(registry.bytesSent(), 150u);
}

QTEST_APPLESS_MAIN(tst_StreamRegistry)
#include "tst_streamregistry.moc"
