#include "requesthead.h"

#include <QTest>

using Result = RequestHeadParser::Result;

/// The request-head reader that guards Herald's port: what it accepts, and what it refuses with
/// which status, before any handler sees the request.
class tst_RequestHead : public QObject
{
    Q_OBJECT

private slots:
    void readsAWholeHead();
    void waitsForTheRest_data();
    void waitsForTheRest();
    void refusesWhatHttpForbids_data();
    void refusesWhatHttpForbids();
    void enforcesTheSizeLimits();
    void keepAliveFollowsTheVersion();
    void onlyAnHttp11BodyWaitsForLeaveToCome_data();
    void onlyAnHttp11BodyWaitsForLeaveToCome();
    void takesTheAbsoluteForm_data();
    void takesTheAbsoluteForm();
};

void tst_RequestHead::readsAWholeHead()
{
    const QByteArray bytes = "POST /publish?topic=news HTTP/1.1\r\n"
                             "Host: 192.168.1.20:8080\r\n"
                             "content-length: 5\r\n"
                             "X-Empty:\r\n"
                             "Authorization:   Bearer abc  \r\n"
                             "\r\n"
                             "hello";
    RequestHead head;
    QString reason;
    QCOMPARE(RequestHeadParser::parse(bytes, &head, &reason), Result::Complete);
    QCOMPARE(head.method, QByteArray("POST"));
    QCOMPARE(head.target, QByteArray("/publish?topic=news"));
    QCOMPARE(head.path(), QByteArray("/publish"));
    QCOMPARE(head.minorVersion, 1);
    QCOMPARE(head.contentLength, 5);
    QCOMPARE(head.size, bytes.indexOf("hello")); // the body is not part of the head
    QCOMPARE(head.value("HOST"), QByteArray("192.168.1.20:8080"));
    QCOMPARE(head.value("authorization"), QByteArray("Bearer abc"));
    QCOMPARE(head.value("X-Empty"), QByteArray());
    QCOMPARE(head.value("Missing"), QByteArray());

    // Bare LF line ends, as some hand-written clients send them.
    QCOMPARE(RequestHeadParser::parse("GET /events HTTP/1.0\nAccept: */*\n\n", &head, &reason), Result::Complete);
    QCOMPARE(head.minorVersion, 0);
    QCOMPARE(head.value("Accept"), QByteArray("*/*"));
}

void tst_RequestHead::waitsForTheRest_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("half a request line") << QByteArray("GET /ev");
    QTest::newRow("no blank line yet") << QByteArray("GET /events HTTP/1.1\r\nHost: x\r\n");
    QTest::newRow("half a header") << QByteArray("GET /events HTTP/1.1\r\nHo");
    QTest::newRow("a lone CR after the headers") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r");
}

void tst_RequestHead::waitsForTheRest()
{
    QFETCH(QByteArray, bytes);
    RequestHead head;
    QString reason;
    QCOMPARE(RequestHeadParser::parse(bytes, &head, &reason), Result::Incomplete);
}

void tst_RequestHead::refusesWhatHttpForbids_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::newRow("binary junk") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n", 12) << 400;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("absolute target of another scheme") << QByteArray("GET ftp://evil/ HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("absolute target without a host") << QByteArray("GET http:///events HTTP/1.1\r\n\r\n") << 400;
    QByteArray hundredHeaders = "GET http://h/ HTTP/1.1\r\n";
    for (int i = 0; i < 100; ++i)
        hundredHeaders += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("absolute target whose host makes 101 headers") << hundredHeaders + "\r\n" << 431;
    QTest::newRow("absolute target with user info") << QByteArray("GET http://me@evil/ HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("space in target") << QByteArray("GET /a b HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("HTTP/2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
    QTest::newRow("control character in value") << QByteArray("GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n") << 400;
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
    QTest::newRow("two lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
                                 << 400;
    QTest::newRow("length and chunked") << QByteArray(
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                        << 400;
    QTest::newRow("unknown coding") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 400;
    // Chunked twice, in one header or two, is forbidden (RFC 9112, 6.1); HTTP/1.0 has no codings.
    QTest::newRow("chunked, chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n")
                                      << 400;
    QTest::newRow("chunked in two headers")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
    QTest::newRow("chunked in HTTP/1.0") << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
}

void tst_RequestHead::refusesWhatHttpForbids()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    RequestHead head;
    QString reason;
    const Result result = RequestHeadParser::parse(bytes, &head, &reason);
    QCOMPARE(RequestHeadParser::statusOf(result), status);
    QVERIFY2(!reason.isEmpty(), "every refusal says why");
}

void tst_RequestHead::enforcesTheSizeLimits()
{
    RequestHead head;
    QString reason;

    // A request line of exactly the limit is fine; one byte more is 414, even before it ends.
    const QByteArray prefix = "GET /";
    const QByteArray suffix = " HTTP/1.1";
    const QByteArray longest
        = prefix + QByteArray(RequestHeadParser::MaxRequestLine - prefix.size() - suffix.size(), 'a') + suffix;
    QCOMPARE(RequestHeadParser::parse(longest + "\r\n\r\n", &head, &reason), Result::Complete);
    QCOMPARE(RequestHeadParser::parse(prefix + QByteArray(RequestHeadParser::MaxRequestLine, 'a'), &head, &reason),
             Result::UriTooLong);
    QCOMPARE(RequestHeadParser::statusOf(Result::UriTooLong), 414);

    // One header line past the limit is 431, also while it is still arriving.
    const QByteArray line = "GET / HTTP/1.1\r\n";
    const QByteArray bigHeader = "X-Big: " + QByteArray(RequestHeadParser::MaxHeaderLine, 'b');
    QCOMPARE(RequestHeadParser::parse(line + bigHeader + "\r\n\r\n", &head, &reason), Result::HeadersTooLarge);
    QCOMPARE(RequestHeadParser::parse(line + bigHeader, &head, &reason), Result::HeadersTooLarge);
    QCOMPARE(RequestHeadParser::statusOf(Result::HeadersTooLarge), 431);

    // 100 headers are fine, 101 are not.
    QByteArray hundred = line;
    for (int i = 0; i < RequestHeadParser::MaxHeaders; ++i)
        hundred += "X-" + QByteArray::number(i) + ": v\r\n";
    QCOMPARE(RequestHeadParser::parse(hundred + "\r\n", &head, &reason), Result::Complete);
    QCOMPARE(head.headers.size(), RequestHeadParser::MaxHeaders);
    QCOMPARE(RequestHeadParser::parse(hundred + "X-One-More: v\r\n\r\n", &head, &reason), Result::HeadersTooLarge);

    // Many headers under the line limit still may not make a head past the total limit.
    QByteArray huge = line;
    for (int i = 0; i < 20; ++i)
        huge += "X-" + QByteArray::number(i) + ": " + QByteArray(RequestHeadParser::MaxHeaderLine - 10, 'c') + "\r\n";
    QCOMPARE(RequestHeadParser::parse(huge, &head, &reason), Result::HeadersTooLarge);
}

void tst_RequestHead::keepAliveFollowsTheVersion()
{
    RequestHead head;
    QString reason;
    QVERIFY(RequestHeadParser::parse("GET / HTTP/1.1\r\n\r\n", &head, &reason) == Result::Complete);
    QVERIFY(head.keepAlive());
    QVERIFY(RequestHeadParser::parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &head, &reason)
            == Result::Complete);
    QVERIFY(!head.keepAlive());
    QVERIFY(RequestHeadParser::parse("GET / HTTP/1.0\r\n\r\n", &head, &reason) == Result::Complete);
    QVERIFY(!head.keepAlive());
    QVERIFY(RequestHeadParser::parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &head, &reason)
            == Result::Complete);
    QVERIFY(head.keepAlive());
}

