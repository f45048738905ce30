#include "eventstreamencoder.h"
#include "eventstreamparser.h"
#include "streamshard.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace {

/// One end of a real loopback TCP connection: the server end goes to the shard, the client end
/// is read like a browser would.
struct Connection
{
    int serverFd = -1;
    QTcpSocket *client = nullptr;
    QByteArray received;
    EventStreamParser parser;
    QList<EventStreamParser::Event> events;
    std::shared_ptr<StreamCounters> counters = std::make_shared<StreamCounters>();

    void readAvailable()
    {
        const QByteArray bytes = client->readAll();
        received += bytes;
        events += parser.feed(bytes);
    }
};

} // namespace

class tst_StreamShard : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void deliversEveryEventInOrderToEveryStream();
    void eventsPublishedDuringAPassReachEveryStreamOnce();
    void sendsThePreambleFirst();
    void honoursTopicsAndTargets();
    void aStalledReaderIsDroppedWhileOthersReceiveEverything();
    void largeEventsSurvivePartialWrites();
    void closingSendsWhatWasQueuedThenTheFarewell();
    void noticesWhenTheBrowserGoesAway();
    void closeAllAndStopSaysGoodbyeToEveryone();
    void aCatchUpIsReadFromHistoryAsTheReaderTakesIt();
    void closingDuringACatchUpSendsNoLiveEvent();
    void anNtfyStreamPassesWhatIsNotForItWithoutAByteOrADelivery();
    void aStreamThatEndsAfterItsCatchUpTakesNoLiveEvent();

private:
    std::unique_ptr<Connection> openConnection(const QString &clientId = QString(), const QStringList &topics = {},
                                               int serverSendBuffer = 0);
    void subscribe(Connection &connection, quint64 number, const QString &clientId, const QStringList &topics,
                   const QList<StreamChunk> &preamble = {}, const StreamCatchUp &catchUp = {});
    /// Stops reading \a connection, as a browser on a stalled link would; resume() reads on.
    void stall(Connection &connection);
    void resume(Connection &connection);
    EventPointer publish(quint64 id, const QString &data, const QString &topic = QString(),
                         const QString &target = QString());
    QList<QPair<quint64, StreamEnd>> endedStreams();

    QTcpServer m_server;
    std::unique_ptr<StreamShard> m_shard;
    std::atomic<quint64> m_delivered{0};
    std::mutex m_endedMutex;
    QList<QPair<quint64, StreamEnd>> m_ended;
};

void tst_StreamShard::init()
{
    QVERIFY(m_server.listen(QHostAddress::LocalHost));
    m_delivered = 0;
    m_ended.clear();
    m_shard = std::make_unique<StreamShard>(1024 * 1024, &m_delivered, [this](quint64 connection, StreamEnd reason) {
        std::lock_guard<std::mutex> lock(m_endedMutex);
        m_ended.append({connection, reason});
    });
    QString error;
    QVERIFY2(m_shard->start(&error), qPrintable(error));
}

void tst_StreamShard::cleanup()
{
    m_shard.reset();
    m_server.close();
}

