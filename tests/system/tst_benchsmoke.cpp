#include "heraldprocess.h"
#include "httpclient.h"
#include "redisserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

/// Short runs of the benchmark's load client against the real herald binary, in every shape the
/// benchmark uses: broadcast, topics, targets, payload sizes, several publishers. They check that
/// the benchmark works and that every stream got exactly the events meant for it, once and in
/// order. They never judge speed.
class tst_BenchSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyStreamGetsItsEventsOnce_data();
    void everyStreamGetsItsEventsOnce();
    void streamsOverTlsGetTheirEventsOnce();
    void theLoadClientFailsAMisroutedRun_data();
    void theLoadClientFailsAMisroutedRun();
    void theWriteFloorIsMeasured();
    void publishingAloneReportsItsRate();
    void wrkPublishesAreTakenWhole_data();
    void wrkPublishesAreTakenWhole();
    void aClusterRunSpreadsOverItsNodes();

private:
    /// Starts the real herald on a free port with \a arguments; returns the port, or 0.
    quint16 startHerald(QProcess &herald, const QTemporaryDir &dir, const QStringList &arguments = {});
    /// Runs herald-load to the end against \a port; returns its JSON result (empty when it printed none).
    QJsonObject runLoad(QProcess &load, quint16 port, const QStringList &arguments);
};

namespace {

constexpr int Clients = 300;

QStringList topicPaths()
{
    return {u"--subscribe-path"_qs, u"/events?topic=t{topic}"_qs, u"--publish-path"_qs, u"/publish?topic=t{topic}"_qs};
}

QStringList targetPaths()
{
    return {u"--subscribe-path"_qs, u"/events?client=c{client}"_qs, u"--publish-path"_qs, u"/publish?to=c{client}"_qs};
}

} // namespace

quint16 tst_BenchSmoke::startHerald(QProcess &herald, const QTemporaryDir &dir, const QStringList &arguments)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_LOGGING_RULES"_qs, u"herald.*.info=false"_qs);
    herald.setProcessEnvironment(environment);
    herald.start(QStringLiteral(HERALD_BINARY),
                 QStringList{u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs, u"0"_qs, u"--data-dir"_qs,
                             dir.path()}
                     + arguments);
    QString output;
    const quint16 port = waitForHeraldPort(herald, &output);
    if (!port)
        qWarning("herald did not start: %s", qPrintable(output));
    return port;
}

QJsonObject tst_BenchSmoke::runLoad(QProcess &load, quint16 port, const QStringList &arguments)
{
    load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    load.start(QStringLiteral(HERALD_LOAD_BINARY), QStringList{u"--port"_qs, QString::number(port)} + arguments);
    if (!load.waitForFinished(120000))
        return {};
    return QJsonDocument::fromJson(load.readAllStandardOutput()).object();
}

