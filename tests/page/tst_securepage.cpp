#include "httpclient.h"
#include "pagescripts.h"
#include "servicehost.h"
#include "servicestart.h"
#include "testcertificates.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>
#include <QWebEngineNotification>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineView>

#include <unistd.h>

using namespace Qt::StringLiterals;

/// Herald's page over HTTPS in a real browser engine (QtWebEngine's Chromium) that trusts a test
/// authority, as a device that installed Herald's would: a secure context, where the page is an
/// app that opens offline, display mode asks to keep the screen on, notifications are asked for on a
/// click, and Web Locks elect the tab that holds the stream.
class tst_SecurePage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void theSecurePageIsAnAppThatOpensOffline();
    void displayModeAsksForAWakeLock();
    void notificationsAreAskedForOnAClickAndShownWhileHidden();
    void webLocksElectTheTabThatHoldsTheStream();

private:
    QUrl url(const QString &pathAndQuery) const;
    /// A tab in a window of its own, shown: the page is visible until its window is hidden.
    QWebEnginePage *openTab(const QString &pathAndQuery = u"/"_s);
    void setShown(QWebEnginePage *page, bool shown);
    void closeTab(QWebEnginePage *page);
    static QVariant evaluate(QWebEnginePage *page, const QString &script);
    static bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 60000);
    static QString state(QWebEnginePage *page);
    bool publish(const QString &text, const QJsonObject &extra = {});
    int streamCount() const;

    QTemporaryDir m_home;
    std::unique_ptr<TestCertificates> m_certificates;
    TestCertificates::Issued m_issued;
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<ServiceHost> m_host;
    QWebEngineProfile *m_profile = nullptr;
    QList<QWebEnginePage *> m_tabs;
    QHash<QWebEnginePage *, QWebEngineView *> m_windows;
    QStringList m_notifications;
};

void tst_SecurePage::initTestCase()
{
    m_certificates = std::make_unique<TestCertificates>();
    QVERIFY2(m_certificates->isValid(), qPrintable(m_certificates->error()));
    m_issued = m_certificates->issue();
    QVERIFY2(!m_issued.certificateFile.isEmpty(), qPrintable(m_certificates->error()));
    // Chromium on Linux trusts what the user's NSS database holds: this test's home has one that
    // trusts the test authority, made by Debian's certutil before the browser engine starts.
    const QString database = m_home.filePath(u".pki/nssdb"_s);
    QVERIFY(QDir().mkpath(database));
    const auto certutil = [&](const QStringList &arguments) {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(u"certutil"_s, QStringList{u"-d"_s, u"sql:"_s + database} + arguments);
        const bool done = process.waitForFinished(30'000) && process.exitCode() == 0;
        if (!done)
            qWarning() << "certutil" << arguments << process.readAll();
        return done;
    };
    QVERIFY(certutil({u"-N"_s, u"--empty-password"_s}));
    QVERIFY(certutil(
        {u"-A"_s, u"-n"_s, u"Herald test authority"_s, u"-t"_s, u"C,,"_s, u"-i"_s, m_certificates->authorityFile()}));
    qputenv("HOME", QFile::encodeName(m_home.path()));
    // The test's own HTTP client trusts it too.
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.addCaCertificates(QSslCertificate::fromPath(m_certificates->authorityFile()));
    QSslConfiguration::setDefaultConfiguration(trusting);
}

void tst_SecurePage::init()
{
    m_dataDir = std::make_unique<QTemporaryDir>();
    ServiceConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.tlsPort = 0;
    config.dataDirectory = m_dataDir->path();
    config.tlsCertificateFile = m_issued.certificateFile;
    config.tlsKeyFile = m_issued.keyFile;
    QVERIFY(startHost(m_host, config));
    m_profile = new QWebEngineProfile(this);
    m_notifications.clear();
    m_profile->setNotificationPresenter([this](std::unique_ptr<QWebEngineNotification> notification) {
        m_notifications.append(notification->title() + u" | "_s + notification->message());
    });
}

void tst_SecurePage::cleanup()
{
    qDeleteAll(m_windows);
    m_windows.clear();
    qDeleteAll(m_tabs);
    m_tabs.clear();
    delete m_profile;
    m_profile = nullptr;
    m_host.reset();
}

QUrl tst_SecurePage::url(const QString &pathAndQuery) const
{
    return QUrl(u"https://127.0.0.1:%1%2"_s.arg(m_host->tlsPort()).arg(pathAndQuery));
}

QWebEnginePage *tst_SecurePage::openTab(const QString &pathAndQuery)
{
    auto *page = new QWebEnginePage(m_profile);
    m_tabs.append(page);
    connect(page, &QWebEnginePage::featurePermissionRequested, page,
            [page](const QUrl &origin, QWebEnginePage::Feature feature) {
                // What a reader who clicked "Allow" answers.
                page->setFeaturePermission(origin, feature, QWebEnginePage::PermissionGrantedByUser);
            });
    auto *window = new QWebEngineView;
    window->setPage(page);
    window->resize(800, 600);
    window->show();
    m_windows.insert(page, window);
    page->load(url(pathAndQuery));
    return page;
}

void tst_SecurePage::setShown(QWebEnginePage *page, bool shown)
{
    m_windows.value(page)->setVisible(shown);
}

void tst_SecurePage::closeTab(QWebEnginePage *page)
{
    m_tabs.removeOne(page);
    delete m_windows.take(page);
    delete page;
}

QVariant tst_SecurePage::evaluate(QWebEnginePage *page, const QString &script)
{
    return evaluateInPage(page, script);
}

bool tst_SecurePage::waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    return waitUntilTrue(condition, timeoutMs);
}