void tst_RequestHead::onlyAnHttp11BodyWaitsForLeaveToCome_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("expectsContinue");
    QTest::newRow("curl's upload") << QByteArray("PUT /t HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                                   << true;
    QTest::newRow("any case") << QByteArray("PUT /t HTTP/1.1\r\nexpect: 100-Continue\r\nContent-Length: 5\r\n\r\n")
                              << true;
    // RFC 9110 10.1.1: an HTTP/1.0 client cannot be told 100 Continue.
    QTest::newRow("HTTP/1.0") << QByteArray("PUT /t HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                              << false;
    QTest::newRow("a body in chunks") << QByteArray(
        "PUT /t HTTP/1.1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
                                      << true;
    QTest::newRow("no body") << QByteArray("GET /t HTTP/1.1\r\nExpect: 100-continue\r\n\r\n") << false;
    QTest::newRow("no Expect") << QByteArray("PUT /t HTTP/1.1\r\nContent-Length: 5\r\n\r\n") << false;
    QTest::newRow("another expectation") << QByteArray("PUT /t HTTP/1.1\r\nExpect: 200-ok\r\nContent-Length: 5\r\n\r\n")
                                         << false;
}

void tst_RequestHead::onlyAnHttp11BodyWaitsForLeaveToCome()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, expectsContinue);
    RequestHead head;
    QString reason;
    QVERIFY(RequestHeadParser::parse(bytes, &head, &reason) == Result::Complete);
    QCOMPARE(head.expectsContinue(), expectsContinue);
}

void tst_RequestHead::takesTheAbsoluteForm_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("host");
    // RFC 9112 3.2.2: the target's authority stands for the Host header, whatever that says.
    QTest::newRow("with a Host header") << QByteArray("GET http://192.168.1.20:8080/events?topic=a HTTP/1.1\r\n"
                                                      "Host: evil.example\r\n\r\n")
                                        << QByteArray("/events?topic=a") << QByteArray("192.168.1.20:8080");
    QTest::newRow("without one") << QByteArray(
        "POST HTTPS://herald.local/publish HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
                                 << QByteArray("/publish") << QByteArray("herald.local");
    QTest::newRow("no path") << QByteArray("GET http://h HTTP/1.1\r\n\r\n") << QByteArray("/") << QByteArray("h");
    QTest::newRow("a query and no path") << QByteArray("GET http://h?x=1 HTTP/1.1\r\n\r\n") << QByteArray("/?x=1")
                                         << QByteArray("h");
}

void tst_RequestHead::takesTheAbsoluteForm()
{
    QFETCH(QByteArray, bytes);
    RequestHead head;
    QString reason;
    QCOMPARE(RequestHeadParser::parse(bytes, &head, &reason), Result::Complete);
    QTEST(head.target, "target");
    QTEST(head.value("Host"), "host");
    int hosts = 0;
    for (const auto &[name, value] : std::as_const(head.headers))
        hosts += name.compare("Host", Qt::CaseInsensitive) == 0 ? 1 : 0;
    QCOMPARE(hosts, 1);
}

QTEST_APPLESS_MAIN(tst_RequestHead)
#include "tst_requesthead.moc"
