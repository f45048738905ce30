#include "heraldprocess.h"
#include "httpclient.h"
#include "sseclient.h"

#include <QJsonObject>
#include <QNetworkInterface>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

/// The built herald binary, started the way a person or a service manager starts it.
class tst_Headless : public QObject
{
    Q_OBJECT

private slots:
    void publishesAndStopsCleanlyOnSigterm();
    void printsEveryUrlABrowserCanUse();
    void badFlagsExitWithCode2AndOneLine_data();
    void badFlagsExitWithCode2AndOneLine();
    void aTakenPortExitsWithCode2();
    void helpAndVersion();

private:
    quint16 startHerald(QProcess &process, const QStringList &arguments, QString *output);
    QTemporaryDir m_dataDir;
};

quint16 tst_Headless::startHerald(QProcess &process, const QStringList &arguments, QString *output)
{
    process.start(QStringLiteral(HERALD_BINARY), QStringList{u"--headless"_qs, u"--data-dir"_qs, m_dataDir.path()} + arguments);
    if (!process.waitForStarted())
        return 0;
    return waitForHeraldPort(process, output, u"Ctrl+C"_qs);
}

void tst_Headless::publishesAndStopsCleanlyOnSigterm()
{
    QProcess herald;
    QString output;
    const quint16 port = startHerald(herald, {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs}, &output);
    QVERIFY2(port != 0, qPrintable(output + QString::fromUtf8(herald.readAllStandardError())));
    QVERIFY(output.contains(u"headless"_qs));

    SseClient stream;
    stream.open(port, "/events?client=e2e");
    QVERIFY(stream.waitForHead());
    QCOMPARE(stream.status(), 200);
    QTRY_VERIFY(httpRequest("GET", QUrl(QStringLiteral("http://127.0.0.1:%1/api/stats").arg(port)))
                        .json().object().value(u"clients"_qs).toInt() == 1);

    const QByteArray body = "from the outside";
    const QByteArray answer = rawExchange(port, "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                                "Content-Type: text/plain\r\nContent-Length: "
                                                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.contains("\"delivered\":1"));
    QVERIFY(stream.waitForEvents(1));
    QCOMPARE(stream.events().first().data, u"from the outside"_qs);

    herald.terminate(); // SIGTERM
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitStatus(), QProcess::NormalExit);
    QCOMPARE(herald.exitCode(), 0);
    QVERIFY(stream.waitForClosed());
    QCOMPARE(stream.events().last().type, u"herald-shutdown"_qs);
}

void tst_Headless::printsEveryUrlABrowserCanUse()
{
    QProcess herald;
    QString output;
    const quint16 port = startHerald(herald, {u"--port"_qs, u"0"_qs}, &output);
    QVERIFY2(port != 0, qPrintable(output));
    QVERIFY(output.contains(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.isLinkLocal() || address.protocol() != QAbstractSocket::IPv4Protocol)
            continue;
        QVERIFY2(output.contains(QStringLiteral("http://%1:%2/").arg(address.toString()).arg(port)), qPrintable(output));
    }
    herald.terminate();
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 0);
}

void tst_Headless::badFlagsExitWithCode2AndOneLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("port") << QStringList{u"--port"_qs, u"eighty"_qs};
    QTest::newRow("bind") << QStringList{u"--bind"_qs, u"nowhere"_qs};
    QTest::newRow("history") << QStringList{u"--history"_qs, u"-1"_qs};
    QTest::newRow("unknown") << QStringList{u"--frobnicate"_qs};
}

void tst_Headless::badFlagsExitWithCode2AndOneLine()
{
    QFETCH(QStringList, arguments);
    QProcess herald;
    herald.start(QStringLiteral(HERALD_BINARY), QStringList{u"--headless"_qs} + arguments);
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 2);
    const QString error = QString::fromUtf8(herald.readAllStandardError()).trimmed();
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));
    QVERIFY(error.startsWith(u"herald: "_qs));
}

void tst_Headless::aTakenPortExitsWithCode2()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::Any));
    QProcess herald;
    // Only the error itself: informational log lines are not part of the answer.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_LOGGING_RULES"_qs, u"herald.*.info=false"_qs);
    herald.setProcessEnvironment(environment);
    herald.start(QStringLiteral(HERALD_BINARY),
                 {u"--headless"_qs, u"--data-dir"_qs, m_dataDir.path(), u"--port"_qs, QString::number(squatter.serverPort())});
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 2);
    const QString error = QString::fromUtf8(herald.readAllStandardError()).trimmed();
    QVERIFY2(error.contains(u"already in use"_qs), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void tst_Headless::helpAndVersion()
{
    QProcess herald;
    herald.start(QStringLiteral(HERALD_BINARY), {u"--version"_qs});
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 0);
    QVERIFY(herald.readAllStandardOutput().startsWith("herald "));
    herald.start(QStringLiteral(HERALD_BINARY), {u"--help"_qs});
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 0);
    QVERIFY(herald.readAllStandardOutput().contains("--data-dir"));
}

QTEST_GUILESS_MAIN(tst_Headless)
#include "tst_headless.moc"
