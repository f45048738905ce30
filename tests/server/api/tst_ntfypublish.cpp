#include "ntfypublish.h"
#include "requestfields.h"

#include <QJsonArray>
#include <QTest>

/// Publishing as ntfy's clients do, after ntfy's documentation ("Publishing"): which requests are
/// ntfy publishes, the topic rule, and what each way of sending gives.
class tst_NtfyPublish : public QObject
{
    Q_OBJECT

private slots:
    void knowsNtfysWaysToPublish_data();
    void knowsNtfysWaysToPublish();
    void topicsFollowNtfysRuleAndLeaveHeraldsPathsAlone_data();
    void topicsFollowNtfysRuleAndLeaveHeraldsPathsAlone();
    void decodes_data();
    void decodes();
    void refuses_data();
    void refuses();
    void answersWithNtfysMessage();
    void carriesTheTimeAScheduledMessageAsksFor();
    void refusesNtfysFeaturesNotTakenInHeaders();
};

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

} // namespace

void tst_NtfyPublish::knowsNtfysWaysToPublish_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("isPublish");
    QTest::newRow("POST /topic") << QByteArray("POST") << QByteArray("/kitchen") << true;
    QTest::newRow("PUT /topic") << QByteArray("PUT") << QByteArray("/kitchen") << true;
    QTest::newRow("GET /topic") << QByteArray("GET") << QByteArray("/kitchen") << false;
    QTest::newRow("GET /topic/publish") << QByteArray("GET") << QByteArray("/kitchen/publish") << true;
    QTest::newRow("POST /topic/send") << QByteArray("POST") << QByteArray("/kitchen/send") << true;
    QTest::newRow("PUT /topic/trigger") << QByteArray("PUT") << QByteArray("/kitchen/trigger") << true;
    QTest::newRow("GET /topic/json") << QByteArray("GET") << QByteArray("/kitchen/json") << false;
    QTest::newRow("POST /") << QByteArray("POST") << QByteArray("/") << true;
    QTest::newRow("PUT /") << QByteArray("PUT") << QByteArray("/") << true;
    QTest::newRow("DELETE /topic") << QByteArray("DELETE") << QByteArray("/kitchen") << false;
    QTest::newRow("POST /a/b/c") << QByteArray("POST") << QByteArray("/a/b/c") << false;
    QTest::newRow("POST //") << QByteArray("POST") << QByteArray("//") << false;
    QTest::newRow("GET //publish") << QByteArray("GET") << QByteArray("//publish") << false;
}

void tst_NtfyPublish::knowsNtfysWaysToPublish()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QTEST(isNtfyPublish(method, path), "isPublish");
}

void tst_NtfyPublish::topicsFollowNtfysRuleAndLeaveHeraldsPathsAlone_data()
{
    QTest::addColumn<QString>("topic");
    QTest::addColumn<bool>("taken");
    QTest::newRow("letters") << u"kitchen"_qs << true;
    QTest::newRow("all the characters") << u"Floor-2_room_B9"_qs << true;
    QTest::newRow("64 characters") << QString(64, u'a') << true;
    QTest::newRow("65 characters") << QString(65, u'a') << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("a dot") << u"a.b"_qs << false;
    QTest::newRow("a space") << u"a b"_qs << false;
    QTest::newRow("not ASCII") << u"küche"_qs << false;
    for (const QString &reserved : NtfyReservedTopics)
        QTest::newRow(qPrintable(reserved)) << reserved << false;
}

void tst_NtfyPublish::topicsFollowNtfysRuleAndLeaveHeraldsPathsAlone()
{
    QFETCH(QString, topic);
    QFETCH(bool, taken);
    QCOMPARE(ntfyTopicError(topic).isEmpty(), taken);
}

