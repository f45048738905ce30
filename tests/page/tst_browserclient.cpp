#include "httpclient.h"
#include "servicehost.h"
#include "servicestart.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebEnginePage>
#include <QWebEngineProfile>

#include <unistd.h>

/// Herald's own page, in a real browser engine (QtWebEngine's Chromium), against a running service.
class tst_BrowserClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void thePageReceivesPublishedEventsAsText();
    void thePageCatchesUpAfterARestartThroughLastEventId();
    void thePageStopsWhenKicked();

private:
    bool startService(quint16 port);
    QVariant evaluate(const QString &script);
    QString pageState() { return evaluate(u"document.getElementById('state').dataset.state"_qs).toString(); }
    QString stateText() { return evaluate(u"document.getElementById('state').textContent"_qs).toString(); }
    QStringList shownTexts();
    HttpReply publish(const QByteArray &text);

    QTemporaryDir m_dataDir;
    std::unique_ptr<ServiceHost> m_host;
    quint16 m_port = 0;
    QWebEngineProfile *m_profile = nullptr;
    QWebEnginePage *m_page = nullptr;
};

bool tst_BrowserClient::startService(quint16 port)
{
    ServiceConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = port;
    config.dataDirectory = m_dataDir.path();
    config.retryMilliseconds = 4000;
    if (!startHost(m_host, config))
        return false;
    m_port = m_host->port();
    return true;
}

QVariant tst_BrowserClient::evaluate(const QString &script)
{
    QVariant result;
    bool done = false;
    m_page->runJavaScript(script, [&](const QVariant &value) {
        result = value;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        qWarning("script did not finish: %s", qPrintable(script));
    return result;
}

QStringList tst_BrowserClient::shownTexts()
{
    // The page shows the newest first; return them in the order they arrived.
    QStringList texts
        = evaluate(u"Array.from(document.querySelectorAll('#events .text'), e => e.textContent)"_qs).toStringList();
    std::reverse(texts.begin(), texts.end());
    return texts;
}

HttpReply tst_BrowserClient::publish(const QByteArray &text)
{
    return httpRequest("POST", QUrl(QStringLiteral("http://127.0.0.1:%1/publish").arg(m_port)), text,
                       {{"Content-Type", "text/plain"}});
}

void tst_BrowserClient::initTestCase()
{
    QVERIFY(startService(0));
    m_profile = new QWebEngineProfile(this); // off the record: a fresh localStorage
    m_page = new QWebEnginePage(m_profile, this);
    QSignalSpy loaded(m_page, &QWebEnginePage::loadFinished);
    m_page->load(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_port)));
    QVERIFY(loaded.wait(30000));
    QCOMPARE(loaded.first().first().toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(pageState(), u"live"_qs, 20000);
}

void tst_BrowserClient::cleanupTestCase()
{
    delete m_page;
    delete m_profile;
    m_host.reset();
}

void tst_BrowserClient::thePageReceivesPublishedEventsAsText()
{
    QCOMPARE(publish("hello browser").status, 200);
    const QByteArray hostile = "<img src=x onerror=\"window.pwned=1\"></script><script>window.pwned=2</script>";
    QCOMPARE(publish(hostile).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(), (QStringList{u"hello browser"_qs, QString::fromUtf8(hostile)}), 10000);

    QTest::qWait(200); // give an injected image the chance to fail and fire its handler
    QCOMPARE(evaluate(u"typeof window.pwned"_qs).toString(), u"undefined"_qs);
    QCOMPARE(evaluate(u"document.querySelectorAll('#events img, #events script').length"_qs).toInt(), 0);

    // The page is a client like any other, with its stable id and the browser's user agent.
    const QJsonArray clients
        = httpRequest("GET", QUrl(QStringLiteral("http://127.0.0.1:%1/api/clients").arg(m_port))).json().array();
    QCOMPARE(clients.size(), 1);
    const QJsonObject page = clients.first().toObject();
    const QString storedId = evaluate(u"localStorage.getItem('herald.client')"_qs).toString();
    QVERIFY(!storedId.isEmpty());
    QCOMPARE(page.value(u"id"_qs).toString(), storedId);
    QVERIFY(page.value(u"userAgent"_qs).toString().contains(u"Chrome"_qs));
}

void tst_BrowserClient::thePageCatchesUpAfterARestartThroughLastEventId()
{
    const QStringList before = shownTexts();
    QVERIFY(!before.isEmpty());
    const quint16 port = m_port;
    m_host.reset(); // a graceful stop: the page is told and starts retrying
    QTRY_COMPARE_WITH_TIMEOUT(pageState(), u"reconnecting"_qs, 10000);
    // It keeps saying why while its retries fail.
    QTRY_VERIFY_WITH_TIMEOUT(stateText().contains(u"(attempt 2)"_qs), 15000);
    QVERIFY2(stateText().contains(u"Herald stopped"_qs), qPrintable(stateText()));

    QVERIFY(startService(port));
    QCOMPARE(publish("missed one").status, 200);
    QCOMPARE(publish("missed two").status, 200);
    // Published while the page was away: it is not connected yet.
    const QJsonObject stats
        = httpRequest("GET", QUrl(QStringLiteral("http://127.0.0.1:%1/api/stats").arg(m_port))).json().object();
    QCOMPARE(stats.value(u"clients"_qs).toInt(), 0);

    QTRY_COMPARE_WITH_TIMEOUT(pageState(), u"live"_qs, 20000);
    const QStringList expected = before + QStringList{u"missed one"_qs, u"missed two"_qs};
    QTRY_COMPARE_WITH_TIMEOUT(shownTexts(), expected, 10000);
}

void tst_BrowserClient::thePageStopsWhenKicked()
{
    const QString id = evaluate(u"localStorage.getItem('herald.client')"_qs).toString();
    const HttpReply reply
        = httpRequest("DELETE", QUrl(QStringLiteral("http://127.0.0.1:%1/api/clients/%2").arg(m_port).arg(id)));
    QCOMPARE(reply.status, 204);
    QTRY_COMPARE_WITH_TIMEOUT(pageState(), u"kicked"_qs, 10000);
    // It does not come back on its own.
    QTest::qWait(5000);
    const QJsonArray clients
        = httpRequest("GET", QUrl(QStringLiteral("http://127.0.0.1:%1/api/clients").arg(m_port))).json().array();
    QCOMPARE(clients.size(), 0);
    QCOMPARE(pageState(), u"kicked"_qs);
}

int main(int argc, char *argv[])
{
    if (geteuid() == 0)
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    tst_BrowserClient test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_browserclient.moc"
