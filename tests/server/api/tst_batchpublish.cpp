#include "filesizelimit.h"
#include "httpclient.h"
#include "servicehost.h"
#include "servicestart.h"
#include "sseclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

/// Batch publishing over real sockets against a running service, as the README's "Batch
/// publishing" section documents it: one event per line, consecutive ids, all or nothing, bounded,
/// idempotent as a whole, and durable as a whole.
class tst_BatchPublish : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void everyLineBecomesAnEventWithConsecutiveIds();
    void aBadLineRefusesTheWholeBatchNamingIt();
    void aBatchIsBoundedByMaxBatchAndMaxBody();
    void anIdempotencyKeyCoversTheWholeBatch();
    void aBatchIsKeptWholeOrNotAtAll();
    void aBatchNeedsTheTokenAsAnyPublish();

private:
    HttpReply publishBatch(const QByteArray &lines, const QList<QPair<QByteArray, QByteArray>> &headers = {},
                           const QString &query = {});
    quint64 lastId();

    std::unique_ptr<LoopbackService> m_service;
};

namespace {

QList<quint64> idsIn(const HttpReply &reply)
{
    QList<quint64> ids;
    for (const QJsonValue id : reply.json().object().value(u"ids"_qs).toArray())
        ids.append(quint64(id.toInteger()));
    return ids;
}

} // namespace

void tst_BatchPublish::init()
{
    m_service = std::make_unique<LoopbackService>();
}

void tst_BatchPublish::cleanup()
{
    m_service.reset();
}

HttpReply tst_BatchPublish::publishBatch(const QByteArray &lines, const QList<QPair<QByteArray, QByteArray>> &headers,
                                         const QString &query)
{
    return httpRequest("POST", m_service->url(u"/publish"_qs + query), lines,
                       QList<QPair<QByteArray, QByteArray>>{{"Content-Type", "application/x-ndjson"}} + headers);
}

quint64 tst_BatchPublish::lastId()
{
    return quint64(
        httpRequest("GET", m_service->url(u"/api/stats"_qs)).json().object().value(u"lastId"_qs).toInteger());
}

void tst_BatchPublish::everyLineBecomesAnEventWithConsecutiveIds()
{
    QVERIFY(m_service->start());
    SseClient stream;
    stream.open(m_service->port(), "/events?format=json");
    QTRY_COMPARE(httpRequest("GET", m_service->url(u"/api/stats"_qs)).json().object().value(u"clients"_qs).toInt(), 1);
    QCOMPARE(
        httpRequest("POST", m_service->url(u"/publish"_qs), "first, alone", {{"Content-Type", "text/plain"}}).status,
        200);

    // Blank lines and Windows line ends are taken; the query's topic is every line's unless it names one.
    const QByteArray lines = R"({"data": "Goal!", "title": "Home 1 : 0", "priority": "high", "tags": ["soccer"]})"
                             "\r\n"
                             R"({"data": {"home": 1, "away": 0}, "event": "score"})"
                             "\n\n"
                             R"({"data": "Half time", "topic": "announcements"})"
                             "\n";
    const HttpReply reply = publishBatch(lines, {}, u"?topic=match"_qs);
    QCOMPARE(reply.status, 200);
    QCOMPARE(idsIn(reply), (QList<quint64>{2, 3, 4}));
    const QJsonArray delivered = reply.json().object().value(u"delivered"_qs).toArray();
    QCOMPARE(delivered, (QJsonArray{1, 1, 1}));
    QVERIFY(!reply.json().object().contains(u"duplicate"_qs));

    QVERIFY(stream.waitForEvents(4));
    QList<QJsonObject> events;
    for (const EventStreamParser::Event &event : stream.events())
        events.append(QJsonDocument::fromJson(event.data.toUtf8()).object());
    QCOMPARE(stream.events().at(1).lastEventId, u"2"_qs);
    QCOMPARE(stream.events().at(3).lastEventId, u"4"_qs);
    QCOMPARE(events.at(1).value(u"data"_qs).toString(), u"Goal!"_qs);
    QCOMPARE(events.at(1).value(u"title"_qs).toString(), u"Home 1 : 0"_qs);
    QCOMPARE(events.at(1).value(u"priority"_qs).toInt(), 4);
    QCOMPARE(events.at(1).value(u"topic"_qs).toString(), u"match"_qs);
    QCOMPARE(events.at(2).value(u"type"_qs).toString(), u"score"_qs);
    QCOMPARE(QJsonDocument::fromJson(events.at(2).value(u"data"_qs).toString().toUtf8()).object(),
             (QJsonObject{{u"home"_qs, 1}, {u"away"_qs, 0}}));
    QCOMPARE(events.at(3).value(u"topic"_qs).toString(), u"announcements"_qs);
}