void tst_NtfyPublish::decodes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("query");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("title");
    QTest::addColumn<int>("priority");
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<bool>("markdown");

    // curl -d sends application/x-www-form-urlencoded: ntfy takes the body as the message anyway.
    QTest::newRow("curl -d") << QByteArray("POST") << QByteArray("/mytopic")
                             << QByteArray("application/x-www-form-urlencoded") << QByteArray("Backup successful 😀")
                             << QString() << Headers() << u"mytopic"_qs << u"Backup successful 😀"_qs << QString() << 3
                             << QStringList() << false;
    QTest::newRow("headers") << QByteArray("PUT") << QByteArray("/phil_alerts") << QByteArray()
                             << QByteArray("Remote access to phils-laptop detected. Act right away.") << QString()
                             << Headers{{"Title", "Unauthorized access detected"},
                                        {"Priority", "urgent"},
                                        {"Tags", "warning,skull"}}
                             << u"phil_alerts"_qs << u"Remote access to phils-laptop detected. Act right away."_qs
                             << u"Unauthorized access detected"_qs << 5 << QStringList{u"warning"_qs, u"skull"_qs}
                             << false;
    QTest::newRow("GET /publish with query")
        << QByteArray("GET") << QByteArray("/mywebhook/publish") << QByteArray() << QByteArray()
        << u"message=Webhook+triggered&t=Hook&p=2&tags=a,b"_qs << Headers() << u"mywebhook"_qs
        << u"Webhook triggered"_qs << u"Hook"_qs << 2 << QStringList{u"a"_qs, u"b"_qs} << false;
    QTest::newRow("GET /trigger with nothing")
        << QByteArray("GET") << QByteArray("/mywebhook/trigger") << QByteArray() << QByteArray() << QString()
        << Headers() << u"mywebhook"_qs << u"triggered"_qs << QString() << 3 << QStringList() << false;
    QTest::newRow("an empty body with a Message header")
        << QByteArray("POST") << QByteArray("/t") << QByteArray() << QByteArray() << QString()
        << Headers{{"X-Message", "from the header"}} << u"t"_qs << u"from the header"_qs << QString() << 3
        << QStringList() << false;
    QTest::newRow("text/markdown") << QByteArray("POST") << QByteArray("/t") << QByteArray("text/markdown")
                                   << QByteArray("**Look**") << QString() << Headers() << u"t"_qs << u"**Look**"_qs
                                   << QString() << 3 << QStringList() << true;
    QTest::newRow("JSON to /")
        << QByteArray("POST") << QByteArray("/") << QByteArray("application/json")
        << QByteArray(R"({"topic":"mytopic","message":"Disk space is low at 5.1 GB","title":"Low disk space alert",)"
                      R"("tags":["warning","cd"],"priority":4,"click":"https://homecamera.lan/xasds1h2xsSsa/",)"
                      R"("markdown":true})")
        << QString() << Headers() << u"mytopic"_qs << u"Disk space is low at 5.1 GB"_qs << u"Low disk space alert"_qs
        << 4 << QStringList{u"warning"_qs, u"cd"_qs} << true;
    QTest::newRow("JSON without a message")
        << QByteArray("PUT") << QByteArray("/") << QByteArray() << QByteArray(R"({"topic":"t"})") << QString()
        << Headers() << u"t"_qs << u"triggered"_qs << QString() << 3 << QStringList() << false;
}

void tst_NtfyPublish::decodes()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, query);
    QFETCH(Headers, headers);

    const PublishDecoding decoding
        = decodeNtfyPublish(method, path, contentType, body, formQuery(query), 4096, headersFrom(headers));
    QVERIFY2(decoding.isValid(), qPrintable(decoding.error));
    const PublishRequest &request = decoding.request;
    QTEST(request.topic, "topic");
    QTEST(QString::fromUtf8(request.data), "message");
    QTEST(request.fields.title, "title");
    QTEST(request.fields.priority, "priority");
    QTEST(request.fields.tags, "tags");
    QTEST(request.fields.markdown, "markdown");
    QVERIFY(request.type.isEmpty());
    QVERIFY(request.target.isEmpty());
}

