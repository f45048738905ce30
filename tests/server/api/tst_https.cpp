#include "httpclient.h"
#include "servicestart.h"
#include "sseclient.h"
#include "testcertificates.h"
#include "tlscontext.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace {

/// A TLS client of OpenSSL's own, on a blocking socket, for what Qt's does not let a test choose:
/// the protocol versions offered, ALPN, a session to resume.
class RawTlsClient
{
public:
    struct Options
    {
        int minVersion = TLS1_2_VERSION;
        int maxVersion = TLS1_3_VERSION;
        QByteArray alpn; ///< in the wire format: length-prefixed names
        SSL_SESSION *resume = nullptr;
    };

    RawTlsClient(quint16 port, const Options &options)
    {
        m_context = SSL_CTX_new(TLS_client_method());
        // Security level 0 lets this client offer what a secure client would not (TLS 1.1), so
        // that what refuses it is the server.
        SSL_CTX_set_security_level(m_context, 0);
        SSL_CTX_set_cipher_list(m_context, "DEFAULT@SECLEVEL=0");
        SSL_CTX_set_min_proto_version(m_context, options.minVersion);
        SSL_CTX_set_max_proto_version(m_context, options.maxVersion);
        if (!options.alpn.isEmpty()) {
            SSL_CTX_set_alpn_protos(m_context, reinterpret_cast<const unsigned char *>(options.alpn.constData()),
                                    unsigned(options.alpn.size()));
        }
        m_fd = connectLoopback(port, 5000);
        m_ssl = SSL_new(m_context);
        SSL_set_fd(m_ssl, m_fd);
        if (options.resume)
            SSL_set_session(m_ssl, options.resume);
        ERR_clear_error();
        m_connected = SSL_connect(m_ssl) == 1;
        m_errorReason = m_connected ? 0 : ERR_GET_REASON(ERR_peek_last_error());
        ERR_clear_error();
    }
    ~RawTlsClient()
    {
        // Ended properly: OpenSSL would forget the session of a connection that was not.
        if (m_connected)
            SSL_shutdown(m_ssl);
        SSL_free(m_ssl);
        SSL_CTX_free(m_context);
        if (m_fd >= 0)
            ::close(m_fd);
    }

    bool isConnected() const { return m_connected; }
    int errorReason() const { return m_errorReason; }
    QString protocol() const { return QString::fromLatin1(SSL_get_version(m_ssl)); }
    QByteArray alpn() const
    {
        const unsigned char *chosen = nullptr;
        unsigned int length = 0;
        SSL_get0_alpn_selected(m_ssl, &chosen, &length);
        return QByteArray(reinterpret_cast<const char *>(chosen), int(length));
    }
    bool isResumed() const { return SSL_session_reused(m_ssl) == 1; }
    /// The session to resume with, owned by the caller.
    SSL_SESSION *session() const { return SSL_get1_session(m_ssl); }

    bool write(const QByteArray &bytes) { return SSL_write(m_ssl, bytes.constData(), int(bytes.size())) > 0; }
    /// What one record brings (empty after the socket's timeout).
    QByteArray readRecord()
    {
        char buffer[16384];
        const int received = SSL_read(m_ssl, buffer, sizeof buffer);
        ERR_clear_error();
        return received > 0 ? QByteArray(buffer, received) : QByteArray();
    }
    /// Everything until the server ends the connection (or the socket's timeout).
    QByteArray readToEnd()
    {
        QByteArray all;
        char buffer[16384];
        int received;
        while ((received = SSL_read(m_ssl, buffer, sizeof buffer)) > 0)
            all.append(buffer, received);
        ERR_clear_error();
        return all;
    }

private:
    SSL_CTX *m_context = nullptr;
    SSL *m_ssl = nullptr;
    int m_fd = -1;
    bool m_connected = false;
    int m_errorReason = 0;
};

/// Whether the server ended the connection on \a fd (rather than keeping it open for the socket's
/// receive timeout), reading and dropping whatever came first.
bool serverClosed(int fd)
{
    char buffer[4096];
    for (;;) {
        const ssize_t received = ::recv(fd, buffer, sizeof buffer, 0);
        if (received > 0)
            continue;
        return received == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    }
}

} // namespace

