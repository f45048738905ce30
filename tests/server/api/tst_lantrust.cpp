#include "httpclient.h"
#include "servicehost.h"
#include "servicestart.h"
#include "sseclient.h"

#include <QNetworkInterface>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

/// The LAN trust rule over real sockets: requests that arrive from another address than this
/// machine's loopback. The test reaches Herald through one of the machine's own non-loopback
/// addresses, so that Herald sees that address as the peer, as it would see a phone's.
class tst_LanTrust : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void withoutATokenOnlyThisComputerMayPublish();
    void withATokenAnyDeviceMayPublishWithIt();
    void aPrivateHeraldIsClosedToTheLanToo();

private:
    bool start(ServiceConfig config = {});
    QUrl lan(const QString &path) const
    {
        return QUrl(u"http://%1:%2%3"_qs.arg(m_lanAddress.toString()).arg(m_host->port()).arg(path));
    }
    QUrl local(const QString &path) const { return QUrl(u"http://127.0.0.1:%1%2"_qs.arg(m_host->port()).arg(path)); }
    HttpReply publish(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers = {});

    QHostAddress m_lanAddress;
    bool m_addedAddress = false;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServiceHost> m_host;
};

namespace {
// An address for documentation (RFC 5737) that the test puts on lo when the machine has no other.
const QString BorrowedAddress = QStringLiteral("198.51.100.77");

bool runIp(const QStringList &arguments)
{
    const QString ip = QStandardPaths::findExecutable(u"ip"_qs, {u"/usr/sbin"_qs, u"/sbin"_qs, u"/usr/bin"_qs});
    if (ip.isEmpty())
        return false;
    QProcess process;
    process.start(ip, arguments);
    return process.waitForFinished(10000) && process.exitCode() == 0;
}
} // namespace

void tst_LanTrust::initTestCase()
{
    // Left on lo by a run that crashed: this run takes it back, and removes it at the end.
    m_addedAddress = geteuid() == 0 && QNetworkInterface::allAddresses().contains(QHostAddress(BorrowedAddress));
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback() && !address.isLinkLocal()) {
            m_lanAddress = address;
            break;
        }
    }
    if (m_lanAddress.isNull() && geteuid() == 0 && !m_addedAddress) {
        // No network here: lend the machine an address of its own for the test.
        m_addedAddress = runIp({u"addr"_qs, u"add"_qs, BorrowedAddress + u"/32"_qs, u"dev"_qs, u"lo"_qs});
        if (m_addedAddress)
            m_lanAddress = QHostAddress(BorrowedAddress);
    }
    if (m_lanAddress.isNull())
        QSKIP("this machine has no address but loopback, and only root could lend it one (ip addr add ... dev lo)");
    qInfo("reaching Herald through %s", qPrintable(m_lanAddress.toString()));
}

void tst_LanTrust::cleanupTestCase()
{
    if (m_addedAddress)
        runIp({u"addr"_qs, u"del"_qs, BorrowedAddress + u"/32"_qs, u"dev"_qs, u"lo"_qs});
}

void tst_LanTrust::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void tst_LanTrust::cleanup()
{
    m_host.reset();
}

bool tst_LanTrust::start(ServiceConfig config)
{
    config.bindAddress = QHostAddress::Any;
    config.port = 0;
    config.dataDirectory = m_dir->path();
    return startHost(m_host, config);
}

HttpReply tst_LanTrust::publish(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return httpRequest("POST", url, "hello",
                       QList<QPair<QByteArray, QByteArray>>{{"Content-Type", "text/plain"}} + headers);
}

