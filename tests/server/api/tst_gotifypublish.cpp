#include "gotifypublish.h"

#include <QJsonArray>
#include <QTest>

/// Publishing as Gotify's clients do (POST /message), after Gotify's API: its 0-10 priorities,
/// JSON and form bodies, the extras Herald shows, and Gotify's message JSON as the answer.
class tst_GotifyPublish : public QObject
{
    Q_OBJECT

private slots:
    void mapsGotifysPrioritiesByTheReadmesTable_data();
    void mapsGotifysPrioritiesByTheReadmesTable();
    void decodesJsonAndForms();
    void takesMarkdownAndTheClickUrlFromExtras();
    void refuses_data();
    void refuses();
    void answersWithGotifysMessage();
};

void tst_GotifyPublish::mapsGotifysPrioritiesByTheReadmesTable_data()
{
    QTest::addColumn<int>("gotify");
    QTest::addColumn<int>("herald");
    // The README's table: 0 min, 1-3 low, 4-7 default, 8-9 high, 10 urgent.
    const int expected[] = {1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5};
    for (int gotify = 0; gotify <= 10; ++gotify)
        QTest::newRow(qPrintable(QString::number(gotify))) << gotify << expected[gotify];
}

void tst_GotifyPublish::mapsGotifysPrioritiesByTheReadmesTable()
{
    QFETCH(int, gotify);
    QTEST(priorityOfGotify(gotify), "herald");
}

void tst_GotifyPublish::decodesJsonAndForms()
{
    GotifyDecoding json = decodeGotifyPublish(
        "application/json", R"({"title": "Backup", "message": "Done in 4 min", "priority": 5})", 4096);
    QVERIFY2(json.decoding.isValid(), qPrintable(json.decoding.error));
    QCOMPARE(json.decoding.request.data, QByteArray("Done in 4 min"));
    QCOMPARE(json.decoding.request.fields.title, u"Backup"_qs);
    QCOMPARE(json.decoding.request.fields.priority, 3);
    QCOMPARE(json.gotifyPriority, 5);
    QVERIFY(json.decoding.request.topic.isEmpty()); // Gotify has no topics: for every screen

    // curl -F-less form, as Gotify's documentation's curl sends it with -d / --form-string.
    GotifyDecoding form = decodeGotifyPublish("application/x-www-form-urlencoded",
                                              "title=Doors&message=Open+at+9%3A30&priority=10", 4096);
    QVERIFY2(form.decoding.isValid(), qPrintable(form.decoding.error));
    QCOMPARE(form.decoding.request.data, QByteArray("Open at 9:30"));
    QCOMPARE(form.decoding.request.fields.title, u"Doors"_qs);
    QCOMPARE(form.decoding.request.fields.priority, 5);

    // Gotify's documentation's own example: curl -F, a multipart form.
    const QByteArray multipart = "--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nmy title\r\n"
                                 "--xyz\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nmy\r\nmessage\r\n"
                                 "--xyz\r\nContent-Disposition: form-data; name=\"priority\"\r\n\r\n5\r\n--xyz--\r\n";
    GotifyDecoding parts = decodeGotifyPublish("multipart/form-data; boundary=xyz", multipart, 4096);
    QVERIFY2(parts.decoding.isValid(), qPrintable(parts.decoding.error));
    QCOMPARE(parts.decoding.request.data, QByteArray("my\r\nmessage"));
    QCOMPARE(parts.decoding.request.fields.title, u"my title"_qs);
    QCOMPARE(parts.gotifyPriority, 5);

    GotifyDecoding bare = decodeGotifyPublish("application/json", R"({"message": "x"})", 4096);
    QVERIFY(bare.decoding.isValid());
    QCOMPARE(bare.decoding.request.fields.priority, 3);
    QCOMPARE(bare.gotifyPriority, -1);
}

void tst_GotifyPublish::takesMarkdownAndTheClickUrlFromExtras()
{
    const GotifyDecoding gotify
        = decodeGotifyPublish("application/json",
                              R"({"message": "**Look**", "extras": {"client::display": {"contentType": "text/markdown"},
            "client::notification": {"click": {"url": "https://gotify.example/view"}},
            "android::action": {"onReceive": {"intentUrl": "https://x.example"}}}})",
                              4096);
    QVERIFY2(gotify.decoding.isValid(), qPrintable(gotify.decoding.error));
    QVERIFY(gotify.decoding.request.fields.markdown);
    QCOMPARE(gotify.decoding.request.fields.click, u"https://gotify.example/view"_qs);

    const GotifyDecoding plain = decodeGotifyPublish(
        "application/json", R"({"message": "x", "extras": {"client::display": {"contentType": "text/plain"}}})", 4096);
    QVERIFY(!plain.decoding.request.fields.markdown);
}

