#include "httpanswer.h"
#include "requestgate.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <optional>

Q_DECLARE_METATYPE(HttpAnswer)

namespace {

using Status = HttpAnswer::Status;

HttpAnswer withHeaders(HttpAnswer answer, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    for (const auto &[name, value] : headers)
        answer.setHeader(name, value);
    return answer;
}

} // namespace

/// An answer of the API is the same on the wire whichever transport writes it: the request gate
/// sends toBytes(), and these must be the very bytes QHttpServer writes for toResponse().
class tst_HttpAnswer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void theGateSendsWhatQHttpServerWrites_data();
    void theGateSendsWhatQHttpServerWrites();
    void aHeaderSetAgainIsReplaced();
    void theAnswerToAHeadIsTheHeadAlone_data();
    void theAnswerToAHeadIsTheHeadAlone();
    void theGatesRefusalsAreHttpAnswers();
    void aStreamsHeadHasNoLength();

private:
    /// What QHttpServer writes for \a answer, read off a real socket.
    QByteArray writtenByQHttpServer(const HttpAnswer &answer);

    QHttpServer m_server;
    quint16 m_port = 0;
    std::optional<HttpAnswer> m_answer;
};

void tst_HttpAnswer::initTestCase()
{
    m_server.route(u"/answer"_qs, [this] { return m_answer->toResponse(); });
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(m_port != 0);
}

QByteArray tst_HttpAnswer::writtenByQHttpServer(const HttpAnswer &answer)
{
    m_answer = answer;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET /answer HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray received;
    // The whole response: its head, and as many bytes of body as it announces.
    const bool whole = QTest::qWaitFor(
        [&] {
            received += socket.readAll();
            const qsizetype headEnd = received.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return false;
            const qsizetype lengthAt = received.indexOf("Content-Length: ");
            const qsizetype length
                = received.mid(lengthAt + 16, received.indexOf("\r\n", lengthAt) - lengthAt - 16).toLongLong();
            return received.size() >= headEnd + 4 + length;
        },
        5000);
    return whole ? received : QByteArray();
}

void tst_HttpAnswer::theGateSendsWhatQHttpServerWrites_data()
{
    QTest::addColumn<HttpAnswer>("answer");
    // Every kind of answer HttpApi gives a publish or /say, and a few others.
    QTest::newRow("publish accepted") << HttpAnswer::json(R"({"delivered":3,"id":42})");
    QTest::newRow("json object") << HttpAnswer(QJsonObject{{u"message"_qs, u"hello 1"_qs}});
    QTest::newRow("json array") << HttpAnswer(QJsonArray{1, u"two"_qs});
    QTest::newRow("400") << HttpAnswer::error(Status::BadRequest, u"no data: an event needs some text"_qs);
    QTest::newRow("401 with WWW-Authenticate")
        << withHeaders(HttpAnswer::error(Status::Unauthorized, u"send the token"_qs),
                       {{"WWW-Authenticate", "Bearer realm=\"Herald\""}});
    QTest::newRow("403") << HttpAnswer::error(Status::Forbidden, u"pages from http://evil.example may not publish"_qs);
    QTest::newRow("404") << HttpAnswer::error(Status::NotFound, u"no such endpoint: /x"_qs);
    QTest::newRow("405 with Allow") << withHeaders(HttpAnswer::error(Status::MethodNotAllowed, u"use POST here"_qs),
                                                   {{"Allow", "POST"}});
    QTest::newRow("413") << HttpAnswer::error(Status::PayloadTooLarge, u"the body is larger than the limit"_qs);
    QTest::newRow("415") << HttpAnswer::error(Status::UnsupportedMediaType, u"send the body as text/plain"_qs);
    QTest::newRow("500") << HttpAnswer::error(Status::InternalServerError, u"the page is missing"_qs);
    QTest::newRow("503 with Retry-After") << withHeaders(
        HttpAnswer::error(Status::ServiceUnavailable, u"Herald is shutting down"_qs), {{"Retry-After", "5"}});
    QTest::newRow("shutting down") << HttpAnswer::shuttingDown();
    QTest::newRow("try again in 10 s") << HttpAnswer::tryAgainLater(u"full"_qs, 10);
    // The request gate's own refusals, with the header that closes their connection.
    for (const Status status :
         {Status::BadRequest, Status::RequestTimeout, Status::LengthRequired, Status::PayloadTooLarge,
          Status::UriTooLong, Status::RequestHeaderFieldsTooLarge, Status::HttpVersionNotSupported}) {
        QTest::addRow("the gate's %d", int(status))
            << withHeaders(HttpAnswer::error(status, u"refused by the gate"_qs), {{"Connection", "close"}});
    }
    QTest::newRow("204") << HttpAnswer(Status::NoContent);
    QTest::newRow("204 with four headers")
        << withHeaders(HttpAnswer(Status::NoContent),
                       {{"Access-Control-Allow-Origin", "*"},
                        {"Access-Control-Allow-Methods", "GET, OPTIONS"},
                        {"Access-Control-Allow-Headers", "Last-Event-ID, Cache-Control"},
                        {"Access-Control-Max-Age", "86400"}});
    QTest::newRow("303 with three headers") << withHeaders(
        HttpAnswer(Status::SeeOther),
        {{"Location", "/"}, {"Set-Cookie", "herald_publisher=x; HttpOnly"}, {"Cache-Control", "no-store"}});
    QTest::newRow("text") << HttpAnswer("text/plain; charset=utf-8", "ok");
    QTest::newRow("non-ASCII error") << HttpAnswer::error(Status::BadRequest, u"topic \u00e9\u4e2d \"quoted\"\n"_qs);
}

