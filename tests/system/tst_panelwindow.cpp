#include "heraldprocess.h"
#include "httpclient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

/// The real herald binary with its window, on a real X server: the embedded view connects as
/// a client, receives what is published, and the window keeps its state across a SIGTERM.
class tst_PanelWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void theEmbeddedViewIsAConnectedClient();

private:
    QTemporaryDir m_dir;
};

void tst_PanelWindow::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DISPLAY"),
             "this test needs an X server; run the suite with tools/run-tests, which starts Xvfb");
    QVERIFY(m_dir.isValid());
}

void tst_PanelWindow::theEmbeddedViewIsAConnectedClient()
{
    // Saved settings apply, and a flag on the command line overrides them for the run.
    {
        QSettings saved(m_dir.filePath(u"config/herald/herald.ini"_qs), QSettings::IniFormat);
        saved.setValue(u"service/port"_qs, 1); // overridden by --port 0 below
        saved.setValue(u"service/token"_qs, u"saved-token"_qs);
    }
    QProcess herald;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"QT_QPA_PLATFORM"_qs); // the real X server, not offscreen
    environment.insert(u"XDG_CONFIG_HOME"_qs, m_dir.filePath(u"config"_qs));
    environment.insert(u"LANG"_qs, u"C.UTF-8"_qs);
    herald.setProcessEnvironment(environment);
    herald.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    herald.start(QStringLiteral(HERALD_BINARY),
                 {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"localhost"_qs, u"--data-dir"_qs, m_dir.filePath(u"data"_qs)});
    QVERIFY(herald.waitForStarted());

    QString output;
    const quint16 port = waitForHeraldPort(herald, &output, QString(), 30000);
    QVERIFY2(port, qPrintable(output));
    QVERIFY2(!output.contains(u"headless"_qs), "with a display, herald opens its window");
    const QString base = u"http://127.0.0.1:%1"_qs.arg(port);

    // The window's own view of the page shows up in the client list, as a browser.
    QJsonObject panel;
    const bool connected = QTest::qWaitFor(
        [&] {
            const QJsonArray clients = httpRequest("GET", QUrl(base + u"/api/clients"_qs)).json().array();
            for (const QJsonValue &client : clients) {
                if (client[u"name"_qs].toString() == u"Control panel"_qs) {
                    panel = client.toObject();
                    return true;
                }
            }
            return false;
        },
        60000);
    QVERIFY2(connected, "the embedded view never connected");
    QVERIFY(panel[u"userAgent"_qs].toString().contains(u"QtWebEngine"_qs));
    QVERIFY(panel[u"address"_qs].toString().contains(u"127.0.0.1"_qs));

    // It receives what is published.
    QCOMPARE(httpRequest("POST", QUrl(base + u"/publish"_qs), "no token", {{"Content-Type", "text/plain"}}).status,
             401);
    const HttpReply published = httpRequest("POST", QUrl(base + u"/publish"_qs), "hello, panel",
                                            {{"Content-Type", "text/plain"}, {"Authorization", "Bearer saved-token"}});
    QCOMPARE(published.status, 200);
    const int id = published.json()[u"id"_qs].toInt();
    QVERIFY(published.json()[u"delivered"_qs].toInt() >= 1);
    QVERIFY(QTest::qWaitFor(
        [&] {
            const QJsonArray clients = httpRequest("GET", QUrl(base + u"/api/clients"_qs)).json().array();
            for (const QJsonValue &client : clients) {
                if (client[u"id"_qs] == panel[u"id"_qs])
                    return client[u"lastEventId"_qs].toInt() == id;
            }
            return false;
        },
        10000));

    // Launching Herald again on the same data folder brings this window forward instead.
    QProcess second;
    second.setProcessEnvironment(environment);
    second.start(QStringLiteral(HERALD_BINARY), {u"--port"_qs, u"0"_qs, u"--data-dir"_qs, m_dir.filePath(u"data"_qs)});
    QVERIFY(second.waitForFinished(30000));
    QCOMPARE(second.exitCode(), 0);
    QVERIFY(QString::fromUtf8(second.readAllStandardOutput()).contains(u"its window is now in front"_qs));
    QVERIFY(QTest::qWaitFor(
        [&] {
            output += QString::fromUtf8(herald.readAllStandardOutput());
            return output.contains(u"brought this window to the front"_qs);
        },
        10000));

    // SIGTERM closes the window like the close button: state saved, clean exit.
    ::kill(pid_t(herald.processId()), SIGTERM);
    QVERIFY(herald.waitForFinished(15000));
    QCOMPARE(herald.exitStatus(), QProcess::NormalExit);
    QCOMPARE(herald.exitCode(), 0);
    QSettings saved(m_dir.filePath(u"config/herald/herald.ini"_qs), QSettings::IniFormat);
    QVERIFY(!saved.value(u"window/geometry"_qs).toByteArray().isEmpty());
    QVERIFY(QFile::exists(m_dir.filePath(u"data/history.jsonl"_qs)));
}

QTEST_GUILESS_MAIN(tst_PanelWindow)
#include "tst_panelwindow.moc"
