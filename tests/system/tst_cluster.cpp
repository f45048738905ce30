#include "heraldprocess.h"
#include "httpclient.h"
#include "redisserver.h"
#include "sseclient.h"
#include "testpictures.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <QTcpSocket>

#include <atomic>
#include <thread>

#include <algorithm>
#include <csignal>
#include <memory>

namespace {

/// One headless Herald of the cluster, the real binary.
struct Node
{
    std::unique_ptr<QTemporaryDir> dataDir = std::make_unique<QTemporaryDir>();
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    quint16 port = 0;

    QUrl url(const QString &pathAndQuery) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_qs.arg(port).arg(pathAndQuery));
    }
    HttpReply publish(const QByteArray &text, const QList<QPair<QByteArray, QByteArray>> &headers = {}) const
    {
        return httpRequest("POST", url(u"/publish"_qs), text,
                           QList<QPair<QByteArray, QByteArray>>{{"Content-Type", "text/plain"}} + headers);
    }
    QJsonObject stats() const { return httpRequest("GET", url(u"/api/stats"_qs)).json().object(); }
    bool isHealthy() const { return httpRequest("GET", url(u"/healthz"_qs)).status == 200; }
};

QList<quint64> idsOf(const SseClient &client)
{
    QList<quint64> ids;
    for (const EventStreamParser::Event &event : client.events()) {
        if (event.type == u"message"_qs)
            ids.append(event.lastEventId.toULongLong());
    }
    return ids;
}

/// Long enough for a second copy of an event to arrive, were one sent.
constexpr int ClusterWaitMs = 2000;

} // namespace

/// Cluster mode with real servers: three headless Heralds on one real redis-server, which the
/// tests start, kill, restart and wipe.
class tst_Cluster : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void everyStreamGetsEveryEventOnceInOneOrderWithTheSameIds();
    void replaysWorkOnAnyNode();
    void messageFieldsReachEveryNode();
    void aTrimmedIdGetsAGap();
    void whileRedisIsAwayStreamsStayAndPublishingWaits();
    void aRedisThatStopsAnsweringIsNoticed();
    void aBusyRedisIsWaitedFor();
    void aNodeLeftBehindTheTrimmedStreamSaysSo();
    void aRedisRestartedEmptyNeverRepeatsAnId();
    void aRetriedPublishThroughAnotherNodeMakesOneEvent();
    void theApiAndThePanelSeeEveryNode();
    void retractionsAndDisconnectsReachEveryNode();
    void editsReachEveryNodeAndANodeThatStartsLater();
    void behindTheReadmesNginxOnOnePort();
    void aFileSentThroughOneNodeIsServedByEveryNode();
    void theFilesOfEveryNodeStayWithinTheTotal();
    void aScheduledMessageGoesOutOnceAlsoWhenItsNodeIsKilled();
    void aBatchHasConsecutiveIdsWhileOtherNodesPublish();

private:
    bool startNodes(int count, const QStringList &arguments = {});
    bool startNode(Node &node, const QStringList &arguments = {});
    SseClient *openStream(const Node &node, const QByteArray &pathAndQuery = "/events",
                          const QList<QByteArray> &headers = {});

    std::unique_ptr<RedisServer> m_redis;
    std::vector<Node> m_nodes;
    QList<SseClient *> m_streams;
};

void tst_Cluster::initTestCase()
{
    if (!RedisServer::isInstalled())
        QFAIL("redis-server is not installed (tools/setup installs it)");
}

void tst_Cluster::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY(m_redis->start());
}

void tst_Cluster::cleanup()
{
    qDeleteAll(m_streams);
    m_streams.clear();
    for (Node &node : m_nodes) {
        node.process->terminate();
        if (!node.process->waitForFinished(5000))
            node.process->kill();
    }
    m_nodes.clear();
    m_redis.reset(); // killed, whatever happened
}

bool tst_Cluster::startNode(Node &node, const QStringList &arguments)
{
    node.process->start(QStringLiteral(HERALD_BINARY),
                        QStringList{u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs, u"0"_qs,
                                    u"--data-dir"_qs, node.dataDir->path(), u"--heartbeat"_qs, u"1"_qs, u"--cluster"_qs,
                                    m_redis->url()}
                            + arguments);
    QString output;
    node.port = waitForHeraldPort(*node.process, &output, u"Ctrl+C"_qs);
    return node.port != 0 && QTest::qWaitFor([&] { return node.isHealthy(); }, 10000);
}

bool tst_Cluster::startNodes(int count, const QStringList &arguments)
{
    m_nodes.resize(size_t(count));
    for (Node &node : m_nodes) {
        if (!startNode(node, arguments))
            return false;
    }
    return true;
}

SseClient *tst_Cluster::openStream(const Node &node, const QByteArray &pathAndQuery, const QList<QByteArray> &headers)
{
    // Registered by the node before anything is published to it.
    const int before = node.stats().value(u"clients"_qs).toInt();
    auto *client = new SseClient;
    m_streams.append(client);
    client->open(node.port, pathAndQuery, headers);
    client->waitForHead();
    if (!QTest::qWaitFor([&] { return node.stats().value(u"clients"_qs).toInt() > before || client->isClosed(); },
                         5000))
        qWarning("the stream was not registered in time");
    return client;
}

