#include "apirequest.h"
#include "requestgate.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTcpSocket>
#include <QTest>

#include <netinet/in.h>

#include <optional>

/// HttpApi reads a request the same whether QHttpServer or the request gate brought it: the same
/// bytes on the wire give the same query, header values, body and peer.
class tst_ApiRequest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void bothTransportsReadTheSame_data();
    void bothTransportsReadTheSame();
    void severalHeadersOfOneNameAreJoined();

private:
    /// The request \a raw, as QHttpServer hands it over.
    std::optional<ApiRequest> throughQHttpServer(const QByteArray &raw);
    /// The same, as the request gate reads it whole.
    static ApiRequest throughTheGate(const QByteArray &raw);

    QHttpServer m_server;
    quint16 m_port = 0;
    std::optional<ApiRequest> m_received;
};

void tst_ApiRequest::initTestCase()
{
    m_server.route(u"/publish"_qs, [this](const QHttpServerRequest &request) {
        m_received = ApiRequest::of(request);
        return QHttpServerResponse(QHttpServerResponse::StatusCode::NoContent);
    });
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(m_port != 0);
}

std::optional<ApiRequest> tst_ApiRequest::throughQHttpServer(const QByteArray &raw)
{
    m_received.reset();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket.waitForConnected(5000))
        return std::nullopt;
    socket.write(raw);
    if (!QTest::qWaitFor([this] { return m_received.has_value(); }, 5000))
        return std::nullopt;
    return m_received;
}

ApiRequest tst_ApiRequest::throughTheGate(const QByteArray &raw)
{
    GatedRequest gated;
    QString reason;
    if (RequestHeadParser::parse(raw, &gated.head, &reason) != RequestHeadParser::Result::Complete)
        return {};
    gated.body = raw.mid(gated.head.size, gated.head.contentLength);
    auto *peer = reinterpret_cast<sockaddr_in *>(gated.peer.address());
    peer->sin_family = AF_INET;
    peer->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ApiRequest::of(gated);
}

void tst_ApiRequest::bothTransportsReadTheSame_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("plain") << QByteArray("/publish?topic=news&event=alert")
                           << QByteArray("Content-Type: text/plain\r\n") << QByteArray("hello");
    QTest::newRow("no query") << QByteArray("/publish") << QByteArray() << QByteArray("x");
    QTest::newRow("empty query") << QByteArray("/publish?") << QByteArray() << QByteArray("x");
    QTest::newRow("percent and plus") << QByteArray("/publish?topic=a%2Bb+c&to=%41%20z&event=%e4%b8%ad") << QByteArray()
                                      << QByteArray("x");
    QTest::newRow("odd encodings") << QByteArray("/publish?topic=%zz&x=%&y==&&z") << QByteArray() << QByteArray("x");
    // (The gate refuses a target with raw bytes past ASCII, whichever way it would go.)
    QTest::newRow("reserved characters") << QByteArray("/publish?topic=%C3%A9&a=[b]&c=d/e?f&g='h'") << QByteArray()
                                         << QByteArray("x");
    QTest::newRow("token in the query") << QByteArray("/publish?token=s3cret&msg=hi%21") << QByteArray()
                                        << QByteArray();
    QTest::newRow("header names in any case") << QByteArray("/publish")
                                              << QByteArray("content-TYPE: application/json; charset=UTF-8\r\n"
                                                            "AUTHORIZATION: Bearer t\r\norigin: http://x\r\n")
                                              << QByteArray(R"({"data":"x"})");
    QTest::newRow("forwarding headers") << QByteArray("/publish")
                                        << QByteArray(
                                               "X-Forwarded-For: 203.0.113.9, 10.0.0.1\r\n"
                                               "X-Forwarded-Host: news.example.org\r\nX-Forwarded-Proto: https\r\n")
                                        << QByteArray("x");
    QTest::newRow("a body of binary") << QByteArray("/publish") << QByteArray("Content-Type: text/plain\r\n")
                                      << QByteArray("\x00\xff\r\n\r\nPOST / HTTP/1.1\r\n", 20);
}

void tst_ApiRequest::bothTransportsReadTheSame()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    const QByteArray raw = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nCookie: herald_publisher=abc\r\n"
        + headers + "Idempotency-Key:  key-1  \r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
        + body;

    const std::optional<ApiRequest> qt = throughQHttpServer(raw);
    QVERIFY(qt);
    const ApiRequest gate = throughTheGate(raw);
    QCOMPARE(gate.query, qt->query);
    QCOMPARE(gate.body, qt->body);
    QCOMPARE(gate.body, body);
    QCOMPARE(gate.peer, qt->peer);
    for (const char *name : {"Host", "Cookie", "Content-Type", "Authorization", "Origin", "Idempotency-Key",
                             "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Content-Length", "Absent"}) {
        QCOMPARE(gate.value(name), qt->value(name));
        QCOMPARE(qt->value(name), m_received->value(name)); // what QHttpServerRequest::value() says
    }
}

void tst_ApiRequest::severalHeadersOfOneNameAreJoined()
{
    const QByteArray raw
        = "POST /publish HTTP/1.1\r\nHost: evil.example\r\nhost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    const std::optional<ApiRequest> qt = throughQHttpServer(raw);
    QVERIFY(qt);
    // As QHttpServerRequest::value() gives them, so that the Host check sees both in either way.
    QCOMPARE(qt->value("Host"), QByteArray("evil.example, 127.0.0.1"));
    QCOMPARE(throughTheGate(raw).value("Host"), QByteArray("evil.example, 127.0.0.1"));
}

QTEST_GUILESS_MAIN(tst_ApiRequest)
#include "tst_apirequest.moc"