void tst_BenchSmoke::everyStreamGetsItsEventsOnce_data()
{
    QTest::addColumn<QStringList>("heraldArguments");
    QTest::addColumn<QStringList>("loadArguments");
    QTest::addColumn<int>("events");
    // Worked out here rather than taken from the load client: each event reaches every stream, one
    // topic's Clients / 30 streams, or one client's single stream.
    QTest::addColumn<int>("expectedDeliveries");

    const auto broadcast = [](const char *name, const QStringList &herald, const QStringList &load, int events) {
        QTest::newRow(name) << herald << load << events << Clients * events;
    };
    broadcast("burst", {}, {u"--rate"_qs, u"0"_qs}, 40);
    broadcast("paced", {}, {u"--rate"_qs, u"50"_qs}, 40);
    broadcast("four publishers at once", {}, {u"--publishers"_qs, u"4"_qs}, 40);
    broadcast("four publishers, synced to the disk", {u"--durability"_qs, u"disk"_qs}, {u"--publishers"_qs, u"4"_qs},
              40);
    for (const int bytes : {100, 1024, 16 * 1024, 64 * 1024}) {
        const QByteArray name = "payload of " + QByteArray::number(bytes) + " bytes";
        broadcast(name.constData(), {}, {u"--payload"_qs, QString::number(bytes)}, bytes > 1024 ? 10 : 40);
    }

    QTest::newRow("topics: 30 of 10 streams each, one publisher")
        << QStringList() << QStringList{u"--topics"_qs, u"30"_qs} + topicPaths() << 300 << 300 * Clients / 30;
    QTest::newRow("topics: 30 of 10 streams each, eight publishers")
        << QStringList() << QStringList{u"--topics"_qs, u"30"_qs, u"--publishers"_qs, u"8"_qs} + topicPaths() << 900
        << 900 * Clients / 30;
    QTest::newRow("topics: another seed")
        << QStringList() << QStringList{u"--topics"_qs, u"30"_qs, u"--seed"_qs, u"77"_qs} + topicPaths() << 300
        << 300 * Clients / 30;
    QTest::newRow("topics: 16 KiB events")
        << QStringList()
        << QStringList{u"--topics"_qs, u"30"_qs, u"--publishers"_qs, u"4"_qs, u"--payload"_qs, u"16384"_qs}
            + topicPaths()
        << 300 << 300 * Clients / 30;
    // The many-topics scenario in batches: each line names its topic; 301 events so that the
    // last batch of each publisher is short.
    QTest::newRow("topics: batches of 25, four publishers")
        << QStringList() << QStringList{u"--topics"_qs,         u"30"_qs,
                                        u"--publishers"_qs,     u"4"_qs,
                                        u"--subscribe-path"_qs, u"/events?topic=t{topic}"_qs,
                                        u"--publish-path"_qs,   u"/publish"_qs,
                                        u"--batch"_qs,          u"25"_qs,
                                        u"--batch-line"_qs,     u"{\"data\":\"{body}\",\"topic\":\"t{topic}\"}"_qs}
        << 301 << 301 * Clients / 30;
    QTest::newRow("targets: one publisher")
        << QStringList() << QStringList{u"--targets"_qs} + targetPaths() << 600 << 600;
    QTest::newRow("targets: eight publishers")
        << QStringList() << QStringList{u"--targets"_qs, u"--publishers"_qs, u"8"_qs} + targetPaths() << 1200 << 1200;
}

void tst_BenchSmoke::everyStreamGetsItsEventsOnce()
{
    QFETCH(QStringList, heraldArguments);
    QFETCH(QStringList, loadArguments);
    QFETCH(int, events);
    QFETCH(int, expectedDeliveries);
    QTemporaryDir dir;
    QProcess herald;
    const quint16 port = startHerald(herald, dir, heraldArguments);
    QVERIFY(port);

    QProcess load;
    const QJsonObject result
        = runLoad(load, port,
                  QStringList{u"--clients"_qs, QString::number(Clients), u"--events"_qs, QString::number(events),
                              u"--idle-seconds"_qs, u"0.2"_qs, u"--server-pid"_qs, QString::number(herald.processId())}
                      + loadArguments);
    QVERIFY2(!result.isEmpty(), "the load client printed no result");
    QCOMPARE(result[u"connected"_qs].toInt(), Clients);
    QCOMPARE(result[u"expectedDeliveries"_qs].toInt(), expectedDeliveries);
    QCOMPARE(result[u"deliveries"_qs].toInt(), expectedDeliveries);
    QCOMPARE(result[u"lost"_qs].toInt(), 0);
    QCOMPARE(result[u"duplicated"_qs].toInt(), 0);
    QCOMPARE(result[u"reordered"_qs].toInt(), 0);
    QCOMPARE(result[u"unexpected"_qs].toInt(), 0);
    QCOMPARE(result[u"droppedStreams"_qs].toInt(), 0);
    QCOMPARE(result[u"refusedPublishes"_qs].toInt(), 0);
    QVERIFY(result[u"publishesPerSecond"_qs].toDouble() > 0);
    QVERIFY(result[u"eventsDeliveredPerSecond"_qs].toDouble() > 0);
    QCOMPARE(load.exitCode(), 0);
    // The server figures come from /proc and are there to be compared, not judged.
    const QJsonObject server = result[u"server"_qs].toObject();
    QVERIFY(server[u"rssKiB"_qs].toDouble() > 0);
    QVERIFY(server.contains(u"cpuMicrosecondsPerDelivery"_qs));
    QVERIFY(server.contains(u"cpuMicrosecondsPerEvent"_qs));
    QVERIFY(server.contains(u"cpuMicrosecondsPerConnection"_qs));
    QVERIFY(result[u"latencyMs"_qs][u"p99"_qs].toDouble() >= result[u"latencyMs"_qs][u"p50"_qs].toDouble());

    // Herald counted the same events.
    const QJsonObject stats = httpRequest("GET", QUrl(u"http://127.0.0.1:%1/api/stats"_qs.arg(port))).json().object();
    QCOMPARE(stats[u"published"_qs].toInt(), events);

    herald.terminate();
    QVERIFY(herald.waitForFinished(10000));
    QCOMPARE(herald.exitCode(), 0);
}