void tst_NtfyPublish::refuses_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("query");
    QTest::addColumn<PublishRefusal>("refusal");
    QTest::addColumn<QString>("named");

    QTest::newRow("a reserved topic") << QByteArray("POST") << QByteArray("/api") << QByteArray("x") << QString()
                                      << PublishRefusal::Malformed << u"api"_qs;
    QTest::newRow("a topic with a dot") << QByteArray("POST") << QByteArray("/a.b") << QByteArray("x") << QString()
                                        << PublishRefusal::Malformed << u"topic"_qs;
    QTest::newRow("a percent-encoded topic") << QByteArray("POST") << QByteArray("/a%20b") << QByteArray("x")
                                             << QString() << PublishRefusal::Malformed << u"topic"_qs;
    QTest::newRow("not UTF-8") << QByteArray("PUT") << QByteArray("/t") << QByteArray("\xff\xd8\xff\xe0") << QString()
                               << PublishRefusal::Malformed << u"UTF-8"_qs;
    QTest::newRow("too large") << QByteArray("PUT") << QByteArray("/t") << QByteArray(4097, 'x') << QString()
                               << PublishRefusal::TooLarge << u"limit"_qs;
    QTest::newRow("a bad priority") << QByteArray("POST") << QByteArray("/t") << QByteArray("x") << u"priority=9"_qs
                                    << PublishRefusal::Malformed << u"priority"_qs;
    QTest::newRow("a javascript: click") << QByteArray("GET") << QByteArray("/t/publish") << QByteArray()
                                         << u"click=javascript%3Aalert(1)"_qs << PublishRefusal::Malformed
                                         << u"click"_qs;
    // ntfy's features Herald does not take yet are refused, never dropped.
    QTest::newRow("an e-mail") << QByteArray("POST") << QByteArray("/t") << QByteArray("x")
                               << u"email=a%40example.com"_qs << PublishRefusal::Malformed << u"e-mail"_qs;
    QTest::newRow("a link that is no web URL")
        << QByteArray("PUT") << QByteArray("/t") << QByteArray("x") << u"attach=ftp%3A%2F%2Fx.example%2Fa.png"_qs
        << PublishRefusal::Malformed << u"attach"_qs;
    QTest::newRow("actions") << QByteArray("POST") << QByteArray("/t") << QByteArray("x")
                             << u"actions=view%2C+Open%2C+https%3A%2F%2Fx.example"_qs << PublishRefusal::Malformed
                             << u"action"_qs;
    QTest::newRow("JSON: not JSON") << QByteArray("POST") << QByteArray("/") << QByteArray("hello") << QString()
                                    << PublishRefusal::Malformed << u"topic"_qs;
    QTest::newRow("JSON: no topic") << QByteArray("POST") << QByteArray("/") << QByteArray(R"({"message":"m"})")
                                    << QString() << PublishRefusal::Malformed << u"topic"_qs;
    QTest::newRow("JSON: a member Herald does not take")
        << QByteArray("POST") << QByteArray("/") << QByteArray(R"({"topic":"t","message":"m","icon":"x.png"})")
        << QString() << PublishRefusal::Malformed << u"icon"_qs;
    QTest::newRow("JSON: a reserved topic")
        << QByteArray("POST") << QByteArray("/") << QByteArray(R"({"topic":"events","message":"m"})") << QString()
        << PublishRefusal::Malformed << u"events"_qs;
    QTest::newRow("JSON: a message that is no string")
        << QByteArray("POST") << QByteArray("/") << QByteArray(R"({"topic":"t","message":5})") << QString()
        << PublishRefusal::Malformed << u"message"_qs;
}

void tst_NtfyPublish::refuses()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, query);
    QFETCH(QString, named);

    const PublishDecoding decoding = decodeNtfyPublish(method, path, QByteArray(), body, formQuery(query), 4096, {});
    QVERIFY(!decoding.isValid());
    QTEST(decoding.refusal, "refusal");
    QVERIFY2(decoding.error.contains(named), qPrintable(decoding.error));
}