void tst_BatchPublish::aBadLineRefusesTheWholeBatchNamingIt()
{
    QVERIFY(m_service->start());
    QCOMPARE(publishBatch(R"({"data": "kept"})").status, 200);
    const quint64 before = lastId();
    struct Case
    {
        QByteArray lines;
        QString named;
    };
    const QList<Case> cases{
        {"{\"data\": \"a\"}\n{\"data\": \"b\"}\n{\"data\": \"c\"\n", u"line 3"_qs},
        {"{\"data\": \"a\"}\n{\"data\": \"b\", \"colour\": \"red\"}\n", u"line 2"_qs},
        {"{\"data\": \"a\"}\n\n[\"not an object\"]\n", u"line 3"_qs},
        {"{\"data\": \"a\", \"priority\": 9}\n", u"line 1"_qs},
        {"{\"data\": \"later\", \"delay\": \"10m\"}\n", u"delay"_qs},
        {"{\"data\": \"\\u00e9\"}\n{\"data\": \"\xff\"}\n", u"line 2"_qs},
        {"\n  \n", u"no event"_qs},
    };
    for (const Case &refused : cases) {
        const HttpReply reply = publishBatch(refused.lines);
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.error().contains(refused.named), qPrintable(reply.error()));
    }
    QCOMPARE(lastId(), before);
    // A Delay on the request asks it of every line: refused too.
    QCOMPARE(publishBatch(R"({"data": "a"})", {{"Delay", "1h"}}).status, 400);
    QCOMPARE(lastId(), before);
}

void tst_BatchPublish::aBatchIsBoundedByMaxBatchAndMaxBody()
{
    ServiceConfig config;
    config.maxBatchLines = 3;
    config.maxBodyBytes = 200;
    QVERIFY(m_service->start(config));
    const QByteArray line = R"({"data": "x"})"
                            "\n";
    const HttpReply tooMany = publishBatch(line.repeated(4));
    QCOMPARE(tooMany.status, 413);
    QVERIFY2(tooMany.error().contains(u"--max-batch"_qs), qPrintable(tooMany.error()));
    QCOMPARE(lastId(), 0u);
    QCOMPARE(publishBatch(line.repeated(3) + "\n\n").status, 200); // blank lines are no events
    QCOMPARE(lastId(), 3u);
    const HttpReply tooLarge = publishBatch(R"({"data": ")" + QByteArray(200, 'x') + R"("})");
    QCOMPARE(tooLarge.status, 413);
    QCOMPARE(lastId(), 3u);
}

void tst_BatchPublish::anIdempotencyKeyCoversTheWholeBatch()
{
    QVERIFY(m_service->start());
    const QByteArray lines = "{\"data\": \"one\"}\n{\"data\": \"two\"}\n{\"data\": \"three\"}\n";
    const HttpReply first = publishBatch(lines, {{"Idempotency-Key", "scores-17"}});
    QCOMPARE(first.status, 200);
    const HttpReply retried = publishBatch(lines, {{"Idempotency-Key", "scores-17"}});
    QCOMPARE(retried.status, 200);
    QCOMPARE(idsIn(retried), idsIn(first));
    QCOMPARE(retried.json().object().value(u"duplicate"_qs).toBool(), true);
    QCOMPARE(lastId(), 3u);
    // The same key on a longer batch is refused whole: a batch is retried as it was sent.
    const HttpReply longer = publishBatch(lines + "{\"data\": \"four\"}\n", {{"Idempotency-Key", "scores-17"}});
    QCOMPARE(longer.status, 400);
    QVERIFY2(longer.error().contains(u"Idempotency-Key"_qs), qPrintable(longer.error()));
    QCOMPARE(lastId(), 3u);
    // Another key, or none, is another batch; a single publish with the batch's key is another publish.
    QCOMPARE(idsIn(publishBatch(lines, {{"Idempotency-Key", "scores-18"}})), (QList<quint64>{4, 5, 6}));
    QCOMPARE(idsIn(publishBatch(lines)), (QList<quint64>{7, 8, 9}));
    QCOMPARE(httpRequest("POST", m_service->url(u"/publish"_qs), "alone",
                         {{"Content-Type", "text/plain"}, {"Idempotency-Key", "scores-17"}})
                 .json()
                 .object()
                 .value(u"id"_qs)
                 .toInteger(),
             10);
}

void tst_BatchPublish::aBatchIsKeptWholeOrNotAtAll()
{
    ServiceConfig config;
    config.durability = Durability::Disk;
    QVERIFY(m_service->start(config));
    QByteArray lines;
    for (int i = 1; i <= 100; ++i)
        lines += R"({"data": "event )" + QByteArray::number(i) + R"("})" + '\n';
    QCOMPARE(publishBatch(lines).status, 200);
    {
        // The disk fills up: the next batch is refused whole, however much of it would have fit.
        FileSizeLimit full(QFileInfo(m_service->dataPath(u"history.jsonl"_qs)).size() + 500);
        QVERIFY(full.isSet());
        const HttpReply refused = publishBatch(lines);
        QCOMPARE(refused.status, 503);
        QVERIFY(!refused.error().isEmpty());
    }
    // After a restart, the first batch is all there and nothing of the second.
    QVERIFY(m_service->start(config));
    QTRY_COMPARE(lastId(), 100u);
    SseClient replay;
    replay.open(m_service->port(), "/events", {"Last-Event-ID: 0"});
    QVERIFY(replay.waitForEvents(100));
    QCOMPARE(replay.dataOf().constFirst(), u"event 1"_qs);
    QCOMPARE(replay.dataOf().constLast(), u"event 100"_qs);
    QTest::qWait(200);
    QCOMPARE(replay.dataOf().size(), 100);
}

void tst_BatchPublish::aBatchNeedsTheTokenAsAnyPublish()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    QVERIFY(m_service->start(config));
    QCOMPARE(publishBatch(R"({"data": "x"})").status, 401);
    QCOMPARE(publishBatch(R"({"data": "x"})", {{"Authorization", "Bearer s3cret"}}).status, 200);
    QCOMPARE(lastId(), 1u);
}

QTEST_GUILESS_MAIN(tst_BatchPublish)
#include "tst_batchpublish.moc"