void tst_HttpAnswer::theGateSendsWhatQHttpServerWrites()
{
    QFETCH(HttpAnswer, answer);
    const QByteArray written = writtenByQHttpServer(answer);
    QVERIFY(written.startsWith("HTTP/1.1 "));
    QCOMPARE(answer.toBytes(), written);
}

void tst_HttpAnswer::aHeaderSetAgainIsReplaced()
{
    HttpAnswer answer(Status::NoContent);
    answer.setHeader("Retry-After", "5");
    answer.setHeader("Retry-After", "10");
    QCOMPARE(answer.header("retry-after"), QByteArray("10"));
    QCOMPARE(answer.toBytes().count("Retry-After"), 1);
    QCOMPARE(answer.toBytes(), writtenByQHttpServer(answer));
}

void tst_HttpAnswer::theAnswerToAHeadIsTheHeadAlone_data()
{
    theGateSendsWhatQHttpServerWrites_data();
}

void tst_HttpAnswer::theAnswerToAHeadIsTheHeadAlone()
{
    QFETCH(HttpAnswer, answer);
    // What QHttpServer writes, up to the blank line, with the length of the body it leaves out.
    const QByteArray whole = writtenByQHttpServer(answer);
    const QByteArray head = whole.left(whole.indexOf("\r\n\r\n") + 4);
    QCOMPARE(answer.headBytes(), head);
    QCOMPARE(answer.withoutBody().toBytes(), head);
    QCOMPARE(answer.withoutBody().headBytes(), head);
    QCOMPARE(answer.toBytes(), head + answer.body());
}

void tst_HttpAnswer::theGatesRefusalsAreHttpAnswers()
{
    // What the request gate sends itself is the one answer, with the same words and headers.
    HttpAnswer expected = HttpAnswer::error(Status::PayloadTooLarge, u"too large"_qs);
    expected.setHeader("Connection", "close");
    QCOMPARE(RequestGate::refusal(413, u"too large"_qs), expected.toBytes());
    QCOMPARE(RequestGate::refusal(413, u"too large"_qs), writtenByQHttpServer(expected));
    HttpAnswer stopping = HttpAnswer::shuttingDown();
    QCOMPARE(stopping.status(), Status::ServiceUnavailable);
    QCOMPARE(stopping.header("Retry-After"), QByteArray::number(HttpAnswer::RetryAfterSeconds));
    stopping.setHeader("Connection", "close");
    QCOMPARE(RequestGate::closing(HttpAnswer::shuttingDown()), stopping.toBytes());
}

void tst_HttpAnswer::aStreamsHeadHasNoLength()
{
    HttpAnswer head = HttpAnswer::openEnded("text/event-stream; charset=utf-8");
    head.setHeader("Cache-Control", "no-cache");
    const QByteArray bytes = head.headBytes();
    QVERIFY(bytes.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(bytes.endsWith("\r\n\r\n"));
    QVERIFY(bytes.contains("Content-Type: text/event-stream; charset=utf-8\r\n"));
    QVERIFY(bytes.contains("Cache-Control: no-cache\r\n"));
    QVERIFY(!bytes.contains("Content-Length"));
}

QTEST_GUILESS_MAIN(tst_HttpAnswer)
#include "tst_httpanswer.moc"
