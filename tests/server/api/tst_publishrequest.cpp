#include "publishdecoding.h"
#include "requestfields.h"

#include <QTest>

class tst_PublishRequest : public QObject
{
    Q_OBJECT

private slots:
    void decodes_data();
    void decodes();
    void refuses_data();
    void refuses();
    void formQueryDecodesPlusAsSpace();
};

void tst_PublishRequest::decodes_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<QString>("target");

    QTest::newRow("text") << QByteArray("text/plain") << QByteArray("hello") << QString() << u"hello"_qs << QString()
                          << QString() << QString();
    QTest::newRow("text with charset and query fields")
        << QByteArray("text/plain; charset=UTF-8") << QByteArray("multi\nline") << u"event=alert&topic=news&to=b-1"_qs
        << u"multi\nline"_qs << u"alert"_qs << u"news"_qs << u"b-1"_qs;
    QTest::newRow("no content type is text")
        << QByteArray() << QByteArray("x") << QString() << u"x"_qs << QString() << QString() << QString();
    QTest::newRow("utf-8 text") << QByteArray("text/plain") << QByteArray("caf\xc3\xa9") << QString() << u"café"_qs
                                << QString() << QString() << QString();
    QTest::newRow("json string") << QByteArray("application/json")
                                 << QByteArray(R"({"data":"hi","event":"greet","topic":"t","to":"c"})") << QString()
                                 << u"hi"_qs << u"greet"_qs << u"t"_qs << u"c"_qs;
    QTest::newRow("json object data is sent compact")
        << QByteArray("application/json") << QByteArray(R"({"data": {"a": [1, 2], "b": "x"}})") << QString()
        << uR"({"a":[1,2],"b":"x"})"_qs << QString() << QString() << QString();
    QTest::newRow("json number data") << QByteArray("application/json") << QByteArray(R"({"data": 42})") << QString()
                                      << u"42"_qs << QString() << QString() << QString();
    // A number is sent as written: as a double it would lose digits, and the sign of -0.
    QTest::newRow("json long number data")
        << QByteArray("application/json") << QByteArray(R"({"data": 123456789012345678901234567890})") << QString()
        << u"123456789012345678901234567890"_qs << QString() << QString() << QString();
    QTest::newRow("json negative zero data")
        << QByteArray("application/json") << QByteArray(R"({ "data" :-0 , "topic":"t"})") << QString() << u"-0"_qs
        << QString() << u"t"_qs << QString();
    QTest::newRow("json number data after others")
        << QByteArray("application/json")
        << QByteArray(R"({"x": {"data": 1, "y": "}\"data\":"}, "d\u0061ta": 1.50e+2})") << QString() << u"1.50e+2"_qs
        << QString() << QString() << QString();
    QTest::newRow("json true data") << QByteArray("application/json") << QByteArray(R"({"data": true})") << QString()
                                    << u"true"_qs << QString() << QString() << QString();
    QTest::newRow("json fields over query")
        << QByteArray("application/json") << QByteArray(R"({"data":"d","topic":"fromBody"})")
        << u"topic=fromQuery&event=e"_qs << u"d"_qs << u"e"_qs << u"fromBody"_qs << QString();
}

void tst_PublishRequest::decodes()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, query);

    const PublishDecoding decoding = decodePublishRequest(contentType, body, formQuery(query), 1024);
    QVERIFY2(decoding.isValid(), qPrintable(decoding.error));
    QTEST(QString::fromUtf8(decoding.request.data), "data");
    QTEST(decoding.request.type, "type");
    QTEST(decoding.request.topic, "topic");
    QTEST(decoding.request.target, "target");
}

void tst_PublishRequest::refuses_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("query");
    QTest::addColumn<PublishRefusal>("refusal");

    QTest::newRow("empty text") << QByteArray("text/plain") << QByteArray() << QString() << PublishRefusal::Malformed;
    QTest::newRow("form encoding") << QByteArray("application/x-www-form-urlencoded") << QByteArray("a=b") << QString()
                                   << PublishRefusal::UnsupportedMediaType;
    QTest::newRow("xml") << QByteArray("application/xml") << QByteArray("<a/>") << QString()
                         << PublishRefusal::UnsupportedMediaType;
    QTest::newRow("latin-1 charset") << QByteArray("text/plain; charset=iso-8859-1") << QByteArray("x") << QString()
                                     << PublishRefusal::UnsupportedMediaType;
    QTest::newRow("invalid utf-8") << QByteArray("text/plain") << QByteArray("\xff\xfe bad") << QString()
                                   << PublishRefusal::Malformed;
    QTest::newRow("too large") << QByteArray("text/plain") << QByteArray(1025, 'x') << QString()
                               << PublishRefusal::TooLarge;
    QTest::newRow("malformed json") << QByteArray("application/json") << QByteArray("{\"data\":") << QString()
                                    << PublishRefusal::Malformed;
    QTest::newRow("json array body") << QByteArray("application/json") << QByteArray("[1]") << QString()
                                     << PublishRefusal::Malformed;
    QTest::newRow("json without data") << QByteArray("application/json") << QByteArray(R"({"event":"x"})") << QString()
                                       << PublishRefusal::Malformed;
    QTest::newRow("json null data") << QByteArray("application/json") << QByteArray(R"({"data":null})") << QString()
                                    << PublishRefusal::Malformed;
    QTest::newRow("json empty data") << QByteArray("application/json") << QByteArray(R"({"data":""})") << QString()
                                     << PublishRefusal::Malformed;
    QTest::newRow("json non-string event") << QByteArray("application/json") << QByteArray(R"({"data":"x","event":5})")
                                           << QString() << PublishRefusal::Malformed;
    QTest::newRow("event with LF") << QByteArray("application/json") << QByteArray(R"({"data":"x","event":"a\nb"})")
                                   << QString() << PublishRefusal::Malformed;
    QTest::newRow("topic with CR") << QByteArray("text/plain") << QByteArray("x") << u"topic=a%0Db"_qs
                                   << PublishRefusal::Malformed;
    QTest::newRow("to with NUL") << QByteArray("text/plain") << QByteArray("x") << u"to=a%00b"_qs
                                 << PublishRefusal::Malformed;
    QTest::newRow("event with CRLF in query")
        << QByteArray("text/plain") << QByteArray("x") << u"event=a%0D%0Aid:%201"_qs << PublishRefusal::Malformed;
    QTest::newRow("reserved event type") << QByteArray("text/plain") << QByteArray("x") << u"event=herald-kicked"_qs
                                         << PublishRefusal::Malformed;
    QTest::newRow("topic with comma") << QByteArray("text/plain") << QByteArray("x") << u"topic=a,b"_qs
                                      << PublishRefusal::Malformed;
}

void tst_PublishRequest::refuses()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, query);

    const PublishDecoding decoding = decodePublishRequest(contentType, body, formQuery(query), 1024);
    QVERIFY(!decoding.isValid());
    QTEST(decoding.refusal, "refusal");
    QVERIFY(!decoding.error.isEmpty());
}

void tst_PublishRequest::formQueryDecodesPlusAsSpace()
{
    const QUrlQuery query = formQuery(u"msg=hello+world%2B1&x=%E4%BD%A0"_qs);
    QCOMPARE(formQueryValue(query, u"msg"_qs), u"hello world+1"_qs);
    QCOMPARE(formQueryValue(query, u"x"_qs), u"你"_qs);
}

QTEST_APPLESS_MAIN(tst_PublishRequest)
#include "tst_publishrequest.moc"