void tst_Cluster::everyStreamGetsEveryEventOnceInOneOrderWithTheSameIds()
{
    QVERIFY(startNodes(3));
    QList<SseClient *> streams;
    for (const Node &node : m_nodes) {
        streams.append(openStream(node));
        streams.append(openStream(node, "/events?format=json"));
    }
    for (const Node &node : m_nodes)
        QTRY_COMPARE(node.stats().value(u"clients"_qs).toInt(), 2);

    const int total = 30;
    QList<quint64> published;
    QStringList texts;
    for (int i = 0; i < total; ++i) {
        const QByteArray text = "event " + QByteArray::number(i);
        const HttpReply reply = m_nodes[size_t(i % 3)].publish(text); // alternating across nodes
        QCOMPARE(reply.status, 200);
        published.append(quint64(reply.json().object().value(u"id"_qs).toInteger()));
        texts.append(QString::fromUtf8(text));
    }
    // Ids come from Redis: dense, in publish order, whichever node took the publish.
    for (int i = 1; i < total; ++i)
        QCOMPARE(published.at(i), published.at(i - 1) + 1);

    for (SseClient *stream : streams) {
        QVERIFY(stream->waitForEvents(total, 10000));
        QCOMPARE(idsOf(*stream), published);
    }
    for (int i = 0; i < streams.size(); i += 2)
        QCOMPARE(streams.at(i)->dataOf(), texts);
}

void tst_Cluster::replaysWorkOnAnyNode()
{
    QVERIFY(startNodes(3));
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(m_nodes[0].publish(QByteArray::number(i)).status, 200);
    QTRY_COMPARE(m_nodes[2].stats().value(u"lastId"_qs).toInt(), 5);
    SseClient *resumed = openStream(m_nodes[2], "/events", {"Last-Event-ID: 2"});
    QVERIFY(resumed->waitForEvents(3));
    QCOMPARE(resumed->dataOf(), (QStringList{u"3"_qs, u"4"_qs, u"5"_qs}));
    QCOMPARE(idsOf(*resumed), (QList<quint64>{3, 4, 5}));
    SseClient *rewound = openStream(m_nodes[1], "/events?rewind=2");
    QVERIFY(rewound->waitForEvents(2));
    QCOMPARE(rewound->dataOf(), (QStringList{u"4"_qs, u"5"_qs}));

    // A node that joins later reads the history from Redis and replays it too.
    m_nodes.emplace_back();
    QVERIFY(startNode(m_nodes.back()));
    SseClient *late = openStream(m_nodes.back(), "/events", {"Last-Event-ID: 1"});
    QVERIFY(late->waitForEvents(4));
    QCOMPARE(late->dataOf(), (QStringList{u"2"_qs, u"3"_qs, u"4"_qs, u"5"_qs}));
}

void tst_Cluster::messageFieldsReachEveryNode()
{
    QVERIFY(startNodes(2));
    SseClient *live = openStream(m_nodes[1], "/events?format=json");
    QCOMPARE(m_nodes[0]
                 .publish("Doors *open*",
                          {{"Title", "Hall B"},
                           {"Priority", "urgent"},
                           {"Tags", "warning"},
                           {"Click", "https://example.com/b"},
                           {"Markdown", "yes"}})
                 .status,
             200);
    QCOMPARE(m_nodes[0].publish("plain").status, 200);
    const QJsonObject expected{{u"title"_qs, u"Hall B"_qs},
                               {u"priority"_qs, 5},
                               {u"tags"_qs, QJsonArray{u"warning"_qs}},
                               {u"click"_qs, u"https://example.com/b"_qs},
                               {u"markdown"_qs, true}};
    const auto fieldsOf = [](const EventStreamParser::Event &event) {
        QJsonObject fields = QJsonDocument::fromJson(event.data.toUtf8()).object();
        for (const QString &key : {u"data"_qs, u"time"_qs})
            fields.remove(key);
        return fields;
    };
    QVERIFY(live->waitForEvents(2));
    QCOMPARE(fieldsOf(live->events().at(0)), expected);
    QCOMPARE(fieldsOf(live->events().at(1)), QJsonObject());

    // A node that joins later reads them from the stream in Redis.
    m_nodes.emplace_back();
    QVERIFY(startNode(m_nodes.back()));
    SseClient *late = openStream(m_nodes.back(), "/events?format=json", {"Last-Event-ID: 0"});
    QVERIFY(late->waitForEvents(2));
    QCOMPARE(fieldsOf(late->events().at(0)), expected);
    QCOMPARE(fieldsOf(late->events().at(1)), QJsonObject());
}

void tst_Cluster::aTrimmedIdGetsAGap()
{
    QVERIFY(startNodes(2, {u"--history"_qs, u"5"_qs}));
    for (int i = 1; i <= 20; ++i)
        QCOMPARE(m_nodes[0].publish(QByteArray::number(i)).status, 200);
    QTRY_COMPARE(m_nodes[1].stats().value(u"lastId"_qs).toInt(), 20);
    SseClient *client = openStream(m_nodes[1], "/events", {"Last-Event-ID: 3"});
    QVERIFY(client->waitForEvents(2));
    QCOMPARE(client->events().first().type, u"herald-gap"_qs);
    QCOMPARE(client->dataOf().last(), u"20"_qs);

    // A batch longer than the stream keeps is answered all the same, though its first events were
    // trimmed before any node read them.
    QByteArray lines;
    for (int i = 1; i <= 30; ++i)
        lines += R"({"data": "batched )" + QByteArray::number(i) + R"("})" + '\n';
    const HttpReply batch
        = httpRequest("POST", m_nodes[0].url(u"/publish"_qs), lines, {{"Content-Type", "application/x-ndjson"}});
    QCOMPARE(batch.status, 200);
    const QJsonArray ids = batch.json().object().value(u"ids"_qs).toArray();
    QCOMPARE(ids.size(), 30);
    QCOMPARE(ids.first().toInteger(), 21);
    QCOMPARE(ids.last().toInteger(), 50);
}