std::unique_ptr<Connection> tst_StreamShard::openConnection(const QString &, const QStringList &, int serverSendBuffer)
{
    auto connection = std::make_unique<Connection>();
    connection->client = new QTcpSocket(this);
    connection->client->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
    if (!m_server.waitForNewConnection(5000))
        return {};
    QTcpSocket *serverSide = m_server.nextPendingConnection();
    connection->serverFd = fcntl(int(serverSide->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (serverSendBuffer > 0)
        setsockopt(connection->serverFd, SOL_SOCKET, SO_SNDBUF, &serverSendBuffer, sizeof serverSendBuffer);
    serverSide->abort();
    delete serverSide;
    Connection *raw = connection.get();
    QObject::connect(connection->client, &QTcpSocket::readyRead, this, [raw] { raw->readAvailable(); });
    return connection;
}

void tst_StreamShard::subscribe(Connection &connection, quint64 number, const QString &clientId,
                                const QStringList &topics, const QList<StreamChunk> &preamble,
                                const StreamCatchUp &catchUp)
{
    StreamSubscription subscription;
    subscription.connection = number;
    subscription.fd = connection.serverFd;
    subscription.clientId = clientId;
    subscription.topics = topics;
    subscription.preamble = preamble;
    subscription.catchUp = catchUp;
    subscription.counters = connection.counters;
    std::vector<StreamSubscription> batch;
    batch.push_back(std::move(subscription));
    m_shard->addStreams(std::move(batch));
}

void tst_StreamShard::stall(Connection &connection)
{
    connection.client->setReadBufferSize(1);
    QObject::disconnect(connection.client, nullptr, this, nullptr);
}

void tst_StreamShard::resume(Connection &connection)
{
    Connection *raw = &connection;
    QObject::connect(connection.client, &QTcpSocket::readyRead, this, [raw] { raw->readAvailable(); });
    connection.client->setReadBufferSize(0);
    connection.readAvailable();
}

EventPointer tst_StreamShard::publish(quint64 id, const QString &data, const QString &topic, const QString &target)
{
    EventPointer event = Event::create(id, QString(), topic, target, data.toUtf8(), 0);
    event->prepare(StreamFormat::Plain); // as the service does for the formats its streams use
    m_shard->publish({event});
    return event;
}

QList<QPair<quint64, StreamEnd>> tst_StreamShard::endedStreams()
{
    std::lock_guard<std::mutex> lock(m_endedMutex);
    return m_ended;
}

void tst_StreamShard::deliversEveryEventInOrderToEveryStream()
{
    std::vector<std::unique_ptr<Connection>> connections;
    for (quint64 i = 1; i <= 3; ++i) {
        connections.push_back(openConnection());
        QVERIFY(connections.back());
        subscribe(*connections.back(), i, QStringLiteral("c%1").arg(i), {});
    }
    const int count = 200;
    for (int id = 1; id <= count; ++id)
        publish(quint64(id), QStringLiteral("event %1").arg(id));

    for (auto &connection : connections) {
        QTRY_COMPARE_WITH_TIMEOUT(connection->events.size(), count, 10000);
        for (int i = 0; i < count; ++i) {
            QCOMPARE(connection->events.at(i).data, QStringLiteral("event %1").arg(i + 1));
            QCOMPARE(connection->events.at(i).lastEventId, QString::number(i + 1));
        }
        QTRY_COMPARE(connection->counters->eventsSent.load(), quint64(count));
        QCOMPARE(connection->counters->lastEventId.load(), quint64(count));
        QCOMPARE(connection->counters->bytesSent.load(), quint64(connection->received.size()));
        QCOMPARE(connection->counters->queuedBytes.load(), 0u);
    }
    QTRY_COMPARE(m_delivered.load(), quint64(3 * count));
}

void tst_StreamShard::eventsPublishedDuringAPassReachEveryStreamOnce()
{
    // Events keep arriving while the shard is in the middle of passes over hundreds of
    // streams. Each stream must get each event once and in order, and an event may count as
    // passed (which releases publishers' answers) only once every stream has been offered it.
    const int streamCount = 400;
    const int eventCount = 300;
    std::vector<std::unique_ptr<Connection>> connections;
    std::vector<std::shared_ptr<StreamCounters>> counters;
    for (int i = 0; i < streamCount; ++i) {
        connections.push_back(openConnection());
        QVERIFY(connections.back());
        counters.push_back(connections.back()->counters);
    }

    std::atomic<int> streamsChecked{0};
    std::atomic<int> streamsBehind{0};
    m_shard.reset();
    m_shard = std::make_unique<StreamShard>(1024 * 1024, &m_delivered, nullptr);
    StreamShard *shard = m_shard.get();
    m_shard->setEventsPassedCallback([&, shard] {
        // On the shard's thread, which is the one that writes the counters.
        const quint64 passed = shard->passedEvents();
        for (const auto &figures : counters) {
            if (figures->queuedBytes.load() != 0)
                continue; // a stream the kernel refused: its events are queued, not sent
            ++streamsChecked;
            if (figures->eventsSent.load() < passed)
                ++streamsBehind;
        }
    });
    QString error;
    QVERIFY2(m_shard->start(&error), qPrintable(error));
    for (int i = 0; i < streamCount; ++i)
        subscribe(*connections[size_t(i)], quint64(i + 1), QStringLiteral("c%1").arg(i), {}, {{"HEAD\n\n", 0}});
    for (auto &connection : connections)
        QTRY_VERIFY(connection->received.startsWith("HEAD\n\n"));

    // Joined before anything can fail: a failed check returns, and must not leave it running.
    std::thread publisher([this] {
        for (int id = 1; id <= eventCount; ++id) {
            publish(quint64(id), QStringLiteral("event %1").arg(id));
            std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
    });
    publisher.join();
    for (auto &connection : connections)
        QTRY_COMPARE_WITH_TIMEOUT(connection->events.size(), eventCount, 20000);
    QTRY_COMPARE(m_shard->passedEvents(), quint64(eventCount));

    for (auto &connection : connections) {
        for (int i = 0; i < eventCount; ++i)
            QCOMPARE(connection->events.at(i).lastEventId, QString::number(i + 1));
    }
    QVERIFY(streamsChecked.load() > 0);
    QCOMPARE(streamsBehind.load(), 0);
    QTRY_COMPARE(m_delivered.load(), quint64(streamCount) * eventCount);
    m_shard.reset(); // before the counters the callback reads go away
}

void tst_StreamShard::sendsThePreambleFirst()
{
    auto connection = openConnection();
    QVERIFY(connection);
    const EventPointer replayed = Event::create(7, QString(), QString(), QString(), "replayed", 0);
    replayed->prepare(StreamFormat::Plain);
    publish(8, u"published before the stream joined"_qs);
    subscribe(*connection, 1, u"c"_qs, {},
              {{"HEAD\n\n", 0},
               {EventStreamEncoder::encodeRetry(1234), 0},
               {replayed->encodedFor(StreamFormat::Plain), replayed->id}});
    publish(9, u"live"_qs);

    QTRY_COMPARE(connection->events.size(), 2);
    QVERIFY(connection->received.startsWith("HEAD\n\n"));
    QCOMPARE(connection->parser.retry(), 1234);
    QCOMPARE(connection->events.at(0).data, u"replayed"_qs);
    QCOMPARE(connection->events.at(1).data, u"live"_qs); // no duplicate of 8, which came before
    QTRY_COMPARE(connection->counters->eventsSent.load(), 2u);
    QCOMPARE(connection->counters->lastEventId.load(), 9u);
}

void tst_StreamShard::honoursTopicsAndTargets()
{
    auto news = openConnection();
    auto everything = openConnection();
    QVERIFY(news && everything);
    subscribe(*news, 1, u"alice"_qs, {u"news"_qs});
    subscribe(*everything, 2, u"bob"_qs, {});
    publish(1, u"for all"_qs);
    publish(2, u"news"_qs, u"news"_qs);
    publish(3, u"sport"_qs, u"sport"_qs);
    publish(4, u"to alice"_qs, QString(), u"alice"_qs);
    publish(5, u"to bob"_qs, QString(), u"bob"_qs);
    publish(6, u"last"_qs);

    QTRY_COMPARE(news->events.size(), 4);
    QTRY_COMPARE(everything->events.size(), 5);
    QStringList newsData, everythingData;
    for (const auto &event : news->events)
        newsData.append(event.data);
    for (const auto &event : everything->events)
        everythingData.append(event.data);
    QCOMPARE(newsData, (QStringList{u"for all"_qs, u"news"_qs, u"to alice"_qs, u"last"_qs}));
    QCOMPARE(everythingData, (QStringList{u"for all"_qs, u"news"_qs, u"sport"_qs, u"to bob"_qs, u"last"_qs}));
}

void tst_StreamShard::aStalledReaderIsDroppedWhileOthersReceiveEverything()
{
    m_shard->setMaxQueuedBytes(64 * 1024);
    auto reader = openConnection();
    QVERIFY(reader);
    subscribe(*reader, 1, u"reader"_qs, {});

    // The stalled client never reads, and its kernel buffers are small.
    auto stalled = openConnection(QString(), {}, 4096);
    QVERIFY(stalled);
    stalled->client->setReadBufferSize(1);
    QObject::disconnect(stalled->client, nullptr, this, nullptr);
    subscribe(*stalled, 2, u"stalled"_qs, {});

    const QString payload(1000, u'x');
    const int count = 3000; // about 3 MB, far more than the kernel and the cap hold
    for (int id = 1; id <= count; ++id) {
        publish(quint64(id), payload);
        if (id % 20 == 0) // the reader keeps up, as a healthy browser does
            QTRY_COMPARE_WITH_TIMEOUT(reader->events.size(), id, 10000);
    }

    QTRY_VERIFY_WITH_TIMEOUT(endedStreams().contains(qMakePair(quint64(2), StreamEnd::TooSlow)), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(reader->events.size(), count, 20000);
    for (int i = 0; i < count; ++i)
        QCOMPARE(reader->events.at(i).lastEventId, QString::number(i + 1));
    QVERIFY(!endedStreams().contains(qMakePair(quint64(1), StreamEnd::TooSlow)));
}

void tst_StreamShard::largeEventsSurvivePartialWrites()
{
    auto connection = openConnection(QString(), {}, 4096);
    QVERIFY(connection);
    connection->client->setReadBufferSize(8192); // read slowly, so writes are refused and resumed
    subscribe(*connection, 1, u"c"_qs, {});

    QStringList published;
    for (int id = 1; id <= 20; ++id) {
        QString data;
        for (int line = 0; line < 2000; ++line)
            data += QStringLiteral("event %1 line %2\n").arg(id).arg(line);
        published.append(data);
        publish(quint64(id), data);
    }
    QTRY_COMPARE_WITH_TIMEOUT(connection->events.size(), 20, 20000);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(connection->events.at(i).data, published.at(i));
    QTRY_COMPARE(connection->counters->queuedBytes.load(), 0u);
    QCOMPARE(connection->counters->bytesSent.load(), quint64(connection->received.size()));
}

void tst_StreamShard::closingSendsWhatWasQueuedThenTheFarewell()
{
    auto connection = openConnection();
    QVERIFY(connection);
    subscribe(*connection, 1, u"c"_qs, {});
    publish(1, u"one"_qs);
    publish(2, u"two"_qs);
    m_shard->closeStream(1, EventStreamEncoder::encodeNotice(u"herald-kicked"_qs, u"bye"_qs));
    publish(3, u"after the disconnect"_qs);

    QTRY_VERIFY(connection->client->state() == QAbstractSocket::UnconnectedState);
    connection->readAvailable();
    QCOMPARE(connection->events.size(), 3);
    QCOMPARE(connection->events.at(0).data, u"one"_qs);
    QCOMPARE(connection->events.at(1).data, u"two"_qs);
    QCOMPARE(connection->events.at(2).type, u"herald-kicked"_qs);
    QTRY_VERIFY(endedStreams().contains(qMakePair(quint64(1), StreamEnd::Closed)));
}

void tst_StreamShard::noticesWhenTheBrowserGoesAway()
{
    auto connection = openConnection();
    QVERIFY(connection);
    subscribe(*connection, 5, u"c"_qs, {});
    publish(1, u"hello"_qs);
    QTRY_COMPARE(connection->events.size(), 1);
    connection->client->abort();
    QTRY_VERIFY(endedStreams().contains(qMakePair(quint64(5), StreamEnd::PeerClosed)));
}

void tst_StreamShard::closeAllAndStopSaysGoodbyeToEveryone()
{
    std::vector<std::unique_ptr<Connection>> connections;
    for (quint64 i = 1; i <= 5; ++i) {
        connections.push_back(openConnection());
        QVERIFY(connections.back());
        subscribe(*connections.back(), i, QStringLiteral("c%1").arg(i), {});
    }
    publish(1, u"last words"_qs);
    m_shard->closeAllAndStop(EventStreamEncoder::encodeNotice(u"herald-shutdown"_qs, u"{}"_qs), 2000);
    QCOMPARE(endedStreams().size(), 5);
    for (auto &connection : connections) {
        QTRY_VERIFY(connection->client->state() == QAbstractSocket::UnconnectedState);
        connection->readAvailable();
        QCOMPARE(connection->events.size(), 2);
        QCOMPARE(connection->events.at(0).data, u"last words"_qs);
        QCOMPARE(connection->events.at(1).type, u"herald-shutdown"_qs);
    }
}

namespace {

/// A history of \a count events of about \a size bytes each, encoded for plain streams.
std::unique_ptr<EventHistory> historyOf(quint64 count, int size)
{
    auto history = std::make_unique<EventHistory>(HistoryLimits{int(count), qint64(1) << 40});
    for (quint64 id = 1; id <= count; ++id) {
        EventPointer event
            = Event::create(id, QString(), QString(), QString(), QByteArray(size, 'h') + QByteArray::number(id), 0);
        event->prepare(StreamFormat::Plain);
        history->append(event);
    }
    return history;
}

} // namespace

void tst_StreamShard::aCatchUpIsReadFromHistoryAsTheReaderTakesIt()
{
    // Two megabytes to catch up on, against a 64 KiB buffer: the catch-up is read from history
    // as the socket drains and never counts; only the live events that pile up behind it do.
    m_shard->setMaxQueuedBytes(64 * 1024);
    const std::unique_ptr<EventHistory> history = historyOf(200, 10 * 1000);
    auto connection = openConnection(QString(), {}, 4096);
    QVERIFY(connection);
    stall(*connection);
    subscribe(*connection, 1, u"c"_qs, {}, {{"HEAD\n\n", 0}}, {history.get(), 0, 200});
    QTRY_VERIFY(connection->counters->bytesSent.load() > 0); // it has begun, and the kernel is full
    for (quint64 id = 201; id <= 205; ++id)
        publish(id, QStringLiteral("live %1").arg(id));
    QTRY_COMPARE(m_shard->passedEvents(), 5u); // queued for it: offered, so publishers hear back
    QVERIFY(connection->counters->queuedBytes.load() < 1024); // the live events alone count

    resume(*connection);
    QTRY_COMPARE_WITH_TIMEOUT(connection->events.size(), 205, 20000);
    for (int i = 0; i < 205; ++i)
        QCOMPARE(connection->events.at(i).lastEventId, QString::number(i + 1));
    QCOMPARE(connection->events.at(199).data.size(), 10 * 1000 + 3);
    QCOMPARE(connection->events.at(204).data, u"live 205"_qs);
    QVERIFY(endedStreams().isEmpty());
    QTRY_COMPARE(connection->counters->eventsSent.load(), 205u);
    QCOMPARE(connection->counters->queuedBytes.load(), 0u);
    QCOMPARE(connection->counters->bytesSent.load(), quint64(connection->received.size()));
}

void tst_StreamShard::closingDuringACatchUpSendsNoLiveEvent()
{
    // A stream closed before it caught up gets what it had begun, then its farewell: no live
    // event, so that its last event id is where its catch-up stopped and it can resume from there.
    const std::unique_ptr<EventHistory> history = historyOf(200, 10 * 1000);
    auto connection = openConnection(QString(), {}, 4096);
    QVERIFY(connection);
    stall(*connection);
    subscribe(*connection, 1, u"c"_qs, {}, {}, {history.get(), 0, 200});
    QTRY_VERIFY(connection->counters->bytesSent.load() > 0);
    publish(201, u"live"_qs);
    m_shard->closeStream(1, EventStreamEncoder::encodeNotice(u"herald-kicked"_qs, u"bye"_qs));
    resume(*connection);
    QTRY_VERIFY_WITH_TIMEOUT(connection->client->state() == QAbstractSocket::UnconnectedState, 10000);
    connection->readAvailable();
    QVERIFY(connection->events.size() >= 2);
    QVERIFY(connection->events.size() < 200);
    QCOMPARE(connection->events.last().type, u"herald-kicked"_qs);
    for (int i = 0; i + 1 < connection->events.size(); ++i)
        QCOMPARE(connection->events.at(i).lastEventId, QString::number(i + 1));
    QTRY_VERIFY(endedStreams().contains(qMakePair(quint64(1), StreamEnd::Closed)));
}

void tst_StreamShard::anNtfyStreamPassesWhatIsNotForItWithoutAByteOrADelivery()
{
    // Read slowly, so that writes are refused and resumed between the events it skips.
    auto ntfy = openConnection(QString(), {}, 4096);
    QVERIFY(ntfy);
    ntfy->client->setReadBufferSize(8192);
    StreamSubscription subscription;
    subscription.connection = 1;
    subscription.fd = ntfy->serverFd;
    subscription.clientId = u"phone"_qs;
    subscription.topics = {u"news"_qs};
    subscription.format = StreamFormat::NtfySse;
    subscription.counters = ntfy->counters;
    std::vector<StreamSubscription> batch;
    batch.push_back(std::move(subscription));
    m_shard->addStreams(std::move(batch));

    QStringList sent;
    for (quint64 id = 1; id <= 60; ++id) {
        // Every third is for the topic; the rest are for every page or for this client alone,
        // which an ntfy stream does not see.
        const bool forTopic = id % 3 == 0;
        const QString text = QStringLiteral("%1 %2").arg(id).arg(QString(forTopic ? 3000 : 10, u'x'));
        EventPointer event = Event::create(id, QString(), forTopic ? u"news"_qs : QString(),
                                           id % 3 == 1 ? u"phone"_qs : QString(), text.toUtf8(), 0);
        event->prepare(StreamFormat::NtfySse);
        m_shard->publish({event});
        if (forTopic)
            sent.append(text);
    }
    QTRY_COMPARE_WITH_TIMEOUT(ntfy->events.size(), sent.size(), 20000);
    for (int i = 0; i < sent.size(); ++i) {
        const QJsonObject message = QJsonDocument::fromJson(ntfy->events.at(i).data.toUtf8()).object();
        QCOMPARE(message.value(u"message").toString(), sent.at(i));
    }
    QTRY_COMPARE(m_delivered.load(), quint64(sent.size()));
    QCOMPARE(ntfy->counters->eventsSent.load(), quint64(sent.size()));
    QCOMPARE(ntfy->counters->lastEventId.load(), 60u);
    QCOMPARE(ntfy->counters->bytesSent.load(), quint64(ntfy->received.size()));
    QTRY_COMPARE(ntfy->counters->queuedBytes.load(), 0u);
}

void tst_StreamShard::aStreamThatEndsAfterItsCatchUpTakesNoLiveEvent()
{
    EventHistory history;
    for (quint64 id = 1; id <= 5; ++id) {
        EventPointer event = Event::create(id, QString(), QString(), QString(), QByteArray::number(id), 0);
        event->prepare(StreamFormat::Plain);
        history.append(event);
    }
    auto poll = openConnection();
    QVERIFY(poll);
    StreamSubscription subscription;
    subscription.connection = 1;
    subscription.fd = poll->serverFd;
    subscription.clientId = u"poll"_qs;
    subscription.endAfterCatchUp = true;
    subscription.preamble = {{"HTTP/1.1 200 OK\r\n\r\n", 0}};
    subscription.catchUp = {&history, 2, 5};
    subscription.counters = poll->counters;
    std::vector<StreamSubscription> batch;
    batch.push_back(std::move(subscription));
    m_shard->addStreams(std::move(batch));
    publish(6, u"live"_qs);

    QTRY_VERIFY(endedStreams().contains(qMakePair(quint64(1), StreamEnd::Closed)));
    QTRY_COMPARE(poll->client->state(), QAbstractSocket::UnconnectedState);
    poll->readAvailable();
    QCOMPARE(poll->received,
             QByteArray("HTTP/1.1 200 OK\r\n\r\n") + EventStreamEncoder::encodeEvent(3, {}, "3")
                 + EventStreamEncoder::encodeEvent(4, {}, "4") + EventStreamEncoder::encodeEvent(5, {}, "5"));
}

QTEST_GUILESS_MAIN(tst_StreamShard)
#include "tst_streamshard.moc"
