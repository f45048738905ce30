#include "streamrequest.h"

#include <QTest>

/// What GET /events reads from its query and its Last-Event-ID header, as the README's
/// "GET /events" section documents it.
class tst_StreamRequest : public QObject
{
    Q_OBJECT

private slots:
    void readsWhatTheStreamAskedFor();
    void topicsComeRepeatedOrCommaSeparated_data();
    void topicsComeRepeatedOrCommaSeparated();
    void theHeaderWinsOverTheQuery();
    void badRequestsAreRefusedWithAReason_data();
    void badRequestsAreRefusedWithAReason();
    void theTokenIsReadEvenFromARefusedRequest();
};

void tst_StreamRequest::readsWhatTheStreamAskedFor()
{
    const StreamDecoding plain = decodeStreamRequest("/events", QByteArrayView());
    QVERIFY2(plain.isValid(), qPrintable(plain.error));
    QVERIFY(plain.request.topics.isEmpty());
    QVERIFY(plain.request.clientId.isEmpty());
    QCOMPARE(plain.request.format, StreamFormat::Plain);
    QVERIFY(!plain.request.resume);

    const StreamDecoding page = decodeStreamRequest(
            "/events?client=b-0123abcd&name=Kitchen+tablet%21&format=json&lastEventId=41", QByteArrayView());
    QVERIFY2(page.isValid(), qPrintable(page.error));
    QCOMPARE(page.request.clientId, u"b-0123abcd"_qs);
    QCOMPARE(page.request.name, u"Kitchen tablet!"_qs);
    QCOMPARE(page.request.format, StreamFormat::Json);
    QVERIFY(page.request.resume);
    QCOMPARE(page.request.lastEventId, 41u);
}

void tst_StreamRequest::topicsComeRepeatedOrCommaSeparated_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QStringList>("topics");
    QTest::newRow("one") << QByteArray("/events?topic=news") << QStringList{u"news"_qs};
    QTest::newRow("repeated") << QByteArray("/events?topic=news&topic=sport") << QStringList{u"news"_qs, u"sport"_qs};
    QTest::newRow("commas and spaces") << QByteArray("/events?topic=news,+sport+,weather")
                                       << QStringList{u"news"_qs, u"sport"_qs, u"weather"_qs};
    QTest::newRow("duplicates and empties") << QByteArray("/events?topic=a,,a&topic=a")
                                            << QStringList{u"a"_qs};
    QTest::newRow("encoded") << QByteArray("/events?topic=%E6%96%B0%E9%97%BB") << QStringList{u"新闻"_qs};
}

void tst_StreamRequest::topicsComeRepeatedOrCommaSeparated()
{
    QFETCH(QByteArray, target);
    QFETCH(QStringList, topics);
    const StreamDecoding decoding = decodeStreamRequest(target, QByteArrayView());
    QVERIFY2(decoding.isValid(), qPrintable(decoding.error));
    QCOMPARE(decoding.request.topics, topics);
}

void tst_StreamRequest::theHeaderWinsOverTheQuery()
{
    // A browser that reconnects sends Last-Event-ID itself, and it is newer than the page's query.
    const StreamDecoding decoding = decodeStreamRequest("/events?lastEventId=3", " 17 ");
    QVERIFY(decoding.isValid());
    QVERIFY(decoding.request.resume);
    QCOMPARE(decoding.request.lastEventId, 17u);
    // Zero is a real id to resume after: everything retained.
    const StreamDecoding zero = decodeStreamRequest("/events", "0");
    QVERIFY(zero.request.resume);
    QCOMPARE(zero.request.lastEventId, 0u);
}

void tst_StreamRequest::badRequestsAreRefusedWithAReason_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("id not a number") << QByteArray("/events?lastEventId=abc") << QByteArray() << u"last event id"_qs;
    QTest::newRow("negative id in the header") << QByteArray("/events") << QByteArray("-1") << u"last event id"_qs;
    QTest::newRow("unknown format") << QByteArray("/events?format=xml") << QByteArray() << u"format"_qs;
    QTest::newRow("topic with CR") << QByteArray("/events?topic=a%0Db") << QByteArray() << u"topic"_qs;
    QTest::newRow("topic with NUL") << QByteArray("/events?topic=a%00b") << QByteArray() << u"topic"_qs;
    QTest::newRow("name with LF") << QByteArray("/events?name=a%0Ab") << QByteArray() << u"name"_qs;
    QTest::newRow("client too long") << "/events?client=" + QByteArray(257, 'c') << QByteArray() << u"client"_qs;
    QTest::newRow("topic too long") << "/events?topic=" + QByteArray(257, 't') << QByteArray() << u"topic"_qs;
}

void tst_StreamRequest::badRequestsAreRefusedWithAReason()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, header);
    QFETCH(QString, mentions);
    const StreamDecoding decoding = decodeStreamRequest(target, header);
    QVERIFY(!decoding.isValid());
    QVERIFY2(decoding.error.contains(mentions), qPrintable(decoding.error));
}

void tst_StreamRequest::theTokenIsReadEvenFromARefusedRequest()
{
    // So that a private Herald answers 401 before it says what else is wrong.
    const StreamDecoding decoding = decodeStreamRequest("/events?format=xml&token=s3cret%2B1", QByteArrayView());
    QVERIFY(!decoding.isValid());
    QCOMPARE(decoding.request.token, QByteArray("s3cret+1"));
}

QTEST_APPLESS_MAIN(tst_StreamRequest)
#include "tst_streamrequest.moc"