void tst_Cluster::whileRedisIsAwayStreamsStayAndPublishingWaits()
{
    QVERIFY(startNodes(3));
    SseClient *onB = openStream(m_nodes[1]);
    SseClient *onC = openStream(m_nodes[2]);
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(m_nodes[i - 1].publish("before " + QByteArray::number(i)).status, 200);
    QVERIFY(onB->waitForEvents(3));
    QVERIFY(onC->waitForEvents(3));

    m_redis->kill();
    for (const Node &node : m_nodes) {
        // Refused, and said so: nothing is accepted that could be lost.
        QTRY_VERIFY(!node.isHealthy());
        const HttpReply refused = node.publish("lost?");
        QCOMPARE(refused.status, 503);
        QVERIFY(!refused.error().isEmpty());
        QVERIFY(!refused.header("Retry-After").isEmpty());
        const HttpReply health = httpRequest("GET", node.url(u"/healthz"_qs));
        QCOMPARE(health.status, 503);
        QCOMPARE(health.json().object().value(u"engine"_qs).toString(), u"unreachable"_qs);
        QCOMPARE(node.stats().value(u"engineReachable"_qs).toBool(), false);
        // Neither a file nor a scheduled message is taken that could be lost.
        QCOMPARE(httpRequest("PUT", node.url(u"/hall"_qs), "a file", {{"Filename", "a.txt"}}).status, 503);
        QCOMPARE(node.publish("later?", {{"Delay", "1m"}}).status, 503);
        QCOMPARE(httpRequest("GET", node.url(u"/api/scheduled"_qs)).status, 503);
        QCOMPARE(httpRequest("PUT", node.url(u"/api/scheduled/AAAAAAAAAAAAAAAA"_qs), R"({"data": "x"})").status, 503);
    }
    // The streams stay open, and their heartbeats go on.
    const int comments = onB->parser().comments();
    QTRY_VERIFY_WITH_TIMEOUT(onB->parser().comments() > comments, 5000);
    QVERIFY(!onB->isClosed());
    QVERIFY(!onC->isClosed());

    // Redis comes back with its data; the nodes catch up, and what one publishes reaches all.
    QVERIFY(m_redis->start());
    QTRY_VERIFY_WITH_TIMEOUT(m_nodes[0].isHealthy(), 15000);
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(m_nodes[0].publish("after " + QByteArray::number(i)).status, 200);
    QVERIFY(onB->waitForEvents(6, 20000));
    QVERIFY(onC->waitForEvents(6, 20000));
    const QStringList expected{u"before 1"_qs, u"before 2"_qs, u"before 3"_qs,
                               u"after 1"_qs,  u"after 2"_qs,  u"after 3"_qs};
    QCOMPARE(onB->dataOf().join(u'|'), expected.join(u'|'));
    QCOMPARE(onC->dataOf().join(u'|'), expected.join(u'|'));
    QCOMPARE(idsOf(*onB), (QList<quint64>{1, 2, 3, 4, 5, 6}));
}

void tst_Cluster::aRedisThatStopsAnsweringIsNoticed()
{
    // A Redis that hangs (stopped, or its machine gone without a word) keeps its connections
    // open. The nodes must find out anyway, or /healthz stays green and nothing is delivered.
    QVERIFY(startNodes(2));
    SseClient *onB = openStream(m_nodes[1]);
    QCOMPARE(m_nodes[0].publish("before").status, 200);
    QVERIFY(onB->waitForEvents(1));

    m_redis->pause();
    for (const Node &node : m_nodes)
        QTRY_VERIFY_WITH_TIMEOUT(!node.isHealthy(), 30000);
    const HttpReply refused = m_nodes[0].publish("lost?");
    QCOMPARE(refused.status, 503);
    QVERIFY(!refused.error().isEmpty());
    QVERIFY(!onB->isClosed());

    m_redis->resume();
    for (const Node &node : m_nodes)
        QTRY_VERIFY_WITH_TIMEOUT(node.isHealthy(), 30000);
    QCOMPARE(m_nodes[0].publish("after").status, 200);
    QVERIFY(onB->waitForEvents(2, 20000));
    QCOMPARE(onB->dataOf(), (QStringList{u"before"_qs, u"after"_qs}));
    QCOMPARE(idsOf(*onB), (QList<quint64>{1, 2}));
}

void tst_Cluster::aBusyRedisIsWaitedFor()
{
    // A script that runs on and on makes Redis answer every other command with -BUSY. A node
    // that starts meanwhile keeps trying, and serves once Redis is free again.
    QCOMPARE(m_redis->command({"CONFIG", "SET", "busy-reply-threshold", "100"}).left(3), QByteArray("+OK"));
    const std::unique_ptr<QTcpSocket> busy = m_redis->commandInBackground({"EVAL", "while true do end", "0"});
    QTRY_VERIFY(m_redis->command({"PING"}).startsWith("-BUSY"));

    m_nodes.resize(1);
    Node &node = m_nodes.front();
    node.process->start(QStringLiteral(HERALD_BINARY),
                        {u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs, u"0"_qs, u"--data-dir"_qs,
                         node.dataDir->path(), u"--cluster"_qs, m_redis->url()});
    QString output;
    node.port = waitForHeraldPort(*node.process, &output, u"Ctrl+C"_qs);
    QVERIFY2(node.port, qPrintable(output));
    QTest::qWait(1500);
    QVERIFY(!node.isHealthy());
    QCOMPARE(node.publish("too early").status, 503);

    QVERIFY(m_redis->command({"SCRIPT", "KILL"}).startsWith("+OK"));
    QTRY_VERIFY_WITH_TIMEOUT(node.isHealthy(), 20000);
    SseClient *reader = openStream(node);
    QCOMPARE(node.publish("in time").status, 200);
    QVERIFY(reader->waitForEvents(1));
    QCOMPARE(reader->dataOf(), QStringList{u"in time"_qs});
}