void tst_BenchSmoke::streamsOverTlsGetTheirEventsOnce()
{
    // bench/run's tls-* scenarios: the streams over TLS, publishing on the plain port.
    QTemporaryDir dir;
    QProcess herald;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_LOGGING_RULES"_qs, u"herald.*.info=false"_qs);
    herald.setProcessEnvironment(environment);
    herald.start(QStringLiteral(HERALD_BINARY),
                 {u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs, u"0"_qs, u"--data-dir"_qs, dir.path(),
                  u"--tls-cert"_qs, u"auto"_qs, u"--tls-port"_qs, u"0"_qs});
    QString output;
    const quint16 port = waitForHeraldPort(herald, &output, u"Ctrl+C"_qs);
    QVERIFY2(port, qPrintable(output));
    const QRegularExpressionMatch https = QRegularExpression(u"https://127\\.0\\.0\\.1:(\\d+)/"_qs).match(output);
    QVERIFY2(https.hasMatch(), qPrintable(output));

    constexpr int Events = 30;
    QProcess load;
    const QJsonObject result = runLoad(load, port,
                                       {u"--tls-port"_qs, https.captured(1), u"--clients"_qs, QString::number(Clients),
                                        u"--events"_qs, QString::number(Events), u"--idle-seconds"_qs, u"0.2"_qs,
                                        u"--server-pid"_qs, QString::number(herald.processId())});
    QVERIFY2(!result.isEmpty(), "the load client printed no result");
    QVERIFY(result[u"tls"_qs].toBool());
    QCOMPARE(result[u"connected"_qs].toInt(), Clients);
    QCOMPARE(result[u"deliveries"_qs].toInt(), Clients * Events);
    QCOMPARE(result[u"lost"_qs].toInt(), 0);
    QCOMPARE(result[u"duplicated"_qs].toInt(), 0);
    QCOMPARE(result[u"reordered"_qs].toInt(), 0);
    QCOMPARE(load.exitCode(), 0);
    herald.terminate();
    QVERIFY(herald.waitForFinished(10000));
    QCOMPARE(herald.exitCode(), 0);
}

void tst_BenchSmoke::theLoadClientFailsAMisroutedRun_data()
{
    QTest::addColumn<QStringList>("loadArguments");
    QTest::addColumn<int>("deliveries");
    QTest::addColumn<bool>("unexpected");
    QTest::addColumn<int>("lost");
    // Streams that name their topic only as a label listen to every topic, so each also gets the
    // events of the other 29 topics. (The load client stops once every stream has its own events,
    // so some of the others may still be on their way: it counts some, not all.)
    QTest::newRow("events meant for others") << QStringList{u"--events"_qs,         u"300"_qs,
                                                            u"--topics"_qs,         u"30"_qs,
                                                            u"--subscribe-path"_qs, u"/events?name=t{topic}"_qs,
                                                            u"--publish-path"_qs,   u"/publish?topic=t{topic}"_qs}
                                             << 300 * Clients / 30 << true << 0;
    // Streams that subscribe as client ids the events are not sent to get none of theirs.
    QTest::newRow("events that never arrive") << QStringList{u"--events"_qs,
                                                             u"200"_qs,
                                                             u"--targets"_qs,
                                                             u"--subscribe-path"_qs,
                                                             u"/events?client=other-{client}"_qs,
                                                             u"--publish-path"_qs,
                                                             u"/publish?to=c{client}"_qs,
                                                             u"--timeout"_qs,
                                                             u"2"_qs}
                                              << 0 << false << 200;
}

