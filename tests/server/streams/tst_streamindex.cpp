#include "eventstreamencoder.h"
#include "eventstreamparser.h"
#include "streamshard.h"

#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTest>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace {

/// The browser end of one stream, read by the reader thread.
struct Reader
{
    int fd = -1;
    EventStreamParser parser;
    QList<EventStreamParser::Event> events;
    bool ended = false;
};

/// What a stream should receive, as the routing rule says, worked out without any index.
struct Expected
{
    QString clientId;
    QStringList topics;
    QStringList data; ///< the events it may see, in order
    bool closed = false; ///< closed by Herald: all it was owed, then the farewell
};

} // namespace

/// The stream shard's indexes by topic and client id, checked against a brute-force model: random
/// mixes of broadcasts, topics and targets, with streams joining and leaving while passes run.
class tst_StreamIndex : public QObject
{
    Q_OBJECT

private slots:
    void randomMixesReachExactlyWhoMaySeeThem_data();
    void randomMixesReachExactlyWhoMaySeeThem();
    void anEventCostsInProportionToItsRecipients();
};

void tst_StreamIndex::randomMixesReachExactlyWhoMaySeeThem_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed : {1u, 2u, 3u, 4u, 5u, 6u})
        QTest::newRow(qPrintable(u"seed %1"_qs.arg(seed))) << seed;
}

void tst_StreamIndex::randomMixesReachExactlyWhoMaySeeThem()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    const QStringList topicPool{u"news"_qs, u"sport"_qs, u"weather"_qs, u"ops"_qs, u"art"_qs};
    const QStringList clientPool{u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs, u"erin"_qs, u"frank"_qs};

    std::atomic<quint64> delivered{0};
    StreamShard shard(64 * 1024 * 1024, &delivered, {});
    QString error;
    QVERIFY2(shard.start(&error), qPrintable(error));

    std::mutex mutex;
    std::map<quint64, Reader> readers;
    std::map<quint64, Expected> expected;
    std::atomic<bool> stop{false};
    std::thread reading;
    // A check that fails returns early: the reader still stops and is joined.
    const auto joinReader = qScopeGuard([&] {
        stop = true;
        if (reading.joinable())
            reading.join();
    });
    reading = std::thread([&] {
        while (!stop) {
            std::vector<pollfd> fds;
            std::vector<quint64> ids;
            {
                std::lock_guard<std::mutex> lock(mutex);
                for (auto &[connection, reader] : readers) {
                    if (!reader.ended) {
                        fds.push_back({reader.fd, POLLIN, 0});
                        ids.push_back(connection);
                    }
                }
            }
            if (fds.empty() || ::poll(fds.data(), fds.size(), 20) <= 0)
                continue;
            std::lock_guard<std::mutex> lock(mutex);
            for (size_t i = 0; i < fds.size(); ++i) {
                if (!fds[i].revents)
                    continue;
                Reader &reader = readers[ids[i]];
                char buffer[65536];
                const ssize_t got = ::recv(reader.fd, buffer, sizeof buffer, MSG_DONTWAIT);
                if (got > 0)
                    reader.events += reader.parser.feed(QByteArray(buffer, got));
                else if (got == 0)
                    reader.ended = true;
            }
        }
    });

    quint64 nextConnection = 1;
    quint64 nextId = 1;
    const QByteArray farewell = EventStreamEncoder::encodeNotice(u"herald-kicked"_qs, u"bye"_qs);
    auto addStream = [&] {
        int ends[2];
        QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) == 0);
        fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK);
        StreamSubscription subscription;
        subscription.connection = nextConnection++;
        subscription.fd = ends[0];
        subscription.clientId = clientPool.at(random.bounded(int(clientPool.size())));
        for (const QString &topic : topicPool) {
            if (random.bounded(4) == 0)
                subscription.topics.append(topic);
        }
        subscription.counters = std::make_shared<StreamCounters>();
        {
            std::lock_guard<std::mutex> lock(mutex);
            readers[subscription.connection].fd = ends[1];
        }
        expected[subscription.connection] = {subscription.clientId, subscription.topics, {}, false};
        std::vector<StreamSubscription> batch;
        batch.push_back(std::move(subscription));
        shard.addStreams(std::move(batch));
    };
    auto publish = [&] {
        const int kind = random.bounded(10);
        const QString topic = kind >= 4 && kind < 9 ? topicPool.at(random.bounded(int(topicPool.size()))) : QString();
        const QString target = kind >= 7 ? clientPool.at(random.bounded(int(clientPool.size()))) : QString();
        const QString text = u"event %1 %2 %3"_qs.arg(nextId).arg(topic, target);
        const EventPointer event = Event::create(nextId++, QString(), topic, target, text.toUtf8(), 0);
        event->prepare(StreamFormat::Plain);
        for (auto &[connection, stream] : expected) {
            if (!stream.closed && event->isVisibleTo(stream.clientId, stream.topics))
                stream.data.append(text);
        }
        shard.publish({event});
    };

    for (int i = 0; i < 40; ++i)
        addStream();
    for (int step = 0; step < 3000; ++step) {
        const int action = random.bounded(100);
        if (action < 85) {
            publish();
        } else if (action < 93) {
            addStream();
        } else {
            // Herald closes a random open stream: it gets what it was owed, then the farewell.
            std::vector<quint64> open;
            for (const auto &[connection, stream] : expected) {
                if (!stream.closed)
                    open.push_back(connection);
            }
            if (!open.empty()) {
                const quint64 connection = open[random.bounded(int(open.size()))];
                expected[connection].closed = true;
                shard.closeStream(connection, farewell);
            }
        }
        if (step % 500 == 0)
            QThread::msleep(1); // let passes run while more arrives
    }
    // Every event counts as passed once every stream it is for has been offered it.
    QTRY_COMPARE_WITH_TIMEOUT(shard.passedEvents(), nextId - 1, 20000);
    shard.closeAllAndStop(farewell, 10000);

    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            std::lock_guard<std::mutex> lock(mutex);
            for (const auto &[connection, reader] : readers) {
                if (!reader.ended)
                    return false;
            }
            return true;
        }(),
        20000);
    stop = true;
    reading.join();

    quint64 total = 0;
    for (const auto &[connection, stream] : expected) {
        const Reader &reader = readers[connection];
        QStringList got;
        int farewells = 0;
        for (const EventStreamParser::Event &event : reader.events) {
            if (event.type == u"herald-kicked"_qs)
                ++farewells;
            else
                got.append(event.data);
        }
        QVERIFY2(got == stream.data,
                 qPrintable(u"stream %1 (client %2, topics %3): got %4 events, expected %5"_qs.arg(connection)
                                .arg(stream.clientId, stream.topics.join(u','))
                                .arg(got.size())
                                .arg(stream.data.size())));
        QCOMPARE(farewells, 1);
        QCOMPARE(reader.events.last().type, u"herald-kicked"_qs);
        total += quint64(stream.data.size());
        ::close(reader.fd);
    }
    QCOMPARE(delivered.load(), total);
}