void tst_Cluster::aNodeLeftBehindTheTrimmedStreamSaysSo()
{
    // Node B is frozen while A publishes far more than the stream keeps. When B wakes, the
    // events it never read are gone from Redis too: its streams are told with herald-gap, and
    // then go on with what is there, in order.
    QVERIFY(startNodes(2, {u"--history"_qs, u"5"_qs}));
    SseClient *onB = openStream(m_nodes[1]);
    QCOMPARE(m_nodes[0].publish("seen").status, 200);
    QVERIFY(onB->waitForEvents(1));

    const pid_t frozen = pid_t(m_nodes[1].process->processId());
    ::kill(frozen, SIGSTOP);
    const int published = 400; // Redis trims whole blocks of about 100 entries
    for (int i = 1; i <= published; ++i)
        QCOMPARE(m_nodes[0].publish("while away " + QByteArray::number(i)).status, 200);
    ::kill(frozen, SIGCONT);

    QTRY_COMPARE_WITH_TIMEOUT(m_nodes[1].stats().value(u"lastId"_qs).toInt(), published + 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!onB->dataOf().isEmpty() && onB->dataOf().last() == u"while away 400"_qs, 10000);
    const QList<EventStreamParser::Event> events = onB->events();
    const auto gap = std::find_if(events.cbegin(), events.cend(),
                                  [](const EventStreamParser::Event &event) { return event.type == u"herald-gap"_qs; });
    QVERIFY2(gap != events.cend(), "no herald-gap");
    // Where the ids jump: what B read before it (from 1 on, with none missing), then the gap,
    // then what was left.
    QList<quint64> before, after;
    for (auto event = events.cbegin(); event != events.cend(); ++event) {
        if (event->type == u"message"_qs)
            (event < gap ? before : after).append(event->lastEventId.toULongLong());
    }
    QVERIFY(!before.isEmpty() && !after.isEmpty());
    QCOMPARE(before.first(), 1u);
    QCOMPARE(before.last(), quint64(before.size()));
    QVERIFY(after.first() > before.last() + 1);
    const QList<quint64> ids = idsOf(*onB);
    QVERIFY(ids.size() < published + 1);
    QVERIFY(std::is_sorted(ids.cbegin(), ids.cend()));
    QCOMPARE(QSet<quint64>(ids.cbegin(), ids.cend()).size(), ids.size());
    QCOMPARE(ids.last(), quint64(published + 1));
}

void tst_Cluster::aRedisRestartedEmptyNeverRepeatsAnId()
{
    QVERIFY(startNodes(2));
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(m_nodes[0].publish(QByteArray::number(i)).status, 200);
    QTRY_COMPARE(m_nodes[1].stats().value(u"lastId"_qs).toInt(), 5);
    m_redis->kill();
    m_redis->wipe();
    QVERIFY(m_redis->start());
    QTRY_VERIFY_WITH_TIMEOUT(m_nodes[1].isHealthy(), 15000);
    const HttpReply reply = m_nodes[1].publish("new");
    QCOMPARE(reply.status, 200);
    QVERIFY2(reply.json().object().value(u"id"_qs).toInt() > 5, reply.body.constData());

    // A node that remembers ids from before also keeps them from repeating after its own restart.
    m_nodes[0].process->terminate();
    QVERIFY(m_nodes[0].process->waitForFinished(5000));
    m_redis->kill();
    m_redis->wipe();
    QVERIFY(m_redis->start());
    m_nodes[1].process->terminate();
    QVERIFY(m_nodes[1].process->waitForFinished(5000));
    Node &restarted = m_nodes[0];
    restarted.process = std::make_unique<QProcess>();
    QVERIFY(startNode(restarted)); // the same data folder
    QVERIFY(restarted.publish("after both").json().object().value(u"id"_qs).toInt() > 6);
}

void tst_Cluster::aRetriedPublishThroughAnotherNodeMakesOneEvent()
{
    QVERIFY(startNodes(2));
    SseClient *reader = openStream(m_nodes[1]);
    const HttpReply first = m_nodes[0].publish("pay once", {{"Idempotency-Key", "order-1"}});
    const HttpReply retry = m_nodes[1].publish("pay once", {{"Idempotency-Key", "order-1"}});
    QCOMPARE(first.status, 200);
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.json().object().value(u"id"_qs).toInt(), first.json().object().value(u"id"_qs).toInt());
    QVERIFY(retry.json().object().value(u"duplicate"_qs).toBool());
    QCOMPARE(m_nodes[1].publish("next").status, 200);
    QVERIFY(reader->waitForEvents(2));
    QCOMPARE(reader->dataOf(), (QStringList{u"pay once"_qs, u"next"_qs}));
}

