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
    void takesTheMessageFields_data();
    void takesTheMessageFields();
    void refusesBadMessageFieldsNamingThem_data();
    void refusesBadMessageFieldsNamingThem();
};

namespace {

/// Headers written "Name: value" a line each, read as ApiRequest::value() reads them (any case).
HeaderLookup headersOf(const QString &lines)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QString &line : lines.split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(u':');
        headers.append({line.left(colon).toUtf8(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    return headersFrom(headers);
}

} // namespace

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
        << QByteArray("application/json") << QByteArray(R"({"tags": ["data", "}\"data\":"], "d\u0061ta": 1.50e+2})")
        << QString() << u"1.50e+2"_qs << QString() << QString() << QString();
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

void tst_PublishRequest::takesTheMessageFields_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("headers");
    QTest::addColumn<QString>("title");
    QTest::addColumn<int>("priority");
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QString>("click");
    QTest::addColumn<bool>("markdown");

    const QByteArray text("text/plain");
    const QByteArray json("application/json");
    QTest::newRow("none: a plain message")
        << text << QByteArray("x") << QString() << QString() << QString() << 3 << QStringList() << QString() << false;
    QTest::newRow("ntfy's headers")
        << text << QByteArray("Pizza is here") << QString()
        << u"Title: Lunch\nPriority: high\nTags: pizza, tada\nClick: https://example.com/menu\n"
           "Markdown: yes"_qs
        << u"Lunch"_qs << 4 << QStringList{u"pizza"_qs, u"tada"_qs} << u"https://example.com/menu"_qs << true;
    QTest::newRow("X- headers, any case")
        << text << QByteArray("x") << QString()
        << u"x-title: Für alle\nX-PRIORITY: 5\nx-tags: warning\nx-click: mailto:desk@example.com\nx-markdown: 1"_qs
        << u"Für alle"_qs << 5 << QStringList{u"warning"_qs} << u"mailto:desk@example.com"_qs << true;
    QTest::newRow("short headers") << text << QByteArray("x") << QString() << u"t: T\np: min\nta: a,b\nmd: true"_qs
                                   << u"T"_qs << 1 << QStringList{u"a"_qs, u"b"_qs} << QString() << true;
    QTest::newRow("query parameters") << text << QByteArray("x")
                                      << u"title=Doors+open&prio=urgent&tags=a&click=http%3A%2F%2Fh%2Fp&md=no"_qs
                                      << QString() << u"Doors open"_qs << 5 << QStringList{u"a"_qs} << u"http://h/p"_qs
                                      << false;
    QTest::newRow("short query parameters") << text << QByteArray("x") << u"t=A&p=2&ta=x"_qs << QString() << u"A"_qs
                                            << 2 << QStringList{u"x"_qs} << QString() << false;
    QTest::newRow("max is urgent") << text << QByteArray("x") << u"priority=MAX"_qs << QString() << QString() << 5
                                   << QStringList() << QString() << false;
    QTest::newRow("default is 3") << text << QByteArray("x") << u"priority=default"_qs << QString() << QString() << 3
                                  << QStringList() << QString() << false;
    QTest::newRow("text/markdown is Markdown")
        << QByteArray("text/markdown; charset=utf-8") << QByteArray("**x**") << QString() << QString() << QString() << 3
        << QStringList() << QString() << true;
    QTest::newRow("json members")
        << json
        << QByteArray(
               R"({"data":"d","title":"T","priority":4,"tags":["a","b"],"click":"https://x.example","markdown":true})")
        << QString() << QString() << u"T"_qs << 4 << QStringList{u"a"_qs, u"b"_qs} << u"https://x.example"_qs << true;
    QTest::newRow("json priority by name, tags as one string")
        << json << QByteArray(R"({"data":"d","priority":"low","tags":"a, b"})") << QString() << QString() << QString()
        << 2 << QStringList{u"a"_qs, u"b"_qs} << QString() << false;
    QTest::newRow("json members over headers")
        << json << QByteArray(R"({"data":"d","title":"from the body"})") << QString()
        << u"Title: from a header\nPriority: 1"_qs << u"from the body"_qs << 1 << QStringList() << QString() << false;
    QTest::newRow("a title of 256 characters, emoji counted once")
        << json << QByteArray(R"({"data":"d","title":")" + QString(255, u'a').toUtf8() + "\xF0\x9F\x8E\x89\"}")
        << QString() << QString() << QString(255, u'a') + u"🎉"_qs << 3 << QStringList() << QString() << false;
    QStringList ten;
    for (int i = 0; i < 10; ++i)
        ten.append(QString(64, QChar(u'a' + i)));
    QTest::newRow("ten tags of 64 characters") << text << QByteArray("x") << QString() << u"Tags: "_qs + ten.join(u',')
                                               << QString() << 3 << ten << QString() << false;
}

