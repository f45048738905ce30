#include "heraldprocess.h"
#include "httpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

/// A short run of the benchmark's load client against the real herald binary: it checks that
/// the benchmark works and that nothing is lost, duplicated or reordered. It never judges speed.
class tst_BenchSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aShortBurstLosesNothing_data();
    void aShortBurstLosesNothing();
    void theWriteFloorIsMeasured();
    void publishingAloneReportsItsRate();
};

void tst_BenchSmoke::aShortBurstLosesNothing_data()
{
    QTest::addColumn<QStringList>("heraldArguments");
    QTest::addColumn<QStringList>("loadArguments");
    QTest::newRow("burst") << QStringList() << QStringList{u"--rate"_qs, u"0"_qs};
    QTest::newRow("paced") << QStringList() << QStringList{u"--rate"_qs, u"50"_qs};
    QTest::newRow("four publishers at once") << QStringList() << QStringList{u"--publishers"_qs, u"4"_qs};
    QTest::newRow("four publishers, synced to the disk")
            << QStringList{u"--durability"_qs, u"disk"_qs} << QStringList{u"--publishers"_qs, u"4"_qs};
}

void tst_BenchSmoke::aShortBurstLosesNothing()
{
    QFETCH(QStringList, heraldArguments);
    QFETCH(QStringList, loadArguments);
    QTemporaryDir dir;
    QProcess herald;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_LOGGING_RULES"_qs, u"herald.*.info=false"_qs);
    herald.setProcessEnvironment(environment);
    herald.start(QStringLiteral(HERALD_BINARY), QStringList{u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs,
                                                             u"0"_qs, u"--data-dir"_qs, dir.path()}
                                                         + heraldArguments);
    QVERIFY(herald.waitForStarted());
    QString output;
    const quint16 port = waitForHeraldPort(herald, &output);
    QVERIFY2(port, qPrintable(output));

    QProcess load;
    load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    load.start(QStringLiteral(HERALD_LOAD_BINARY),
               QStringList{u"--port"_qs, QString::number(port), u"--clients"_qs, u"300"_qs, u"--events"_qs, u"40"_qs,
                           u"--idle-seconds"_qs, u"0.2"_qs, u"--server-pid"_qs, QString::number(herald.processId())}
                       + loadArguments);
    QVERIFY(load.waitForFinished(120000));
    const QJsonObject result = QJsonDocument::fromJson(load.readAllStandardOutput()).object();
    QVERIFY2(!result.isEmpty(), "the load client printed no result");
    QCOMPARE(result[u"connected"_qs].toInt(), 300);
    QCOMPARE(result[u"deliveries"_qs].toInt(), 300 * 40);
    QCOMPARE(result[u"lost"_qs].toInt(), 0);
    QCOMPARE(result[u"duplicated"_qs].toInt(), 0);
    QCOMPARE(result[u"reordered"_qs].toInt(), 0);
    QCOMPARE(result[u"droppedStreams"_qs].toInt(), 0);
    QCOMPARE(result[u"refusedPublishes"_qs].toInt(), 0);
    QVERIFY(result[u"publishesPerSecond"_qs].toDouble() > 0);
    QCOMPARE(load.exitCode(), 0);
    // The server figures come from /proc and are there to be compared, not judged.
    const QJsonObject server = result[u"server"_qs].toObject();
    QVERIFY(server[u"rssKiB"_qs].toDouble() > 0);
    QVERIFY(server.contains(u"cpuMicrosecondsPerDelivery"_qs));
    QVERIFY(server.contains(u"cpuMicrosecondsPerConnection"_qs));
    QVERIFY(result[u"latencyMs"_qs][u"p99"_qs].toDouble() >= result[u"latencyMs"_qs][u"p50"_qs].toDouble());

    herald.terminate();
    QVERIFY(herald.waitForFinished(10000));
    QCOMPARE(herald.exitCode(), 0);
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
    herald.start(QStringLiteral(HERALD_BINARY), {u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs,
                                                  u"0"_qs, u"--data-dir"_qs, dir.path()});
    QString output;
    const quint16 port = waitForHeraldPort(herald, &output);
    QVERIFY2(port, qPrintable(output));
    QProcess load;
    load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    load.start(QStringLiteral(HERALD_LOAD_BINARY), {u"--port"_qs, QString::number(port), u"--clients"_qs, u"0"_qs,
                                                   u"--events"_qs, u"200"_qs, u"--publishers"_qs, u"8"_qs,
                                                   u"--idle-seconds"_qs, u"0"_qs});
    QVERIFY(load.waitForFinished(60000));
    QCOMPARE(load.exitCode(), 0);
    const QJsonObject result = QJsonDocument::fromJson(load.readAllStandardOutput()).object();
    QCOMPARE(result[u"publishers"_qs].toInt(), 8);
    QCOMPARE(result[u"refusedPublishes"_qs].toInt(), 0);
    QVERIFY(result[u"publishesPerSecond"_qs].toDouble() > 0);
    const QJsonObject stats = httpRequest("GET", QUrl(u"http://127.0.0.1:%1/api/stats"_qs.arg(port))).json().object();
    QCOMPARE(stats[u"published"_qs].toInt(), 200);
    herald.terminate();
    QVERIFY(herald.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(tst_BenchSmoke)
#include "tst_benchsmoke.moc"