void tst_Cluster::theApiAndThePanelSeeEveryNode()
{
    QVERIFY(startNodes(3));
    for (size_t i = 0; i < m_nodes.size(); ++i)
        openStream(m_nodes[i], "/events?client=reader-" + QByteArray::number(i));
    QTRY_COMPARE_WITH_TIMEOUT(m_nodes[0].stats().value(u"nodes"_qs).toInt(), 3, 10000);
    QCOMPARE(m_nodes[0].stats().value(u"engine"_qs).toString(), m_redis->url() + u"/0"_qs);
    // This node's streams by default; every node's with scope=cluster, each with its node.
    QCOMPARE(httpRequest("GET", m_nodes[0].url(u"/api/clients"_qs)).json().array().size(), 1);
    QJsonArray all;
    QTRY_VERIFY_WITH_TIMEOUT(
        (all = httpRequest("GET", m_nodes[0].url(u"/api/clients?scope=cluster"_qs)).json().array()).size() == 3, 10000);
    QSet<QString> nodes;
    for (const QJsonValue &stream : all)
        nodes.insert(stream[u"node"_qs].toString());
    QCOMPARE(nodes.size(), 3);
    QVERIFY(httpRequest("GET", m_nodes[0].url(u"/metrics"_qs)).body.contains("herald_nodes 3\n"));

    // A node that stops takes itself out of the registry on the way, rather than lingering
    // until its entry expires: the next heartbeat counts two, and its streams are gone.
    m_nodes[2].process->terminate();
    QVERIFY(m_nodes[2].process->waitForFinished(5000));
    QTRY_COMPARE_WITH_TIMEOUT(m_nodes[0].stats().value(u"nodes"_qs).toInt(), 2, 4000);
    QCOMPARE(httpRequest("GET", m_nodes[0].url(u"/api/clients?scope=cluster"_qs)).json().array().size(), 2);
}

void tst_Cluster::retractionsAndDisconnectsReachEveryNode()
{
    QVERIFY(startNodes(3));
    SseClient *onA = openStream(m_nodes[0]);
    SseClient *onC = openStream(m_nodes[2], "/events?client=far-away");
    QCOMPARE(m_nodes[0].publish("oops").status, 200);
    QVERIFY(onC->waitForEvents(1));
    QCOMPARE(httpRequest("DELETE", m_nodes[1].url(u"/api/events/1"_qs)).status, 204);
    QVERIFY(onC->waitForEvents(2));
    QCOMPARE(onC->events().last().type, u"herald-retract"_qs);
    // Node A hears of it on its own; once it has, its replays leave the event out.
    QVERIFY(onA->waitForEvents(2));
    QCOMPARE(onA->events().last().type, u"herald-retract"_qs);
    SseClient *replay = openStream(m_nodes[0], "/events", {"Last-Event-ID: 0"});
    QCOMPARE(m_nodes[0].publish("fine").status, 200);
    QVERIFY(replay->waitForEvents(1));
    QCOMPARE(replay->dataOf(), QStringList{u"fine"_qs});

    // A client held by another node is disconnected from this one; an unknown one is not found.
    QTRY_VERIFY_WITH_TIMEOUT(
        httpRequest("GET", m_nodes[0].url(u"/api/clients?scope=cluster"_qs)).body.contains("far-away"), 10000);
    QCOMPARE(httpRequest("DELETE", m_nodes[0].url(u"/api/clients/far-away"_qs)).status, 204);
    QVERIFY(onC->waitForClosed(10000));
    QCOMPARE(onC->dataOf(u"herald-kicked"_qs).size(), 1);
    QCOMPARE(httpRequest("DELETE", m_nodes[0].url(u"/api/clients/nobody"_qs)).status, 404);
}

void tst_Cluster::editsReachEveryNodeAndANodeThatStartsLater()
{
    QVERIFY(startNodes(2));
    SseClient *onB = openStream(m_nodes[1], "/events?format=json");
    SseClient *ntfyOnB = openStream(m_nodes[1], "/hall/json");
    QCOMPARE(httpRequest("PUT", m_nodes[0].url(u"/hall"_qs), "Doors open at 9").status, 200);
    QVERIFY(onB->waitForEvents(1));
    const HttpReply edited = httpRequest("PUT", m_nodes[0].url(u"/api/events/1"_qs),
                                         R"({"data": "Doors open at 10", "priority": "high"})");
    QCOMPARE(edited.status, 200);
    QCOMPARE(edited.json().object().value(u"revision"_qs).toInt(), 1);

    // Node B's stream gets the new version, without an id.
    QVERIFY(onB->waitForEvents(2));
    const EventStreamParser::Event &edit = onB->events().at(1);
    QCOMPARE(edit.type, u"herald-edit"_qs);
    QCOMPARE(edit.lastEventId, u"1"_qs);
    const QJsonObject version = QJsonDocument::fromJson(edit.data.toUtf8()).object();
    QCOMPARE(version.value(u"data"_qs).toString(), u"Doors open at 10"_qs);
    QCOMPARE(version.value(u"priority"_qs).toInt(), 4);
    QTRY_VERIFY(ntfyOnB->rawBody().contains(R"("sequence_id":"1")"));

    // A second edit through node B, on the version it has.
    QTRY_COMPARE(m_nodes[1].stats().value(u"edited"_qs).toInt(), 1);
    QCOMPARE(httpRequest("PUT", m_nodes[1].url(u"/api/events/1"_qs), R"({"title": "Hall"})").status, 200);
    QCOMPARE(httpRequest("PUT", m_nodes[1].url(u"/api/events/9"_qs), R"({"title": "x"})").status, 404);

    // A node that starts later replays the newest version.
    m_nodes.emplace_back();
    QVERIFY(startNode(m_nodes.back()));
    SseClient *late = openStream(m_nodes.back(), "/events?format=json", {"Last-Event-ID: 0"});
    QVERIFY(late->waitForEvents(1));
    const QJsonObject replayed = QJsonDocument::fromJson(late->events().at(0).data.toUtf8()).object();
    QCOMPARE(replayed.value(u"data"_qs).toString(), u"Doors open at 10"_qs);
    QCOMPARE(replayed.value(u"title"_qs).toString(), u"Hall"_qs);
    QCOMPARE(replayed.value(u"revision"_qs).toInt(), 2);

    // An edit made on a version another node has replaced meanwhile is refused: here the cluster
    // holds a later revision than the one node A knows.
    QCOMPARE(m_redis->command({"HSET", "herald:edits", "1", R"({"revision":9,"data":"from elsewhere"})"}).left(2),
             QByteArray(":0"));
    const HttpReply conflict = httpRequest("PUT", m_nodes[0].url(u"/api/events/1"_qs), R"({"title": "late"})");
    QCOMPARE(conflict.status, 409);
    QVERIFY(!conflict.error().isEmpty());

    // Retracted, it leaves the versions behind too.
    QCOMPARE(httpRequest("DELETE", m_nodes[0].url(u"/api/events/1"_qs)).status, 204);
    QCOMPARE(httpRequest("PUT", m_nodes[0].url(u"/api/events/1"_qs), R"({"title": "x"})").status, 404);
}