void tst_StreamIndex::anEventCostsInProportionToItsRecipients()
{
    std::atomic<quint64> delivered{0};
    StreamShard shard(1024 * 1024, &delivered, {});
    QString error;
    QVERIFY2(shard.start(&error), qPrintable(error));
    std::vector<int> clientEnds;
    std::vector<StreamSubscription> batch;
    // 1,000 streams: ten on topic "a", one with client id "target", the rest on topics of their own.
    for (quint64 connection = 1; connection <= 1000; ++connection) {
        int ends[2];
        QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) == 0);
        fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK);
        clientEnds.push_back(ends[1]);
        StreamSubscription subscription;
        subscription.connection = connection;
        subscription.fd = ends[0];
        subscription.clientId = connection == 500 ? u"target"_qs : u"c%1"_qs.arg(connection);
        subscription.topics = {connection <= 10 ? u"a"_qs : u"t%1"_qs.arg(connection)};
        subscription.counters = std::make_shared<StreamCounters>();
        batch.push_back(std::move(subscription));
    }
    shard.addStreams(std::move(batch));

    auto publishAndCount = [&](quint64 id, const QString &topic, const QString &target) {
        const quint64 before = shard.streamsVisited();
        const EventPointer event = Event::create(id, QString(), topic, target, "x", 0);
        event->prepare(StreamFormat::Plain);
        shard.publish({event});
        if (!QTest::qWaitFor([&] { return shard.passedEvents() >= id; }, 10000))
            return quint64(0);
        return shard.streamsVisited() - before;
    };
    // An event visits its recipients, not the shard's thousand streams.
    QCOMPARE(publishAndCount(1, u"a"_qs, QString()), 10u);
    QCOMPARE(publishAndCount(2, u"nobody-reads-this"_qs, QString()), 0u);
    QCOMPARE(publishAndCount(3, QString(), u"target"_qs), 1u);
    // A broadcast visits everyone.
    QCOMPARE(publishAndCount(4, QString(), QString()), 1000u);
    QTRY_COMPARE(delivered.load(), 10u + 1u + 1000u);
    shard.closeAllAndStop(QByteArray(), 0);
    for (int fd : clientEnds)
        ::close(fd);
}

QTEST_GUILESS_MAIN(tst_StreamIndex)
#include "tst_streamindex.moc"