void tst_GotifyPublish::refuses_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("named");
    QTest::newRow("no message") << QByteArray("application/json") << QByteArray(R"({"title": "t"})") << u"message"_qs;
    QTest::newRow("an empty message") << QByteArray("application/json") << QByteArray(R"({"message": ""})")
                                      << u"message"_qs;
    QTest::newRow("priority 11") << QByteArray("application/json") << QByteArray(R"({"message": "x", "priority": 11})")
                                 << u"priority"_qs;
    QTest::newRow("priority -1") << QByteArray("application/x-www-form-urlencoded")
                                 << QByteArray("message=x&priority=-1") << u"priority"_qs;
    QTest::newRow("priority past int's range")
        << QByteArray("application/json") << QByteArray(R"({"message": "x", "priority": 477777777777})")
        << u"priority"_qs;
    QTest::newRow("priority 2.5") << QByteArray("application/json")
                                  << QByteArray(R"({"message": "x", "priority": 2.5})") << u"priority"_qs;
    QTest::newRow("an unknown member") << QByteArray("application/json")
                                       << QByteArray(R"({"message": "x", "appid": 3})") << u"appid"_qs;
    QTest::newRow("a javascript: click")
        << QByteArray("application/json")
        << QByteArray(R"({"message": "x", "extras": {"client::notification": {"click": {"url": "javascript:x"}}}})")
        << u"click"_qs;
    QTest::newRow("a title with a newline")
        << QByteArray("application/json") << QByteArray(R"({"message": "x", "title": "a\nb"})") << u"title"_qs;
    QTest::newRow("not JSON") << QByteArray("application/json") << QByteArray("message=x") << u"JSON"_qs;
    QTest::newRow("a multipart form with a file")
        << QByteArray("multipart/form-data; boundary=b")
        << QByteArray("--b\r\nContent-Disposition: form-data; name=\"message\"; filename=\"a.png\"\r\n\r\nx\r\n--b--")
        << u"files"_qs;
    QTest::newRow("a multipart form cut short")
        << QByteArray("multipart/form-data; boundary=b")
        << QByteArray("--b\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nx") << u"malformed"_qs;
    QTest::newRow("a multipart form without a boundary")
        << QByteArray("multipart/form-data") << QByteArray("--b--") << u"boundary"_qs;
    QTest::newRow("a type it does not take") << QByteArray("text/plain") << QByteArray("x") << u"text/plain"_qs;
}

void tst_GotifyPublish::refuses()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, named);
    const GotifyDecoding gotify = decodeGotifyPublish(contentType, body, 4096);
    QVERIFY(!gotify.decoding.isValid());
    QVERIFY2(gotify.decoding.error.contains(named), qPrintable(gotify.decoding.error));
}

void tst_GotifyPublish::answersWithGotifysMessage()
{
    PublishRequest request;
    request.data = "Done";
    request.fields.title = u"Backup"_qs;
    request.fields.markdown = true;
    request.fields.click = u"https://x.example/"_qs;
    const QJsonObject message = gotifyMessage(42, 1'700'000'000'123, request, 8);
    QCOMPARE(message.value(u"id"_qs), QJsonValue(42)); // Gotify's ids are numbers
    QCOMPARE(message.value(u"message"_qs), QJsonValue(u"Done"_qs));
    QCOMPARE(message.value(u"title"_qs), QJsonValue(u"Backup"_qs));
    QCOMPARE(message.value(u"priority"_qs), QJsonValue(8));
    QCOMPARE(message.value(u"date"_qs), QJsonValue(u"2023-11-14T22:13:20.123Z"_qs));
    QCOMPARE(message.value(u"extras"_qs).toObject().value(u"client::display"_qs).toObject().value(u"contentType"_qs),
             QJsonValue(u"text/markdown"_qs));
    QCOMPARE(message.value(u"extras"_qs)
                 .toObject()
                 .value(u"client::notification"_qs)
                 .toObject()
                 .value(u"click"_qs)
                 .toObject()
                 .value(u"url"_qs),
             QJsonValue(u"https://x.example/"_qs));
}

QTEST_APPLESS_MAIN(tst_GotifyPublish)
#include "tst_gotifypublish.moc"