namespace {

/// The nginx configuration the README gives for three nodes: its first ```nginx block.
QString readmeNginxConfiguration()
{
    QFile readme(QStringLiteral(HERALD_SOURCE_DIR "/README.md"));
    if (!readme.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(readme.readAll());
    const qsizetype start = text.indexOf(u"```nginx\n"_qs);
    const qsizetype end = text.indexOf(u"```"_qs, start + 9);
    return start < 0 || end < 0 ? QString() : text.mid(start + 9, end - start - 9);
}

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::Any) ? probe.serverPort() : 0;
}

} // namespace

void tst_Cluster::behindTheReadmesNginxOnOnePort()
{
    const QString nginx = QStandardPaths::findExecutable(u"nginx"_qs, {u"/usr/sbin"_qs, u"/usr/bin"_qs});
    if (nginx.isEmpty())
        QSKIP("nginx is not installed (tools/setup installs it)");
    QString configuration = readmeNginxConfiguration();
    QVERIFY2(configuration.contains(u"upstream herald"_qs), "the README has no nginx configuration");
    QVERIFY(startNodes(3, {u"--trusted-proxy"_qs, u"127.0.0.1"_qs}));

    // The README's block, with this test's ports, in a server of its own.
    for (int i = 0; i < 3; ++i)
        configuration.replace(u"127.0.0.1:808%1"_qs.arg(i + 1), u"127.0.0.1:%1"_qs.arg(m_nodes[size_t(i)].port));
    const quint16 port = freePort();
    QVERIFY(port);
    configuration.replace(u"listen 8080;"_qs, u"listen %1;"_qs.arg(port));
    QTemporaryDir prefix;
    QFile file(prefix.filePath(u"nginx.conf"_qs));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        QStringLiteral("daemon off;\nworker_processes 1;\npid %1/nginx.pid;\nerror_log %1/error.log;\n"
                       "events { worker_connections 1024; }\nhttp {\naccess_log off;\n"
                       "client_body_temp_path %1/body; proxy_temp_path %1/proxy;\n"
                       "fastcgi_temp_path %1/fastcgi; uwsgi_temp_path %1/uwsgi; scgi_temp_path %1/scgi;\n%2\n}\n")
            .arg(prefix.path(), configuration)
            .toUtf8());
    file.close();
    QProcess proxy;
    proxy.setProcessChannelMode(QProcess::ForwardedChannels);
    proxy.start(nginx, {u"-c"_qs, file.fileName(), u"-p"_qs, prefix.path()});
    QVERIFY(proxy.waitForStarted());
    const auto stopProxy = qScopeGuard([&proxy] {
        proxy.terminate();
        if (!proxy.waitForFinished(5000))
            proxy.kill();
    });
    const QUrl front(u"http://127.0.0.1:%1"_qs.arg(port));
    QVERIFY(
        QTest::qWaitFor([&] { return httpRequest("GET", front.resolved(QUrl(u"/healthz"_qs))).status == 200; }, 10000));

    // A browser through nginx: from another address of this machine when there is one, so that
    // the nodes, which see only nginx, must take its address from X-Forwarded-For.
    QHostAddress from = QHostAddress::LocalHost;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback() && !address.isLinkLocal()) {
            from = address;
            break;
        }
    }
    auto *browser = new SseClient;
    m_streams.append(browser);
    browser->open(from, port, "/events?client=behind-nginx");
    QVERIFY(browser->waitForHead());
    QCOMPARE(browser->status(), 200);
    const auto publishThroughNginx = [&](const QByteArray &text) {
        return httpRequest("POST", front.resolved(QUrl(u"/publish"_qs)), text, {{"Content-Type", "text/plain"}}).status;
    };
    QJsonObject listed;
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const QJsonValue &stream :
                 httpRequest("GET", front.resolved(QUrl(u"/api/clients?scope=cluster"_qs))).json().array()) {
                if (stream[u"id"_qs].toString() == u"behind-nginx"_qs)
                    listed = stream.toObject();
            }
            return !listed.isEmpty();
        },
        10000));
    QCOMPARE(listed[u"address"_qs].toString(), from.toString());
    QCOMPARE(publishThroughNginx("one"), 200);
    QCOMPARE(publishThroughNginx("two"), 200);
    QVERIFY(browser->waitForEvents(2));

    // The node it is on dies; its reconnect, with its last id, lands on another and misses nothing.
    const QString holder = listed[u"node"_qs].toString();
    Node *dead = nullptr;
    for (Node &node : m_nodes) {
        if (holder.endsWith(u':' + QString::number(node.port)))
            dead = &node;
    }
    QVERIFY2(dead, qPrintable(holder));
    dead->process->kill();
    QVERIFY(dead->process->waitForFinished(5000));
    QVERIFY(browser->waitForClosed(10000));
    QCOMPARE(publishThroughNginx("three"), 200);
    auto *reconnected = new SseClient;
    m_streams.append(reconnected);
    reconnected->open(from, port, "/events?client=behind-nginx",
                      {"Last-Event-ID: " + browser->events().last().lastEventId.toUtf8()});
    QVERIFY(reconnected->waitForHead());
    QCOMPARE(reconnected->status(), 200);
    QCOMPARE(publishThroughNginx("four"), 200);
    QVERIFY(reconnected->waitForEvents(2));
    QCOMPARE(browser->dataOf() + reconnected->dataOf(), (QStringList{u"one"_qs, u"two"_qs, u"three"_qs, u"four"_qs}));
}