void tst_LanTrust::withoutATokenOnlyThisComputerMayPublish()
{
    QVERIFY(start());
    SseClient listener;
    listener.open(m_host->port(), "/events");
    QVERIFY(listener.waitForHead());

    for (const auto &[method, path] :
         {std::pair{QByteArray("POST"), u"/publish"_qs}, std::pair{QByteArray("GET"), u"/say?msg=hi"_qs},
          std::pair{QByteArray("DELETE"), u"/api/clients/someone"_qs},
          std::pair{QByteArray("DELETE"), u"/api/events/1"_qs},
          // ntfy's ways to publish follow the same rule.
          std::pair{QByteArray("POST"), u"/kitchen"_qs}, std::pair{QByteArray("PUT"), u"/kitchen"_qs},
          std::pair{QByteArray("GET"), u"/kitchen/publish?message=x"_qs},
          // and Gotify's.
          std::pair{QByteArray("POST"), u"/message?message=x"_qs}}) {
        const HttpReply refused = httpRequest(method, lan(path), "x", {{"Content-Type", "text/plain"}});
        QCOMPARE(refused.status, 403);
        QVERIFY2(refused.error().contains(u"token"_qs), qPrintable(refused.error()));
    }
    for (const QString &path : {u"/"_qs, u"/api/stats"_qs, u"/metrics"_qs, u"/healthz"_qs, u"/api/clients"_qs})
        QCOMPARE(httpRequest("GET", lan(path)).status, 200);

    // The same requests from this computer work, as the README's curl examples do.
    QCOMPARE(publish(local(u"/publish"_qs)).status, 200);
    QCOMPARE(httpRequest("DELETE", local(u"/api/events/1"_qs)).status, 204);
    QVERIFY(listener.waitForEvents(2));
    QCOMPARE(listener.dataOf(), QStringList{u"hello"_qs});
}

void tst_LanTrust::withATokenAnyDeviceMayPublishWithIt()
{
    ServiceConfig config;
    config.token = u"lan-s3cret"_qs;
    QVERIFY(start(config));
    QCOMPARE(publish(lan(u"/publish"_qs)).status, 401);
    QCOMPARE(publish(lan(u"/publish"_qs), {{"Authorization", "Bearer lan-s3cret"}}).status, 200);
    QCOMPARE(httpRequest("DELETE", lan(u"/api/events/1"_qs), {}, {{"Authorization", "Bearer lan-s3cret"}}).status, 204);
    // An ntfy client on a phone: Basic with the token as the password, or ntfy's auth parameter.
    QCOMPARE(httpRequest("PUT", lan(u"/kitchen"_qs), "x").status, 401);
    QCOMPARE(httpRequest("PUT", lan(u"/kitchen"_qs), "x",
                         {{"Authorization", "Basic " + QByteArray("phone:lan-s3cret").toBase64()}})
                 .status,
             200);
    const QByteArray auth
        = QByteArray("Bearer lan-s3cret").toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QCOMPARE(httpRequest("GET", lan(u"/kitchen/publish?message=x&auth="_qs + QString::fromLatin1(auth))).status, 200);
    QCOMPARE(httpRequest("GET", lan(u"/say?msg=x&token=lan-s3cret"_qs)).status, 200);
}

void tst_LanTrust::aPrivateHeraldIsClosedToTheLanToo()
{
    ServiceConfig config;
    config.token = u"lan-s3cret"_qs;
    config.readToken = u"lan-reader"_qs;
    config.privateStreams = true;
    QVERIFY(start(config));
    QCOMPARE(httpRequest("GET", lan(u"/"_qs)).status, 401);
    // A phone opening the reader's link is let in, and sent on to the page without the token.
    for (const QString &token : {config.readToken, config.token}) {
        const HttpReply link = httpRequest("GET", lan(u"/?token="_qs + token));
        QCOMPARE(link.status, 303);
        const QByteArray cookie = link.header("Set-Cookie");
        QVERIFY(!cookie.contains("lan-"));
        const HttpReply page = httpRequest("GET", lan(QString::fromUtf8(link.header("Location"))), {},
                                           {{"Cookie", cookie.left(cookie.indexOf(';'))}});
        QCOMPARE(page.status, 200);
    }
    // It reads, and publishes nothing.
    QCOMPARE(publish(lan(u"/publish"_qs), {{"Authorization", "Bearer lan-reader"}}).status, 403);
    QCOMPARE(publish(lan(u"/publish"_qs), {{"Authorization", "Bearer lan-s3cret"}}).status, 200);
    QCOMPARE(httpRequest("GET", lan(u"/api/stats"_qs)).status, 200); // figures stay public
}

QTEST_GUILESS_MAIN(tst_LanTrust)
#include "tst_lantrust.moc"