void tst_BenchSmoke::theLoadClientFailsAMisroutedRun()
{
    QFETCH(QStringList, loadArguments);
    QFETCH(int, deliveries);
    QFETCH(bool, unexpected);
    QFETCH(int, lost);
    QTemporaryDir dir;
    QProcess herald;
    const quint16 port = startHerald(herald, dir);
    QVERIFY(port);
    QProcess load;
    const QJsonObject result = runLoad(
        load, port,
        QStringList{u"--clients"_qs, QString::number(Clients), u"--idle-seconds"_qs, u"0"_qs} + loadArguments);
    QVERIFY2(!result.isEmpty(), "the load client printed no result");
    QCOMPARE(result[u"connected"_qs].toInt(), Clients);
    QCOMPARE(result[u"deliveries"_qs].toInt(), deliveries);
    QCOMPARE(result[u"unexpected"_qs].toInt() > 0, unexpected);
    QCOMPARE(result[u"lost"_qs].toInt(), lost);
    QCOMPARE(load.exitCode(), 1);
    herald.terminate();
    QVERIFY(herald.waitForFinished(10000));
}

void tst_BenchSmoke::theWriteFloorIsMeasured()
{
    // herald-writecost writes to its own loopback clients; it must finish, reach every one of
    // them, and report a cost.
    QProcess writecost;
    writecost.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    writecost.start(QStringLiteral(HERALD_WRITECOST_BINARY),
                    {u"--connections"_qs, u"200"_qs, u"--rounds"_qs, u"3"_qs, u"--gap-ms"_qs, u"20"_qs});
    QVERIFY(writecost.waitForFinished(60000));
    QCOMPARE(writecost.exitCode(), 0);
    const QJsonObject result = QJsonDocument::fromJson(writecost.readAllStandardOutput()).object();
    QCOMPARE(result[u"connections"_qs].toInt(), 200);
    QCOMPARE(result[u"rounds"_qs].toInt(), 3);
    QVERIFY(result[u"cpuMicrosecondsPerWrite"_qs].toDouble() > 0);
}

void tst_BenchSmoke::publishingAloneReportsItsRate()
{
    // With no streams, the load client only publishes: every publish must be answered.
    QTemporaryDir dir;
    QProcess herald;
    const quint16 port = startHerald(herald, dir);
    QVERIFY(port);
    QProcess load;
    const QJsonObject result = runLoad(load, port,
                                       {u"--clients"_qs, u"0"_qs, u"--events"_qs, u"200"_qs, u"--publishers"_qs,
                                        u"8"_qs, u"--idle-seconds"_qs, u"0"_qs});
    QCOMPARE(load.exitCode(), 0);
    QCOMPARE(result[u"publishers"_qs].toInt(), 8);
    QCOMPARE(result[u"refusedPublishes"_qs].toInt(), 0);
    QVERIFY(result[u"publishesPerSecond"_qs].toDouble() > 0);
    const QJsonObject stats = httpRequest("GET", QUrl(u"http://127.0.0.1:%1/api/stats"_qs.arg(port))).json().object();
    QCOMPARE(stats[u"published"_qs].toInt(), 200);
    herald.terminate();
    QVERIFY(herald.waitForFinished(10000));
}

void tst_BenchSmoke::wrkPublishesAreTakenWhole_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("eventsEach");
    QTest::addColumn<QString>("durability");
    QTest::newRow("single publishes") << u"publish-single.lua"_qs << 1 << u"process"_qs;
    QTest::newRow("batches of 100") << u"publish-batch.lua"_qs << 100 << u"process"_qs;
    QTest::newRow("batches of 100, --durability disk") << u"publish-batch.lua"_qs << 100 << u"disk"_qs;
}