QTEST_GUILESS_MAIN(tst_Cluster)
#include "tst_cluster.moc"

void tst_Cluster::aFileSentThroughOneNodeIsServedByEveryNode()
{
    QVERIFY(startNodes(3));
    SseClient *onC = openStream(m_nodes[2], "/events?format=json");
    const QByteArray picture = pngPicture(640, 480, Qt::darkGreen);
    const HttpReply sent = httpRequest("PUT", m_nodes[0].url(u"/hall"_qs), picture, {{"Filename", "plan.png"}});
    QCOMPARE(sent.status, 200);
    const QJsonObject attachment = sent.json().object().value(u"attachment"_qs).toObject();
    QCOMPARE(attachment.value(u"type"_qs).toString(), u"image/png"_qs);
    const QString path = QUrl(attachment.value(u"url"_qs).toString()).path();
    QVERIFY(path.startsWith(u"/file/"_qs));

    // Every node's streams carry it, and every node serves it byte for byte.
    QVERIFY(onC->waitForEvents(1));
    QCOMPARE(QJsonDocument::fromJson(onC->events().at(0).data.toUtf8()).object().value(u"attachment"_qs).toObject(),
             attachment);
    for (const Node &node : m_nodes) {
        const HttpReply file = httpRequest("GET", node.url(path));
        QCOMPARE(file.status, 200);
        QCOMPARE(file.body, picture);
        QCOMPARE(file.header("Content-Type"), QByteArray("image/png"));
        QCOMPARE(file.header("X-Content-Type-Options"), QByteArray("nosniff"));
    }
    // A retraction through another node deletes it for all, also those that served it a moment ago.
    const QString id = onC->events().at(0).lastEventId;
    QCOMPARE(httpRequest("DELETE", m_nodes[1].url(u"/api/events/"_qs + id)).status, 204);
    for (const Node &node : m_nodes)
        QCOMPARE(httpRequest("GET", node.url(path)).status, 404);
}