void tst_PublishRequest::takesTheMessageFields()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, query);
    QFETCH(QString, headers);

    const PublishDecoding decoding
        = decodePublishRequest(contentType, body, formQuery(query), 4096, headersOf(headers));
    QVERIFY2(decoding.isValid(), qPrintable(decoding.error));
    const MessageFields &fields = decoding.request.fields;
    QTEST(fields.title, "title");
    QTEST(fields.priority, "priority");
    QTEST(fields.tags, "tags");
    QTEST(fields.click, "click");
    QTEST(fields.markdown, "markdown");
}

void tst_PublishRequest::refusesBadMessageFieldsNamingThem_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("headers");
    QTest::addColumn<QString>("named");

    const QByteArray text("text/plain");
    const QByteArray json("application/json");
    QTest::newRow("unknown json member") << json << QByteArray(R"({"data":"d","message":"m"})") << QString()
                                         << QString() << u"\"message\""_qs;
    QTest::newRow("priority 0") << json << QByteArray(R"({"data":"d","priority":0})") << QString() << QString()
                                << u"priority"_qs;
    QTest::newRow("priority 9") << text << QByteArray("x") << QString() << u"Priority: 9"_qs << u"priority"_qs;
    QTest::newRow("priority past int's range")
        << json << QByteArray(R"({"data":"d","priority":477777777777})") << QString() << QString() << u"priority"_qs;
    QTest::newRow("priority 2.5") << json << QByteArray(R"({"data":"d","priority":2.5})") << QString() << QString()
                                  << u"priority"_qs;
    QTest::newRow("unknown priority name") << text << QByteArray("x") << u"p=loud"_qs << QString() << u"priority"_qs;
    QTest::newRow("javascript: click") << text << QByteArray("x") << QString() << u"Click: javascript:alert(1)"_qs
                                       << u"click"_qs;
    QTest::newRow("data: click") << json << QByteArray(R"({"data":"d","click":"data:text/html,<b>x</b>"})") << QString()
                                 << QString() << u"click"_qs;
    QTest::newRow("ftp click") << json << QByteArray(R"({"data":"d","click":"ftp://h/f"})") << QString() << QString()
                               << u"click"_qs;
    QTest::newRow("click without a host")
        << text << QByteArray("x") << u"click=https%3A%2F%2F%2Fpath"_qs << QString() << u"click"_qs;
    QTest::newRow("relative click") << text << QByteArray("x") << u"click=%2Fmenu"_qs << QString() << u"click"_qs;
    QTest::newRow("eleven tags") << text << QByteArray("x") << u"tags=a,b,c,d,e,f,g,h,i,j,k"_qs << QString()
                                 << u"tags"_qs;
    QTest::newRow("a tag of 65 characters")
        << json << QByteArray(R"({"data":"d","tags":[")" + QByteArray(65, 'a') + "\"]}") << QString() << QString()
        << u"tag"_qs;
    QTest::newRow("tags not strings") << json << QByteArray(R"({"data":"d","tags":[1]})") << QString() << QString()
                                      << u"tags"_qs;
    QTest::newRow("title with a newline")
        << json << QByteArray(R"({"data":"d","title":"a\nb"})") << QString() << QString() << u"title"_qs;
    QTest::newRow("title with NUL") << text << QByteArray("x") << u"title=a%00b"_qs << QString() << u"title"_qs;
    QTest::newRow("title of 257 characters")
        << json << QByteArray(R"({"data":"d","title":")" + QByteArray(257, 'a') + "\"}") << QString() << QString()
        << u"title"_qs;
    QTest::newRow("title not a string") << json << QByteArray(R"({"data":"d","title":5})") << QString() << QString()
                                        << u"title"_qs;
    QTest::newRow("markdown maybe") << text << QByteArray("x") << QString() << u"Markdown: maybe"_qs << u"markdown"_qs;
    QTest::newRow("markdown a string in json")
        << json << QByteArray(R"({"data":"d","markdown":"yes"})") << QString() << QString() << u"markdown"_qs;
}

void tst_PublishRequest::refusesBadMessageFieldsNamingThem()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, query);
    QFETCH(QString, headers);
    QFETCH(QString, named);

    const PublishDecoding decoding
        = decodePublishRequest(contentType, body, formQuery(query), 4096, headersOf(headers));
    QVERIFY(!decoding.isValid());
    QCOMPARE(decoding.refusal, PublishRefusal::Malformed);
    QVERIFY2(decoding.error.contains(named), qPrintable(decoding.error));
}

QTEST_APPLESS_MAIN(tst_PublishRequest)
#include "tst_publishrequest.moc"