/// Herald's HTTPS port, through the whole service: the protocol versions and ciphers it takes,
/// handshakes it will not wait for, streams and publishing over TLS, the access rules there,
/// and --tls-only.
class TestHttps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void tls12And13AreTakenAndOlderRefused_data();
    void tls12And13AreTakenAndOlderRefused();
    void alpnChoosesHttp11();
    void aReturningClientResumesItsSession_data();
    void aReturningClientResumesItsSession();
    void aStalledHandshakeIsClosedWhileOthersAreServed();
    void garbageAndPlainHttpOnTheTlsPortAreClosed_data();
    void garbageAndPlainHttpOnTheTlsPortAreClosed();
    void thousandTlsStreamsReceiveEveryPublishInOrder();
    void aLargePublishAndPipelinedRequestsOverTls();
    void theTokenRulesHoldOverTls();
    void theClientListSaysWhichStreamsAreOnTls();
    void streamsUseKernelTlsWhereTheKernelHasIt();
    void tlsOnlyRedirectsEveryPlainRequest();
    void badCertificateSettingsStopTheStart();
    void autoMakesACertificateTrustedThroughHeraldsAuthority();
    void aReloadTakesNewFilesWithStreamsOpen();

private:
    bool startService(ServiceConfig config = {});
    QUrl httpsUrl(const QString &pathAndQuery) const;
    SseClient *openTlsStream(const QByteArray &pathAndQuery = "/events", const QList<QByteArray> &headers = {});

    std::unique_ptr<TestCertificates> m_certificates;
    TestCertificates::Issued m_issued;
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<ServiceHost> m_host;
    QList<SseClient *> m_streams;
};

void TestHttps::initTestCase()
{
    m_certificates = std::make_unique<TestCertificates>();
    QVERIFY2(m_certificates->isValid(), qPrintable(m_certificates->error()));
    m_issued = m_certificates->issue();
    QVERIFY2(!m_issued.certificateFile.isEmpty(), qPrintable(m_certificates->error()));
    // Qt's clients in this test trust the test's authority, as a device that installed it would.
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.addCaCertificates(QSslCertificate::fromPath(m_certificates->authorityFile()));
    QSslConfiguration::setDefaultConfiguration(trusting);
}

void TestHttps::init()
{
    m_dataDir = std::make_unique<QTemporaryDir>();
}

void TestHttps::cleanup()
{
    qDeleteAll(m_streams);
    m_streams.clear();
    m_host.reset();
}

bool TestHttps::startService(ServiceConfig config)
{
    config.port = 0;
    config.tlsPort = 0;
    config.bindAddress = QHostAddress::LocalHost;
    config.dataDirectory = m_dataDir->path();
    if (config.tlsCertificateFile.isEmpty()) {
        config.tlsCertificateFile = m_issued.certificateFile;
        config.tlsKeyFile = m_issued.keyFile;
    }
    return startHost(m_host, config) && m_host->tlsPort() != 0 && m_host->tlsPort() != m_host->port();
}

QUrl TestHttps::httpsUrl(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1%2").arg(m_host->tlsPort()).arg(pathAndQuery));
}

SseClient *TestHttps::openTlsStream(const QByteArray &pathAndQuery, const QList<QByteArray> &headers)
{
    auto *client = new SseClient;
    m_streams.append(client);
    client->openEncrypted(m_host->tlsPort(), pathAndQuery, headers);
    return client;
}

void TestHttps::tls12And13AreTakenAndOlderRefused_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("protocol"); // empty: refused
    QTest::newRow("TLS 1.0") << TLS1_VERSION << QString();
    QTest::newRow("TLS 1.1") << TLS1_1_VERSION << QString();
    QTest::newRow("TLS 1.2") << TLS1_2_VERSION << u"TLSv1.2"_s;
    QTest::newRow("TLS 1.3") << TLS1_3_VERSION << u"TLSv1.3"_s;
}