void tst_Cluster::theFilesOfEveryNodeStayWithinTheTotal()
{
    QVERIFY(startNodes(3, {u"--attachment-bytes"_qs, u"25000"_qs}));
    // Three files of 10,000 bytes, each through another node: the first goes to make room.
    QStringList paths;
    for (Node &node : m_nodes) {
        QByteArray noise(10'000, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
        const HttpReply sent = httpRequest("PUT", node.url(u"/noise"_qs), noise, {{"Filename", "noise.bin"}});
        QCOMPARE(sent.status, 200);
        paths.append(QUrl(sent.json().object().value(u"attachment"_qs).toObject().value(u"url"_qs).toString()).path());
    }
    for (const Node &node : m_nodes) {
        const HttpReply first = httpRequest("GET", node.url(paths.at(0)));
        QCOMPARE(first.status, 410);
        QVERIFY(first.json().object().value(u"error"_qs).toString().contains(u"noise.bin"_qs));
        QCOMPARE(httpRequest("GET", node.url(paths.at(1))).status, 200);
        QCOMPARE(httpRequest("GET", node.url(paths.at(2))).body.size(), 10'000);
        QCOMPARE(httpRequest("GET", node.url(u"/file/AAAAAAAAAAAAAAAAAAAAAAAA.bin"_qs)).status, 404);
    }
}

void tst_Cluster::aScheduledMessageGoesOutOnceAlsoWhenItsNodeIsKilled()
{
    QVERIFY(startNodes(3));
    SseClient *onB = openStream(m_nodes[1]);
    SseClient *onC = openStream(m_nodes[2]);
    const auto schedule = [](const Node &node, const QByteArray &text) {
        const HttpReply reply = node.publish(text, {{"Delay", "10s"}});
        return reply.status == 200 ? reply.json().object().value(u"schedule"_qs).toString() : QString();
    };
    // The shortest delay Herald takes, through three nodes; the first of them is killed at once.
    const QString orphan = schedule(m_nodes[0], "taken by a node that is gone");
    const QString cancelled = schedule(m_nodes[1], "cancelled elsewhere");
    const QString changed = schedule(m_nodes[2], "to be changed");
    QVERIFY(!orphan.isEmpty() && !cancelled.isEmpty() && !changed.isEmpty());
    m_nodes[0].process->kill();
    QVERIFY(m_nodes[0].process->waitForFinished(5000));

    // Every node lists, cancels and changes what any node took.
    const QJsonArray waiting = httpRequest("GET", m_nodes[1].url(u"/api/scheduled"_qs)).json().array();
    QCOMPARE(waiting.size(), 3);
    QCOMPARE(httpRequest("DELETE", m_nodes[2].url(u"/api/scheduled/"_qs + cancelled)).status, 204);
    QCOMPARE(httpRequest("DELETE", m_nodes[1].url(u"/api/scheduled/"_qs + cancelled)).status, 404);
    const HttpReply change
        = httpRequest("PUT", m_nodes[1].url(u"/api/scheduled/"_qs + changed), R"({"data": "changed by another node"})",
                      {{"Content-Type", "application/json"}});
    QVERIFY2(change.status == 200, change.body.constData());
    QCOMPARE(change.json().object().value(u"data"_qs).toString(), u"changed by another node"_qs);
    QCOMPARE(httpRequest("GET", m_nodes[2].url(u"/api/scheduled"_qs)).json().array().size(), 2);

    // At their time each goes out once, from one node, with the ids of that moment.
    QVERIFY(onB->waitForEvents(2, 20000));
    QVERIFY(onC->waitForEvents(2, 5000));
    QTest::qWait(ClusterWaitMs);
    const QStringList expected{u"taken by a node that is gone"_qs, u"changed by another node"_qs};
    for (const SseClient *stream : {onB, onC}) {
        QStringList texts = stream->dataOf();
        texts.sort();
        QStringList sorted = expected;
        sorted.sort();
        QCOMPARE(texts, sorted);
        const QList<quint64> ids = idsOf(*stream);
        QCOMPARE(ids.size(), 2);
        QVERIFY(ids.at(1) > ids.at(0));
    }
    QCOMPARE(idsOf(*onB), idsOf(*onC));
    QVERIFY(httpRequest("GET", m_nodes[1].url(u"/api/scheduled"_qs)).json().array().isEmpty());
}

void tst_Cluster::aBatchHasConsecutiveIdsWhileOtherNodesPublish()
{
    QVERIFY(startNodes(3));
    SseClient *onC = openStream(m_nodes[2]);
    // Node A publishes one event after another while batches of 200 go through node B.
    std::atomic<bool> publishing{true};
    std::atomic<int> singles{0};
    std::thread other([&, port = m_nodes[0].port] {
        while (publishing) {
            if (postInOneWrite(port, "/publish", "text/plain", "single").status == 200)
                ++singles;
        }
    });
    QByteArray lines;
    for (int i = 1; i <= 200; ++i)
        lines += R"({"data": "batched )" + QByteArray::number(i) + R"("})" + '\n';
    QList<QList<quint64>> batches;
    for (int i = 0; i < 5; ++i) {
        const HttpReply reply = postInOneWrite(m_nodes[1].port, "/publish", "application/x-ndjson", lines);
        QCOMPARE(reply.status, 200);
        QList<quint64> ids;
        for (const QJsonValue id : reply.json().object().value(u"ids"_qs).toArray())
            ids.append(quint64(id.toInteger()));
        batches.append(ids);
    }
    publishing = false;
    other.join();
    QVERIFY(singles > 0);
    for (const QList<quint64> &ids : batches) {
        QCOMPARE(ids.size(), 200);
        for (int i = 1; i < ids.size(); ++i)
            QCOMPARE(ids.at(i), ids.at(0) + quint64(i));
    }
    // Every node's streams get them in that order, with nothing between a batch's events.
    QVERIFY(onC->waitForEvents(1000 + singles, 20000));
    const QList<quint64> seen = idsOf(*onC);
    const qsizetype first = seen.indexOf(batches.constFirst().constFirst());
    QCOMPARE(seen.mid(first, 200), batches.constFirst());

    // Retried through another node with its key, a batch makes nothing new.
    const QList<QPair<QByteArray, QByteArray>> keyed{{"Content-Type", "application/x-ndjson"},
                                                     {"Idempotency-Key", "gateway-7"}};
    const HttpReply first7 = httpRequest("POST", m_nodes[0].url(u"/publish"_qs), lines, keyed);
    const HttpReply again = httpRequest("POST", m_nodes[2].url(u"/publish"_qs), lines, keyed);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json().object().value(u"ids"_qs), first7.json().object().value(u"ids"_qs));
    QCOMPARE(again.json().object().value(u"duplicate"_qs).toBool(), true);
    // The same key on a longer batch is refused, whole: a batch is retried as it was sent.
    const HttpReply longer
        = httpRequest("POST", m_nodes[1].url(u"/publish"_qs), lines + R"({"data": "one more"})", keyed);
    QCOMPARE(longer.status, 400);
    QVERIFY(m_nodes[1].isHealthy());
    const qint64 last = first7.json().object().value(u"ids"_qs).toArray().last().toInteger();
    QTRY_COMPARE(m_nodes[2].stats().value(u"lastId"_qs).toInteger(), last);
    QCOMPARE(m_nodes[1].stats().value(u"lastId"_qs).toInteger(), last);
}