QString tst_SecurePage::state(QWebEnginePage *page)
{
    return evaluate(page, u"document.getElementById('state')?.dataset.state"_s).toString();
}

bool tst_SecurePage::publish(const QString &text, const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(u"data"_s, text);
    const HttpReply reply
        = httpRequest("POST", url(u"/publish"_s), QJsonDocument(body).toJson(), {{"Content-Type", "application/json"}});
    return reply.status == 200;
}

int tst_SecurePage::streamCount() const
{
    return int(httpRequest("GET", url(u"/api/clients"_s)).json().array().size());
}

void tst_SecurePage::theSecurePageIsAnAppThatOpensOffline()
{
    QWebEnginePage *page = openTab();
    QVERIFY(waitUntil([&] { return state(page) == u"live"_s; }));
    QVERIFY(evaluate(page, u"window.isSecureContext"_s).toBool());
    QVERIFY(publish(u"over https"_s));
    QVERIFY(waitUntil([&] {
        return evaluate(page, u"document.querySelector('#events .text')?.textContent"_s).toString() == u"over https"_s;
    }));
    // Installable: a manifest with Herald's name and icons, which the page links.
    const QString manifestUrl = evaluate(page, u"document.querySelector('link[rel=manifest]').href"_s).toString();
    QCOMPARE(manifestUrl, url(u"/manifest.webmanifest"_s).toString());
    const HttpReply manifestReply = httpRequest("GET", QUrl(manifestUrl));
    QCOMPARE(manifestReply.header("Content-Type"), "application/manifest+json");
    const QJsonObject manifest = manifestReply.json().object();
    QCOMPARE(manifest.value(u"name"_s).toString(), u"Herald"_s);
    QCOMPARE(manifest.value(u"start_url"_s).toString(), u"/"_s);
    QVERIFY(manifest.value(u"icons"_s).toArray().size() >= 2);
    QCOMPARE(httpRequest("GET", url(u"/icon-512.png"_s)).header("Content-Type"), "image/png");

    // Its service worker registers and takes the page over.
    QVERIFY(waitUntil(
        [&] { return evaluate(page, u"document.documentElement.dataset.serviceWorker"_s) == u"registered"_s; }));
    evaluate(page, u"navigator.serviceWorker.ready.then(r => { window.workerActive = !!r.active; })"_s);
    QVERIFY(waitUntil([&] { return evaluate(page, u"window.workerActive === true"_s).toBool(); }));
    page->triggerAction(QWebEnginePage::Reload);
    QVERIFY(waitUntil([&] { return state(page) == u"live"_s; }));
    QVERIFY(evaluate(page, u"!!navigator.serviceWorker.controller"_s).toBool());

    // Herald is gone: the page still opens, Herald's own, saying it reconnects.
    m_host->stop();
    page->triggerAction(QWebEnginePage::Reload);
    QVERIFY(waitUntil([&] {
        const QString now = state(page);
        return now == u"reconnecting"_s || now == u"closed"_s;
    }));
    QCOMPARE(evaluate(page, u"document.title"_s).toString(), u"Herald"_s);
    QVERIFY(evaluate(page, u"!!document.getElementById('events')"_s).toBool());
}