void tst_NtfyPublish::answersWithNtfysMessage()
{
    PublishRequest request;
    request.topic = u"mytopic"_qs;
    request.data = "Disk space is low";
    request.fields.title = u"Low disk"_qs;
    request.fields.priority = 4;
    request.fields.tags = {u"warning"_qs};
    request.fields.click = u"https://example.com/"_qs;
    request.fields.markdown = true;
    const QJsonObject message = ntfyMessage(42, 1'700'000'000'999, request);
    QCOMPARE(message.value(u"id"_qs), QJsonValue(u"42"_qs)); // ntfy's ids are strings
    QCOMPARE(message.value(u"time"_qs).toInteger(), 1'700'000'000); // in seconds
    QCOMPARE(message.value(u"event"_qs), QJsonValue(u"message"_qs));
    QCOMPARE(message.value(u"topic"_qs), QJsonValue(u"mytopic"_qs));
    QCOMPARE(message.value(u"message"_qs), QJsonValue(u"Disk space is low"_qs));
    QCOMPARE(message.value(u"title"_qs), QJsonValue(u"Low disk"_qs));
    QCOMPARE(message.value(u"priority"_qs), QJsonValue(4));
    QCOMPARE(message.value(u"tags"_qs), QJsonValue(QJsonArray{u"warning"_qs}));
    QCOMPARE(message.value(u"click"_qs), QJsonValue(u"https://example.com/"_qs));
    QCOMPARE(message.value(u"content_type"_qs), QJsonValue(u"text/markdown"_qs));

    PublishRequest plain;
    plain.topic = u"t"_qs;
    plain.data = "x";
    const QJsonObject plainMessage = ntfyMessage(1, 0, plain);
    QCOMPARE(plainMessage.keys(), (QStringList{u"event"_qs, u"id"_qs, u"message"_qs, u"time"_qs, u"topic"_qs}));
}

void tst_NtfyPublish::carriesTheTimeAScheduledMessageAsksFor()
{
    // Read as written: the HTTP API reads the time (DeliveryTime) and schedules.
    const auto delayOf = [](QByteArrayView method, QByteArrayView path, const QByteArray &body, const QString &query,
                            const QList<QPair<QByteArray, QByteArray>> &headers) {
        const PublishDecoding decoding
            = decodeNtfyPublish(method, path, QByteArray(), body, formQuery(query), 4096, headersFrom(headers));
        return decoding.isValid() ? decoding.delay : u"refused: "_qs + decoding.error;
    };
    QCOMPARE(delayOf("PUT", "/t", "x", {}, {{"X-Delay", "30min"}}), u"30min"_qs);
    QCOMPARE(delayOf("PUT", "/t", "x", {}, {{"At", "9am"}}), u"9am"_qs);
    QCOMPARE(delayOf("PUT", "/t", "x", {}, {{"in", "2h"}}), u"2h"_qs);
    QCOMPARE(delayOf("GET", "/t/publish", {}, u"message=m&at=tomorrow%2C+9am"_qs, {}), u"tomorrow, 9am"_qs);
    QCOMPARE(delayOf("POST", "/", R"({"topic":"t","message":"m","delay":"1h"})", {}, {}), u"1h"_qs);
    QVERIFY(delayOf("POST", "/", R"({"topic":"t","message":"m","delay":60})", {}, {}).startsWith(u"refused"_qs));
    QCOMPARE(delayOf("PUT", "/t", "x", {}, {}), QString());
}

void tst_NtfyPublish::refusesNtfysFeaturesNotTakenInHeaders()
{
    for (const QByteArray name : {"X-Actions", "Email", "X-Call", "Icon"}) {
        const PublishDecoding decoding
            = decodeNtfyPublish("PUT", "/t", QByteArray(), "x", QUrlQuery(), 4096, headersFrom({{name, "something"}}));
        QVERIFY2(!decoding.isValid(), name.constData());
        QVERIFY2(decoding.error.contains(QString::fromLatin1(name)), qPrintable(decoding.error));
    }
}

QTEST_APPLESS_MAIN(tst_NtfyPublish)
#include "tst_ntfypublish.moc"
