#include "serviceconfig.h"
#include "streamdecoding.h"

#include <QTest>

namespace {

/// Decodes as a Herald with the default --max-topics does.
StreamDecoding decode(QByteArrayView target, QByteArrayView lastEventIdHeader)
{
    return decodeStreamRequest(target, lastEventIdHeader, ServiceConfig().maxTopics);
}

/// "/events?topic=t1,t2,...": \a count different topics, \a perParameter to a topic= parameter.
QByteArray withTopics(int count, int perParameter)
{
    QByteArray target = "/events?client=c";
    for (int i = 1; i <= count; ++i)
        target += ((i - 1) % perParameter == 0 ? "&topic=" : ",") + QByteArray("t") + QByteArray::number(i);
    return target;
}

} // namespace

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
    void aStreamMayAskForAtMostMaxTopics_data();
    void aStreamMayAskForAtMostMaxTopics();
    void topicsPastTheLimitAreNotRead();
};

void tst_StreamRequest::readsWhatTheStreamAskedFor()
{
    const StreamDecoding plain = decode("/events", QByteArrayView());
    QVERIFY2(plain.isValid(), qPrintable(plain.error));
    QVERIFY(plain.request.topics.isEmpty());
    QVERIFY(plain.request.clientId.isEmpty());
    QCOMPARE(plain.request.format, StreamFormat::Plain);
    QVERIFY(!plain.request.resume);

    const StreamDecoding page
        = decode("/events?client=b-0123abcd&name=Kitchen+tablet%21&format=json&lastEventId=41", QByteArrayView());
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
    QTest::newRow("duplicates and empties") << QByteArray("/events?topic=a,,a&topic=a") << QStringList{u"a"_qs};
    QTest::newRow("encoded") << QByteArray("/events?topic=%E6%96%B0%E9%97%BB") << QStringList{u"新闻"_qs};
}

void tst_StreamRequest::topicsComeRepeatedOrCommaSeparated()
{
    QFETCH(QByteArray, target);
    QFETCH(QStringList, topics);
    const StreamDecoding decoding = decode(target, QByteArrayView());
    QVERIFY2(decoding.isValid(), qPrintable(decoding.error));
    QCOMPARE(decoding.request.topics, topics);
}

void tst_StreamRequest::theHeaderWinsOverTheQuery()
{
    // A browser that reconnects sends Last-Event-ID itself, and it is newer than the page's query.
    const StreamDecoding decoding = decode("/events?lastEventId=3", " 17 ");
    QVERIFY(decoding.isValid());
    QVERIFY(decoding.request.resume);
    QCOMPARE(decoding.request.lastEventId, 17u);
    // Zero is a real id to resume after: everything retained.
    const StreamDecoding zero = decode("/events", "0");
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
    const StreamDecoding decoding = decode(target, header);
    QVERIFY(!decoding.isValid());
    QVERIFY2(decoding.error.contains(mentions), qPrintable(decoding.error));
}

void tst_StreamRequest::theTokenIsReadEvenFromARefusedRequest()
{
    // So that a private Herald answers 401 before it says what else is wrong.
    const StreamDecoding decoding = decode("/events?format=xml&token=s3cret%2B1", QByteArrayView());
    QVERIFY(!decoding.isValid());
    QCOMPARE(decoding.request.token, QByteArray("s3cret+1"));
}

void tst_StreamRequest::aStreamMayAskForAtMostMaxTopics_data()
{
    QTest::addColumn<int>("perParameter");
    QTest::newRow("comma-separated") << 1000;
    QTest::newRow("repeated") << 1;
    QTest::newRow("both") << 10;
}

void tst_StreamRequest::aStreamMayAskForAtMostMaxTopics()
{
    QFETCH(int, perParameter);
    const int limit = ServiceConfig().maxTopics;
    QCOMPARE(limit, 64); // as the README documents

    const StreamDecoding atTheLimit = decode(withTopics(limit, perParameter), QByteArrayView());
    QVERIFY2(atTheLimit.isValid(), qPrintable(atTheLimit.error));
    QCOMPARE(atTheLimit.request.topics.size(), limit);
    QCOMPARE(atTheLimit.request.topics.last(), u"t64"_qs);

    const StreamDecoding past = decode(withTopics(limit + 1, perParameter), QByteArrayView());
    QVERIFY(!past.isValid());
    QVERIFY2(past.error.contains(u"64"_qs) && past.error.contains(u"--max-topics"_qs), qPrintable(past.error));

    // The same topic asked for again is one topic.
    const StreamDecoding repeated
        = decode(withTopics(limit, perParameter) + "&topic=t1,t2&topic=t64", QByteArrayView());
    QVERIFY2(repeated.isValid(), qPrintable(repeated.error));
    QCOMPARE(repeated.request.topics.size(), limit);

    // The limit is the one given.
    QVERIFY(decodeStreamRequest(withTopics(3, perParameter), QByteArrayView(), 3).isValid());
    const StreamDecoding pastThree = decodeStreamRequest(withTopics(4, perParameter), QByteArrayView(), 3);
    QVERIFY(!pastThree.isValid());
    QVERIFY2(pastThree.error.contains(u"at most 3 topics"_qs), qPrintable(pastThree.error));
}

void tst_StreamRequest::topicsPastTheLimitAreNotRead()
{
    // Decoding stops at the first topic too many: what follows it is never looked at, so a
    // malformed topic there is not what the refusal names.
    const QByteArray target = withTopics(2, 10) + ",t3,t4%0Dbroken";
    const StreamDecoding decoding = decodeStreamRequest(target, QByteArrayView(), 2);
    QVERIFY(!decoding.isValid());
    QVERIFY2(decoding.error.contains(u"--max-topics"_qs), qPrintable(decoding.error));
    QCOMPARE(decoding.request.topics, (QStringList{u"t1"_qs, u"t2"_qs}));
}

QTEST_APPLESS_MAIN(tst_StreamRequest)
#include "tst_streamrequest.moc"