void tst_SecurePage::displayModeAsksForAWakeLock()
{
    // Display mode asks for the Screen Wake Lock as soon as it is visible in a secure context.
    // QtWebEngine 6.4 has no way to grant it and refuses every request, where a browser grants it:
    // what is checked here is that the page asks, and asks again whenever it is visible again.
    QWebEnginePage *page = openTab(u"/?view=display"_s);
    QVERIFY(waitUntil([&] { return state(page) == u"live"_s; }));
    const auto asked = [&] {
        return evaluate(page, u"Number(document.documentElement.dataset.wakeLockAsked || 0)"_s).toInt();
    };
    const auto outcome = [&] {
        return evaluate(page, u"document.documentElement.dataset.wakeLock || ''"_s).toString();
    };
    QVERIFY(waitUntil([&] { return asked() == 1 && !outcome().isEmpty(); }));
    QVERIFY2(outcome() == u"held"_s || outcome() == u"refused"_s, qPrintable(outcome()));
    QVERIFY(evaluate(page, u"'wakeLock' in navigator"_s).toBool());
    // Hidden, it does not ask; visible again, it asks again.
    setShown(page, false);
    QVERIFY(waitUntil([&] { return evaluate(page, u"document.visibilityState"_s) == u"hidden"_s; }));
    QVERIFY(outcome() != u"held"_s);
    QCOMPARE(asked(), 1);
    setShown(page, true);
    QVERIFY(waitUntil([&] { return asked() == 2; }));

    // Not outside display mode.
    QWebEnginePage *reader = openTab();
    QVERIFY(waitUntil([&] { return state(reader) == u"live"_s; }));
    QVERIFY(evaluate(reader, u"document.documentElement.dataset.wakeLockAsked === undefined"_s).toBool());
}

void tst_SecurePage::notificationsAreAskedForOnAClickAndShownWhileHidden()
{
    QWebEnginePage *page = openTab();
    QSignalSpy asked(page, &QWebEnginePage::featurePermissionRequested);
    QVERIFY(waitUntil([&] { return state(page) == u"live"_s; }));
    QTest::qWait(500);
    QCOMPARE(asked.size(), 0); // never on load
    QVERIFY(!evaluate(page, u"document.getElementById('notify-row').hidden"_s).toBool());
    QCOMPARE(evaluate(page, u"Notification.permission"_s).toString(), u"default"_s);

    evaluate(page, u"document.getElementById('notify').click()"_s);
    QVERIFY(waitUntil([&] { return asked.size() == 1; }));
    QCOMPARE(asked.first().at(1).value<QWebEnginePage::Feature>(), QWebEnginePage::Notifications);
    QVERIFY(waitUntil([&] { return evaluate(page, u"document.getElementById('notify').checked"_s).toBool(); }));

    // Seen on screen: no notification.
    QVERIFY(publish(u"while looking"_s));
    QVERIFY(
        waitUntil([&] { return evaluate(page, u"document.querySelectorAll('#events li').length"_s).toInt() == 1; }));
    QTest::qWait(500);
    QVERIFY(m_notifications.isEmpty());
    // Hidden: the system shows it.
    setShown(page, false);
    QVERIFY(waitUntil([&] { return evaluate(page, u"document.visibilityState"_s) == u"hidden"_s; }));
    QTest::qWait(1500); // the tab's next presence says it is hidden
    QVERIFY(publish(u"while away"_s, {{u"title"_s, u"Dinner"_s}}));
    QVERIFY(waitUntil([&] { return m_notifications.size() == 1; }));
    QCOMPARE(m_notifications.first(), u"Dinner | while away"_s);
}

void tst_SecurePage::webLocksElectTheTabThatHoldsTheStream()
{
    QWebEnginePage *first = openTab();
    QVERIFY(waitUntil([&] { return state(first) == u"live"_s; }));
    QVERIFY(evaluate(first, u"!!navigator.locks"_s).toBool());
    for (int i = 0; i < 4; ++i)
        openTab();
    QVERIFY(waitUntil([&] {
        return std::all_of(m_tabs.cbegin(), m_tabs.cend(), [](QWebEnginePage *tab) { return state(tab) == u"live"_s; });
    }));
    const auto leaders = [&] {
        QList<QWebEnginePage *> found;
        for (QWebEnginePage *tab : std::as_const(m_tabs)) {
            if (evaluate(tab, u"document.documentElement.dataset.streamRole"_s) == u"leader"_s)
                found.append(tab);
        }
        return found;
    };
    QVERIFY(waitUntil([&] { return leaders().size() == 1 && streamCount() == 1; }));
    QCOMPARE(leaders().first(), first); // the lock goes in the order the tabs asked

    // The leader goes: the next tab holds the lock, and the stream, at once.
    closeTab(first);
    QVERIFY(waitUntil([&] { return leaders().size() == 1 && streamCount() == 1; }, 10000));
    QVERIFY(publish(u"after the hand-over"_s));
    for (QWebEnginePage *tab : std::as_const(m_tabs)) {
        QVERIFY(waitUntil([&] {
            return evaluate(tab, u"document.querySelector('#events .text')?.textContent"_s).toString()
                == u"after the hand-over"_s;
        }));
    }
}

int main(int argc, char *argv[])
{
    if (geteuid() == 0)
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    tst_SecurePage test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_securepage.moc"