void tst_BenchSmoke::wrkPublishesAreTakenWhole()
{
    // bench/run's publishing head to head, for a second: every request is answered 200, and each
    // made all its events.
    QFETCH(QString, script);
    QFETCH(int, eventsEach);
    QFETCH(QString, durability);
    const QString wrk = QStandardPaths::findExecutable(u"wrk"_qs);
    if (wrk.isEmpty())
        QFAIL("wrk is not installed (tools/setup installs it)");
    QTemporaryDir dir;
    QProcess herald;
    const quint16 port = startHerald(herald, dir, {u"--durability"_qs, durability});
    QVERIFY(port);
    constexpr int Connections = 4;
    QProcess run;
    run.start(wrk,
              {u"--threads"_qs, u"1"_qs, u"--connections"_qs, QString::number(Connections), u"--duration"_qs, u"1s"_qs,
               u"--script"_qs, QStringLiteral(HERALD_SOURCE_DIR "/bench/") + script,
               u"http://127.0.0.1:%1/publish"_qs.arg(port)});
    QVERIFY(run.waitForFinished(30000));
    const QString output = QString::fromUtf8(run.readAllStandardOutput());
    QCOMPARE(run.exitCode(), 0);
    const QRegularExpressionMatch requests = QRegularExpression(uR"((\d+) requests in)"_qs).match(output);
    QVERIFY2(requests.hasMatch(), qPrintable(output));
    QVERIFY2(!output.contains(u"Non-2xx"_qs) && !output.contains(u"Socket errors"_qs), qPrintable(output));
    const qint64 answered = requests.captured(1).toLongLong();
    QVERIFY(answered > 0);
    // Those still on their way when wrk stopped may have been taken too, whole.
    const qint64 events = httpRequest("GET", QUrl(u"http://127.0.0.1:%1/api/stats"_qs.arg(port)))
                              .json()
                              .object()[u"published"_qs]
                              .toInteger();
    QCOMPARE(events % eventsEach, 0);
    QVERIFY2(events >= answered * eventsEach && events <= (answered + Connections) * eventsEach,
             qPrintable(u"%1 events for %2 answers"_qs.arg(events).arg(answered)));
    herald.terminate();
    QVERIFY(herald.waitForFinished(10000));
}

void tst_BenchSmoke::aClusterRunSpreadsOverItsNodes()
{
    // The benchmark's cluster scenario: three Heralds on one Redis, the streams spread over them
    // and one publisher through each. Every stream gets every event once, in order, whichever
    // node it is on and whichever node took the publish.
    if (!RedisServer::isInstalled())
        QFAIL("redis-server is missing: run tools/setup");
    RedisServer redis;
    QVERIFY(redis.start());
    QTemporaryDir dirs[3];
    QProcess nodes[3];
    QStringList ports;
    for (int i = 0; i < 3; ++i) {
        const quint16 port = startHerald(nodes[i], dirs[i], {u"--cluster"_qs, redis.url()});
        QVERIFY(port);
        ports.append(QString::number(port));
    }

    QProcess load;
    load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    load.start(QStringLiteral(HERALD_LOAD_BINARY),
               {u"--port"_qs, ports.join(u','), u"--clients"_qs, QString::number(Clients), u"--events"_qs, u"60"_qs,
                u"--publishers"_qs, u"3"_qs, u"--idle-seconds"_qs, u"0.2"_qs});
    QVERIFY(load.waitForFinished(120000));
    const QJsonObject result = QJsonDocument::fromJson(load.readAllStandardOutput()).object();
    QCOMPARE(load.exitCode(), 0);
    QCOMPARE(result[u"servers"_qs].toInt(), 3);
    QCOMPARE(result[u"connected"_qs].toInt(), Clients);
    QCOMPARE(result[u"deliveries"_qs].toInt(), Clients * 60);
    QCOMPARE(result[u"lost"_qs].toInt(), 0);
    QCOMPARE(result[u"duplicated"_qs].toInt(), 0);
    QCOMPARE(result[u"reordered"_qs].toInt(), 0);

    // Every node has read every event from the shared stream, delivered it to its own third of
    // the streams, and counts the other nodes.
    for (const QString &port : std::as_const(ports)) {
        const QUrl url(u"http://127.0.0.1:%1/api/stats"_qs.arg(port));
        const auto stats = [&] {
            return httpRequest("GET", url).json().object();
        };
        QCOMPARE(stats()[u"published"_qs].toInt(), 60);
        QCOMPARE(stats()[u"delivered"_qs].toInt(), Clients / 3 * 60);
        QTRY_COMPARE_WITH_TIMEOUT(stats()[u"nodes"_qs].toInt(), 3, 10000); // as the nodes' heartbeats come in
    }
    for (QProcess &node : nodes) {
        node.terminate();
        QVERIFY(node.waitForFinished(10000));
    }
}

QTEST_GUILESS_MAIN(tst_BenchSmoke)
#include "tst_benchsmoke.moc"