void TestHttps::tls12And13AreTakenAndOlderRefused()
{
    QFETCH(int, version);
    QFETCH(QString, protocol);
    QVERIFY(startService());
    RawTlsClient::Options options;
    options.minVersion = options.maxVersion = version;
    RawTlsClient client(m_host->tlsPort(), options);
    if (protocol.isEmpty()) {
        QVERIFY(!client.isConnected());
        // The server said no, with TLS's alert for a version it does not take.
        QCOMPARE(client.errorReason(), SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
        return;
    }
    QVERIFY(client.isConnected());
    QCOMPARE(client.protocol(), protocol);
    QVERIFY(client.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
    const QByteArray answer = client.readToEnd();
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
}

void TestHttps::alpnChoosesHttp11()
{
    QVERIFY(startService());
    RawTlsClient::Options browserLike; // what a browser offers: HTTP/2 first
    browserLike.alpn = QByteArray("\x02h2\x08http/1.1", 12);
    RawTlsClient browser(m_host->tlsPort(), browserLike);
    QVERIFY(browser.isConnected());
    QCOMPARE(browser.alpn(), "http/1.1");

    RawTlsClient::Options onlyH2;
    onlyH2.alpn = QByteArray("\x02h2", 3);
    RawTlsClient other(m_host->tlsPort(), onlyH2);
    QVERIFY(other.isConnected()); // goes on without ALPN, as with a server that has none
    QVERIFY(other.alpn().isEmpty());
}

void TestHttps::aReturningClientResumesItsSession_data()
{
    QTest::addColumn<int>("version");
    QTest::newRow("TLS 1.2") << TLS1_2_VERSION;
    QTest::newRow("TLS 1.3") << TLS1_3_VERSION;
}

void TestHttps::aReturningClientResumesItsSession()
{
    QFETCH(int, version);
    QVERIFY(startService());
    RawTlsClient::Options options;
    options.minVersion = options.maxVersion = version;
    SSL_SESSION *session = nullptr;
    {
        RawTlsClient first(m_host->tlsPort(), options);
        QVERIFY(first.isConnected());
        QVERIFY(!first.isResumed());
        // TLS 1.3 sends its ticket after the handshake: it comes with the answer.
        QVERIFY(first.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        QVERIFY(first.readToEnd().startsWith("HTTP/1.1 200"));
        session = first.session();
    }
    QVERIFY(session);
    options.resume = session;
    RawTlsClient again(m_host->tlsPort(), options);
    SSL_SESSION_free(session);
    QVERIFY(again.isConnected());
    QVERIFY(again.isResumed());
}

void TestHttps::aStalledHandshakeIsClosedWhileOthersAreServed()
{
    ServiceConfig config;
    config.requestTimeoutSeconds = 1;
    QVERIFY(startService(config));
    // One says nothing at all; the other sends the start of a handshake and stops.
    const int silent = connectLoopback(m_host->tlsPort(), 8000);
    const int stalled = connectLoopback(m_host->tlsPort(), 8000);
    QVERIFY(silent >= 0 && stalled >= 0);
    const char partialHello[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01};
    QCOMPARE(::send(stalled, partialHello, sizeof partialHello, 0), ssize_t(sizeof partialHello));

    // Meanwhile others are served at once, over TLS and without.
    const HttpReply secure = httpRequest("GET", httpsUrl(u"/healthz"_s));
    QCOMPARE(secure.status, 200);
    SseClient *stream = openTlsStream();
    QVERIFY(stream->waitForHead());
    QCOMPARE(stream->status(), 200);
    char byte;
    QCOMPARE(::recv(silent, &byte, 1, MSG_DONTWAIT), ssize_t(-1)); // both still open
    QCOMPARE(::recv(stalled, &byte, 1, MSG_DONTWAIT), ssize_t(-1));

    // Past the request timeout both are gone, the stream is not.
    QVERIFY(serverClosed(silent));
    QVERIFY(serverClosed(stalled));
    ::close(silent);
    ::close(stalled);
    const HttpReply publish
        = httpRequest("POST", httpsUrl(u"/publish"_s), "still here", {{"Content-Type", "text/plain"}});
    QCOMPARE(publish.status, 200);
    QVERIFY(stream->waitForEvents(1));
    QCOMPARE(stream->dataOf(), QStringList{u"still here"_s});
}

void TestHttps::garbageAndPlainHttpOnTheTlsPortAreClosed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("plain HTTP") << QByteArray("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTest::newRow("a plain stream request") << QByteArray("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray garbage;
    for (int i = 0; i < 4096; ++i)
        garbage.append(char((i * 7919) % 251));
    QTest::newRow("garbage") << garbage;
    QTest::newRow("a TLS record header claiming too much") << QByteArray("\x16\x03\x01\xff\xff", 5);
}

void TestHttps::garbageAndPlainHttpOnTheTlsPortAreClosed()
{
    QFETCH(QByteArray, bytes);
    ServiceConfig config;
    config.requestTimeoutSeconds = 30; // what closes them is what they sent, not a timeout
    QVERIFY(startService(config));
    const int fd = connectLoopback(m_host->tlsPort(), 5000);
    QVERIFY(fd >= 0);
    ::send(fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
    QVERIFY(serverClosed(fd));
    ::close(fd);
    // Herald goes on serving.
    QCOMPARE(httpRequest("GET", httpsUrl(u"/healthz"_s)).status, 200);
}

void TestHttps::thousandTlsStreamsReceiveEveryPublishInOrder()
{
    QVERIFY(startService());
    constexpr int Streams = 1000;
    for (int i = 0; i < Streams; ++i)
        openTlsStream("/events?client=reader-" + QByteArray::number(i));
    for (SseClient *stream : std::as_const(m_streams)) {
        QVERIFY(stream->waitForHead(120'000));
        QCOMPARE(stream->status(), 200);
    }
    // Small events, and one larger than a TLS record, which goes in several. Published in one
    // write each on a fresh connection, given all the time they need: a publish is answered once
    // the streams have been offered the events before it, and a thousand of them read in this
    // process, under a sanitizer too.
    QStringList published;
    for (int i = 0; i < 5; ++i)
        published.append(u"event %1"_s.arg(i));
    published.append(QString(40 * 1024, u'x'));
    published.append(u"after the large one"_s);
    QList<quint64> ids;
    for (const QString &text : std::as_const(published)) {
        const HttpReply reply = postInOneWrite(m_host->port(), "/publish", "text/plain", text.toUtf8(), 300'000);
        QCOMPARE(reply.status, 200);
        ids.append(quint64(reply.json().object().value(u"id"_s).toDouble()));
    }
    for (SseClient *stream : std::as_const(m_streams)) {
        QVERIFY(stream->waitForEvents(int(published.size()), 300'000));
        QCOMPARE(stream->dataOf(), published);
        for (int i = 0; i < ids.size(); ++i)
            QCOMPARE(stream->events().at(i).lastEventId, QString::number(ids.at(i)));
    }
}

void TestHttps::aLargePublishAndPipelinedRequestsOverTls()
{
    QVERIFY(startService());
    SseClient *stream = openTlsStream();
    QVERIFY(stream->waitForHead());
    // Larger than what the plain port reads itself: over TLS the gate reads it whole too.
    const QByteArray large(600 * 1024, 'L');
    const HttpReply reply = httpRequest("POST", httpsUrl(u"/publish"_s), large, {{"Content-Type", "text/plain"}});
    QCOMPARE(reply.status, 200);
    QVERIFY(stream->waitForEvents(1, 15'000));
    QCOMPARE(stream->dataOf().first().toUtf8(), large);

    // Past --max-body: refused as soon as the head says so, over TLS as without.
    RawTlsClient tooLarge(m_host->tlsPort(), {});
    QVERIFY(tooLarge.isConnected());
    QVERIFY(tooLarge.write("POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                           "Content-Length: 1048577\r\n\r\n"
                           + QByteArray(1000, 'x')));
    const QByteArray refused = tooLarge.readToEnd();
    QVERIFY2(refused.startsWith("HTTP/1.1 413"), refused.constData());

    // Three requests in one write get three answers, in order.
    RawTlsClient client(m_host->tlsPort(), {});
    QVERIFY(client.isConnected());
    QVERIFY(client.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                         "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                         "Content-Length: 9\r\n\r\npipelined"
                         "GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
    const QByteArray answers = client.readToEnd();
    QCOMPARE(answers.count("HTTP/1.1 200"), 3);
    QVERIFY(answers.indexOf("ok") < answers.indexOf("\"delivered\""));
    QVERIFY(answers.indexOf("\"delivered\"") < answers.indexOf("\"uptimeSeconds\""));
    QVERIFY(stream->waitForEvents(2));
    QCOMPARE(stream->dataOf().last(), u"pipelined"_s);

    // A file may be larger than --max-body: once its head names it, the gate reads on.
    const QByteArray file(3 * 1024 * 1024 + 17, 'F');
    const HttpReply uploaded = httpRequest("PUT", httpsUrl(u"/files"_s), file, {{"Filename", "big.txt"}});
    QCOMPARE(uploaded.status, 200);
    const QUrl fileUrl(uploaded.json().object().value(u"attachment").toObject().value(u"url").toString());
    QCOMPARE(fileUrl.scheme(), u"https"_s);
    QCOMPARE(httpRequest("GET", httpsUrl(fileUrl.path())).body, file);

    // A client that asks before it sends a file (Expect: 100-continue) is told to go on.
    RawTlsClient asking(m_host->tlsPort(), {});
    QVERIFY(asking.isConnected());
    QVERIFY(asking.write("PUT /files HTTP/1.1\r\nHost: 127.0.0.1\r\nFilename: asked.txt\r\nExpect: 100-continue\r\n"
                         "Connection: close\r\nContent-Length: 5\r\n\r\n"));
    QCOMPARE(asking.readRecord(), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    QVERIFY(asking.write("asked"));
    const QByteArray told = asking.readToEnd();
    QVERIFY2(told.startsWith("HTTP/1.1 200") && told.contains("asked.txt"), told.constData());

    // A body in chunks, each in a record of its own, is published whole.
    RawTlsClient chunked(m_host->tlsPort(), {});
    QVERIFY(chunked.isConnected());
    QVERIFY(chunked.write("POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                          "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
    QVERIFY(chunked.write("7\r\nsent in\r\n"));
    QVERIFY(chunked.write("7\r\n chunks\r\n0\r\n\r\n"));
    QVERIFY2(chunked.readToEnd().startsWith("HTTP/1.1 200"), "a chunked publish over TLS");
    QTRY_VERIFY(stream->dataOf().contains(u"sent in chunks"_s));
}

void TestHttps::theTokenRulesHoldOverTls()
{
    ServiceConfig config;
    config.token = u"s3cret"_s;
    config.privateStreams = true;
    config.readToken = u"reader"_s;
    QVERIFY(startService(config));
    const Headers text = {{"Content-Type", "text/plain"}};
    QCOMPARE(httpRequest("POST", httpsUrl(u"/publish"_s), "no token", text).status, 401);
    QCOMPARE(httpRequest("POST", httpsUrl(u"/publish"_s), "reader", text + Headers{{"Authorization", "Bearer reader"}})
                 .status,
             403);
    SseClient *refused = openTlsStream("/events");
    QVERIFY(refused->waitForHead());
    QCOMPARE(refused->status(), 401);
    SseClient *reader = openTlsStream("/events?token=reader");
    QVERIFY(reader->waitForHead());
    QCOMPARE(reader->status(), 200);
    QCOMPARE(httpRequest("POST", httpsUrl(u"/publish"_s), "with the token",
                         text + Headers{{"Authorization", "Bearer s3cret"}})
                 .status,
             200);
    QVERIFY(reader->waitForEvents(1));
    QCOMPARE(reader->dataOf(), QStringList{u"with the token"_s});
}

void TestHttps::theClientListSaysWhichStreamsAreOnTls()
{
    QVERIFY(startService());
    SseClient *secure = openTlsStream("/events?client=secure");
    auto *plain = new SseClient;
    m_streams.append(plain);
    plain->open(m_host->port(), "/events?client=plain");
    QVERIFY(secure->waitForHead() && plain->waitForHead());
    const QJsonArray clients = httpRequest("GET", httpsUrl(u"/api/clients"_s)).json().array();
    QCOMPARE(clients.size(), 2);
    for (const QJsonValue &client : clients) {
        const QJsonObject row = client.toObject();
        if (row.value(u"id"_s) == u"secure"_s)
            QCOMPARE(row.value(u"tls"_s).toString(), u"TLSv1.3"_s);
        else
            QVERIFY(row.value(u"tls"_s).isNull());
    }
}

void TestHttps::streamsUseKernelTlsWhereTheKernelHasIt()
{
    QFile modules(u"/proc/sys/net/ipv4/tcp_available_ulp"_s);
    const QByteArray available = modules.open(QIODevice::ReadOnly) ? modules.readAll().trimmed() : QByteArray();
    QVERIFY(startService());
    SseClient *stream = openTlsStream("/events?client=kernel");
    QVERIFY(stream->waitForHead());
    const QJsonObject row = httpRequest("GET", httpsUrl(u"/api/clients"_s)).json().array().first().toObject();
    if (!TlsContext::isKernelTlsAvailable()) {
        QVERIFY(!row.value(u"kernelTls"_s).toBool()); // OpenSSL encrypts in user space, as the other tests see
        QSKIP(qPrintable(
            u"kernel TLS is not available on this machine (/proc/sys/net/ipv4/tcp_available_ulp "
            "lists only \"%1\"): streams are encrypted by OpenSSL in user space here, and this test "
            "checks the kernel's way only where the tls module is loaded"_s.arg(QString::fromLatin1(available))));
    }
    // AES-GCM, which the kernel has, is what TLS 1.3 agrees with OpenSSL's defaults.
    QVERIFY(row.value(u"kernelTls"_s).toBool());
    QStringList published;
    for (int i = 0; i < 20; ++i) {
        published.append(i == 10 ? QString(64 * 1024, u'k') : u"kernel %1"_s.arg(i));
        QCOMPARE(
            httpRequest("POST", httpsUrl(u"/publish"_s), published.last().toUtf8(), {{"Content-Type", "text/plain"}})
                .status,
            200);
    }
    QVERIFY(stream->waitForEvents(int(published.size()), 15'000));
    QCOMPARE(stream->dataOf(), published);
}

void TestHttps::tlsOnlyRedirectsEveryPlainRequest()
{
    ServiceConfig config;
    config.tlsOnly = true;
    QVERIFY(startService(config));
    const QByteArray expectedBase = "https://127.0.0.1:" + QByteArray::number(m_host->tlsPort());
    const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(m_host->port()) + "\r\n";

    const QByteArray stream = rawExchange(m_host->port(), "GET /events?topic=a%20b HTTP/1.1\r\n" + host + "\r\n");
    QVERIFY2(stream.startsWith("HTTP/1.1 308"), stream.constData());
    QVERIFY2(stream.contains("\r\nLocation: " + expectedBase + "/events?topic=a%20b\r\n"), stream.constData());

    // A publish on the plain port is redirected, not taken: its body never crossed in the clear
    // to be published.
    const QByteArray publish = rawExchange(m_host->port(),
                                           "POST /publish HTTP/1.1\r\n" + host
                                               + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
    QVERIFY2(publish.startsWith("HTTP/1.1 308"), publish.constData());
    QVERIFY2(publish.contains("\r\nLocation: " + expectedBase + "/publish\r\n"), publish.constData());
    const QJsonObject stats = httpRequest("GET", httpsUrl(u"/api/stats"_s)).json().object();
    QCOMPARE(stats.value(u"published"_s).toInt(-1), 0);

    // An IPv6 host keeps its brackets; its port is the HTTPS one.
    const QByteArray v6 = rawExchange(m_host->port(), "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
    QVERIFY2(v6.contains("\r\nLocation: https://[::1]:" + QByteArray::number(m_host->tlsPort()) + "/\r\n"),
             v6.constData());
    // And the HTTPS port serves as usual.
    QCOMPARE(httpRequest("GET", httpsUrl(u"/healthz"_s)).status, 200);
}

void TestHttps::badCertificateSettingsStopTheStart()
{
    const QString missing = m_dataDir->filePath(u"missing.key"_s);
    struct Case
    {
        QString certificate, key;
        bool tlsOnly;
        QString expected;
    } cases[] = {
        {m_issued.certificateFile, missing, false, missing},
        {m_issued.certificateFile, QString(), false, u"--tls-key"_s},
        {QString(), m_issued.keyFile, false, u"--tls-cert"_s},
        {QString(), QString(), true, u"--tls-only"_s},
    };
    for (const Case &each : cases) {
        ServiceConfig config;
        config.port = 0;
        config.tlsPort = 0;
        config.dataDirectory = m_dataDir->path();
        config.tlsCertificateFile = each.certificate;
        config.tlsKeyFile = each.key;
        config.tlsOnly = each.tlsOnly;
        ServiceHost host;
        QString error;
        QVERIFY(!host.start(config, &error));
        QVERIFY2(error.contains(each.expected), qPrintable(error));
    }
}

namespace {

/// The certificate a TLS client is served on \a port, trusting \a authorities only; null when
/// the handshake fails (an untrusted certificate among the reasons).
QSslCertificate servedCertificate(quint16 port, const QList<QSslCertificate> &authorities)
{
    QSslSocket socket;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(authorities);
    socket.setSslConfiguration(configuration);
    socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
    return socket.waitForEncrypted(10'000) ? socket.peerCertificate() : QSslCertificate();
}

} // namespace

void TestHttps::autoMakesACertificateTrustedThroughHeraldsAuthority()
{
    ServiceConfig config;
    config.tlsCertificateFile = u"auto"_s;
    config.tlsOnly = true;
    QVERIFY(startService(config));
    // The authority is served on the plain port even with --tls-only: a device fetches it before
    // it trusts HTTPS.
    const HttpReply authority = httpRequest("GET", QUrl(u"http://127.0.0.1:%1/herald-ca.crt"_s.arg(m_host->port())));
    QCOMPARE(authority.status, 200);
    QCOMPARE(authority.header("Content-Type"), "application/x-x509-ca-cert");
    const QList<QSslCertificate> authorities = QSslCertificate::fromData(authority.body);
    QCOMPARE(authorities.size(), 1);
    QCOMPARE(QString::fromLatin1(authorities.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper()),
             m_host->authorityFingerprint());

    // A client trusting only that authority takes the certificate Herald serves for 127.0.0.1.
    const QSslCertificate served = servedCertificate(m_host->tlsPort(), authorities);
    QVERIFY(!served.isNull());
    QCOMPARE(QString::fromLatin1(served.digest(QCryptographicHash::Sha256).toHex(':').toUpper()),
             m_host->tlsFingerprint());
    QVERIFY(served.subjectAlternativeNames().values(QSsl::IpAddressEntry).contains(u"127.0.0.1"_s));
    // A client trusting something else does not.
    QVERIFY(servedCertificate(m_host->tlsPort(), QSslCertificate::fromPath(m_certificates->authorityFile())).isNull());

    // Herald keeps its authority and its certificate across a restart.
    const QString authorityFingerprint = m_host->authorityFingerprint();
    const QString fingerprint = m_host->tlsFingerprint();
    m_host.reset();
    QVERIFY(startService(config));
    QCOMPARE(m_host->authorityFingerprint(), authorityFingerprint);
    QCOMPARE(m_host->tlsFingerprint(), fingerprint);
    // Without --tls-cert auto there is no authority to fetch.
    m_host.reset();
    QVERIFY(startService());
    QCOMPARE(httpRequest("GET", httpsUrl(u"/herald-ca.crt"_s)).status, 404);
}

void TestHttps::aReloadTakesNewFilesWithStreamsOpen()
{
    // The operator's files, in a place of their own that the test replaces.
    const QString certificateFile = m_dataDir->filePath(u"cert.pem"_s);
    const QString keyFile = m_dataDir->filePath(u"key.pem"_s);
    const auto install = [&](const TestCertificates::Issued &issued) {
        QFile::remove(certificateFile);
        QFile::remove(keyFile);
        return QFile::copy(issued.certificateFile, certificateFile) && QFile::copy(issued.keyFile, keyFile);
    };
    const TestCertificates::Issued first = m_certificates->issue();
    const TestCertificates::Issued second = m_certificates->issue();
    QVERIFY(install(first));
    ServiceConfig config;
    config.tlsCertificateFile = certificateFile;
    config.tlsKeyFile = keyFile;
    QVERIFY(startService(config));
    const QList<QSslCertificate> trusted = QSslCertificate::fromPath(m_certificates->authorityFile());
    const QSslCertificate before = servedCertificate(m_host->tlsPort(), trusted);
    QCOMPARE(before, QSslCertificate::fromPath(first.certificateFile).value(0));
    SseClient *stream = openTlsStream();
    QVERIFY(stream->waitForHead());

    QVERIFY(install(second));
    m_host->reloadCertificate();
    const QSslCertificate renewed = QSslCertificate::fromPath(second.certificateFile).value(0);
    QTRY_COMPARE(servedCertificate(m_host->tlsPort(), trusted), renewed);
    // The stream opened before goes on.
    QCOMPARE(httpRequest("POST", httpsUrl(u"/publish"_s), "after the reload", {{"Content-Type", "text/plain"}}).status,
             200);
    QVERIFY(stream->waitForEvents(1));
    QCOMPARE(stream->dataOf(), QStringList{u"after the reload"_s});

    // A key that does not match: the certificate in use stays, and Herald says why.
    QSignalSpy warnings(m_host.get(), &ServiceHost::warningRaised);
    QFile::remove(keyFile);
    QVERIFY(QFile::copy(first.keyFile, keyFile));
    m_host->reloadCertificate();
    QTRY_COMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().first().toString().contains(keyFile), qPrintable(warnings.first().first().toString()));
    QCOMPARE(servedCertificate(m_host->tlsPort(), trusted), renewed);
    QVERIFY(!stream->isClosed());
}

QTEST_GUILESS_MAIN(TestHttps)
#include "tst_https.moc"
