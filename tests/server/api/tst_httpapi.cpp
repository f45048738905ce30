#include "accesspolicy.h"
#include "eventstreamparser.h"
#include "heraldservice.h"
#include "httpclient.h"
#include "servicehost.h"
#include "servicestart.h"
#include "sseclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cerrno>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using Headers = QList<QPair<QByteArray, QByteArray>>;

/// The HTTP contract from the README, checked over real sockets against a running service.
class tst_HttpApi : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void servesThePage();
    void streamHeadersAndRetryArriveAtOnce_data();
    void streamHeadersAndRetryArriveAtOnce();
    void aPublishReachesEveryClient();
    void textKeepsItsLinesAndType();
    void jsonPublishing();
    void messageFieldsTravelWithTheEventAndSurviveARestart();
    void badMessageFieldsPublishNothing();
    void ntfysWaysToPublishReachTheTopicsStreams();
    void ntfyClientsSendTheTokenTheirWay();
    void gotifysWayToPublishReachesEveryStream();
    void topicsAndTargetsDecideWhoReceives();
    void replayFromLastEventId_data();
    void replayFromLastEventId();
    void noGapAndNoDuplicateWhileEventsPour();
    void eventsPublishedWhileNobodyListensLeaveNoGapNorDuplicate();
    void anIdOlderThanHistoryGetsAGapEvent();
    void heartbeatsKeepTheStreamAlive();
    void publishErrorsAreJson_data();
    void publishErrorsAreJson();
    void badStreamRequestsAreRefused_data();
    void badStreamRequestsAreRefused();
    void tokenProtectsPublishingAndAdmin();
    void sayKeepsTheDemosContract();
    void clientsAreListed();
    void disconnectingAClientClosesItsStreamsAndTellsThePage();
    void statsAndMetricsAgree();
    void corsForStreamsAndReadOnlyEndpoints();
    void unknownPathsAndMethods();
    void historyAndIdsSurviveARestart();
    void publishesInFlightAtShutdownAreAnsweredIfKept();
    void aTakenPortIsAClearError();
    void aStalledClientIsDroppedAndOthersKeepReceiving();
    void bytesSentOnAStreamAreIgnored();
    void rewindOpensWithTheNewestEventsTheStreamMaySee();
    void aRetractedEventLeavesHistoryAndEveryPageThatHadIt();
    void retractionsHoldAcrossARestart();
    void retractingNeedsTheTokenLikeDisconnecting();
    void anEditReplacesTheEventWhereverItIs();
    void editsHoldAcrossARestartAndNeedTheToken();
    void historyIsBoundedByBytes();
    void thePageLearnsItsHistoryAndWhetherItMayPublish();
    void anIdempotencyKeyMakesARetrySafe();
    void aCatchUpLargerThanTheClientBufferArrivesWhole_data();
    void aCatchUpLargerThanTheClientBufferArrivesWhole();
    void aSlowReaderGetsALongCatchUpThenLiveEvents();
    void aRewindIsBoundedByTheClientBuffer();

private:
    bool startService(ServiceConfig config = {});
    QUrl url(const QString &pathAndQuery) const;
    HttpReply publishText(const QByteArray &text, const QString &query = QString());
    SseClient *openStream(const QByteArray &pathAndQuery, const QList<QByteArray> &headers = {});
    QJsonObject stats();

    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<ServiceHost> m_host;
    QList<SseClient *> m_streams;
};

void tst_HttpApi::init()
{
    m_dataDir = std::make_unique<QTemporaryDir>();
}

void tst_HttpApi::cleanup()
{
    qDeleteAll(m_streams);
    m_streams.clear();
    m_host.reset();
}

bool tst_HttpApi::startService(ServiceConfig config)
{
    m_host.reset();
    config.port = 0;
    config.bindAddress = QHostAddress::LocalHost;
    if (config.dataDirectory.isEmpty())
        config.dataDirectory = m_dataDir->path();
    return startHost(m_host, config);
}

QUrl tst_HttpApi::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_host->port()).arg(pathAndQuery));
}

HttpReply tst_HttpApi::publishText(const QByteArray &text, const QString &query)
{
    return httpRequest("POST", url(u"/publish"_qs + (query.isEmpty() ? QString() : u"?"_qs + query)), text,
                       {{"Content-Type", "text/plain; charset=utf-8"}});
}

SseClient *tst_HttpApi::openStream(const QByteArray &pathAndQuery, const QList<QByteArray> &headers)
{
    auto *client = new SseClient;
    m_streams.append(client);
    client->open(m_host->port(), pathAndQuery, headers);
    if (!client->waitForHead())
        return client;
    // The service registers a stream before a publish can follow; wait until it is listed.
    const int expected = int(m_streams.size());
    if (!QTest::qWaitFor([&] { return stats().value(u"clients"_qs).toInt() >= expected || client->isClosed(); }, 5000))
        qWarning("the stream was not registered in time");
    return client;
}

namespace {

/// Reads an event stream from a plain socket until \a count events have arrived, the stream
/// ends, or no byte comes for \a quietMs. Returns the events; \a raw gets every byte.
QList<EventStreamParser::Event> readEvents(int fd, int count, QByteArray *raw, int quietMs = 10000)
{
    const timeval wait{quietMs / 1000, (quietMs % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    EventStreamParser parser;
    QList<EventStreamParser::Event> events;
    QByteArray pending; // the head, until it is whole
    bool headDone = false;
    char buffer[64 * 1024];
    while (events.size() < count) {
        const ssize_t received = ::recv(fd, buffer, sizeof buffer, 0);
        if (received < 0 && errno == EINTR)
            continue;
        if (received <= 0)
            break;
        raw->append(buffer, received);
        if (!headDone) {
            pending.append(buffer, received);
            const qsizetype end = pending.indexOf("\r\n\r\n");
            if (end < 0)
                continue;
            headDone = true;
            events += parser.feed(pending.mid(end + 4));
            continue;
        }
        events += parser.feed(QByteArray::fromRawData(buffer, received));
    }
    return events;
}

/// A stream opened on a plain socket whose receive buffer is small, so that Herald's writes to
/// it are refused until it reads: a browser on a slow link.
int openSlowStream(quint16 port, const QByteArray &pathAndQuery, const QByteArray &extraHeader = {})
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int small = 16 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    const QByteArray request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeader + "\r\n";
    if (::write(fd, request.constData(), size_t(request.size())) != ssize_t(request.size())) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

QJsonObject tst_HttpApi::stats()
{
    return httpRequest("GET", url(u"/api/stats"_qs)).json().object();
}

void tst_HttpApi::servesThePage()
{
    QVERIFY(startService());
    const HttpReply page = httpRequest("GET", url(u"/"_qs));
    QCOMPARE(page.status, 200);
    QCOMPARE(page.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
    QVERIFY(page.body.contains("<title>Herald</title>"));
    QVERIFY(page.header("Content-Security-Policy").contains("script-src 'self'"));
    for (const char *asset : {"/client.js", "/client.css", "/favicon.svg"}) {
        const HttpReply reply = httpRequest("GET", url(QString::fromLatin1(asset)));
        QCOMPARE(reply.status, 200);
        QVERIFY(!reply.body.isEmpty());
    }
}

void tst_HttpApi::streamHeadersAndRetryArriveAtOnce_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("/events") << QByteArray("/events");
    QTest::newRow("/sse") << QByteArray("/sse");
}

void tst_HttpApi::streamHeadersAndRetryArriveAtOnce()
{
    QFETCH(QByteArray, path);
    ServiceConfig config;
    config.retryMilliseconds = 2500;
    QVERIFY(startService(config));
    SseClient *client = openStream(path);
    QVERIFY(client->waitForHead());
    QCOMPARE(client->status(), 200);
    QCOMPARE(client->header("Content-Type"), QByteArray("text/event-stream; charset=utf-8"));
    QCOMPARE(client->header("Cache-Control"), QByteArray("no-cache"));
    QCOMPARE(client->header("X-Accel-Buffering"), QByteArray("no"));
    QTRY_COMPARE(client->parser().retry(), 2500); // before any message was published
    QVERIFY(client->events().isEmpty());
}

void tst_HttpApi::aPublishReachesEveryClient()
{
    QVERIFY(startService());
    QList<SseClient *> clients;
    for (int i = 0; i < 3; ++i)
        clients.append(openStream("/events"));

    const HttpReply reply = publishText("hello everyone");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().object().value(u"id"_qs).toInt(), 1);
    QCOMPARE(reply.json().object().value(u"delivered"_qs).toInt(), 3);
    for (SseClient *client : clients) {
        QVERIFY(client->waitForEvents(1));
        QCOMPARE(client->events().first().data, u"hello everyone"_qs);
        QCOMPARE(client->events().first().lastEventId, u"1"_qs);
    }
    QCOMPARE(publishText("second").json().object().value(u"id"_qs).toInt(), 2);
}

void tst_HttpApi::textKeepsItsLinesAndType()
{
    QVERIFY(startService());
    SseClient *client = openStream("/events");
    QCOMPARE(publishText("line one\r\nline two\rline three\nfour", u"event=alert"_qs).status, 200);
    QVERIFY(client->waitForEvents(1));
    QCOMPARE(client->events().first().type, u"alert"_qs);
    QCOMPARE(client->events().first().data, u"line one\nline two\nline three\nfour"_qs);
}

void tst_HttpApi::jsonPublishing()
{
    QVERIFY(startService());
    SseClient *client = openStream("/events");
    HttpReply reply = httpRequest("POST", url(u"/publish"_qs), R"({"data": {"score": [1, 2]}, "event": "score"})",
                                  {{"Content-Type", "application/json"}});
    QCOMPARE(reply.status, 200);
    reply = httpRequest("POST", url(u"/publish"_qs), R"({"data": "plain text"})",
                        {{"Content-Type", "application/json; charset=utf-8"}});
    QCOMPARE(reply.status, 200);
    QVERIFY(client->waitForEvents(2));
    QCOMPARE(client->events().at(0).type, u"score"_qs);
    QCOMPARE(client->events().at(0).data, uR"({"score":[1,2]})"_qs);
    QCOMPARE(client->events().at(1).data, u"plain text"_qs);
}

void tst_HttpApi::messageFieldsTravelWithTheEventAndSurviveARestart()
{
    QVERIFY(startService());
    SseClient *json = openStream("/events?format=json");
    SseClient *plain = openStream("/events");
    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "Pizza is here",
                         {{"Content-Type", "text/plain"},
                          {"Title", "Lunch"},
                          {"Priority", "high"},
                          {"Tags", "pizza,tada"},
                          {"Click", "https://example.com/menu"},
                          {"X-Markdown", "yes"}})
                 .status,
             200);
    QCOMPARE(httpRequest("POST", url(u"/publish?topic=t"_qs),
                         R"({"data": "Doors *open*", "title": "Hall B", "priority": 5, "tags": ["warning"],
                             "click": "mailto:desk@example.com", "markdown": true})",
                         {{"Content-Type", "application/json"}})
                 .status,
             200);
    QCOMPARE(publishText("no fields").status, 200);
    QVERIFY(json->waitForEvents(3));
    QVERIFY(plain->waitForEvents(3));

    const QJsonObject lunch{{u"title"_qs, u"Lunch"_qs},
                            {u"priority"_qs, 4},
                            {u"tags"_qs, QJsonArray{u"pizza"_qs, u"tada"_qs}},
                            {u"click"_qs, u"https://example.com/menu"_qs},
                            {u"markdown"_qs, true}};
    const QJsonObject hall{{u"title"_qs, u"Hall B"_qs},
                           {u"priority"_qs, 5},
                           {u"tags"_qs, QJsonArray{u"warning"_qs}},
                           {u"click"_qs, u"mailto:desk@example.com"_qs},
                           {u"markdown"_qs, true}};
    const auto fieldsOf = [](const QString &envelope) {
        QJsonObject fields = QJsonDocument::fromJson(envelope.toUtf8()).object();
        for (const QString &key : {u"data"_qs, u"time"_qs, u"topic"_qs, u"type"_qs, u"to"_qs})
            fields.remove(key);
        return fields;
    };
    QCOMPARE(fieldsOf(json->events().at(0).data), lunch);
    QCOMPARE(fieldsOf(json->events().at(1).data), hall);
    QCOMPARE(fieldsOf(json->events().at(2).data), QJsonObject());
    // A plain stream gets the text alone, as it always did.
    QCOMPARE(plain->dataOf(), (QStringList{u"Pizza is here"_qs, u"Doors *open*"_qs, u"no fields"_qs}));

    m_host.reset();
    QVERIFY(startService()); // the same data folder: the journal kept the fields
    SseClient *replayed = openStream("/events?format=json", {"Last-Event-ID: 0"});
    QVERIFY(replayed->waitForEvents(3));
    QCOMPARE(fieldsOf(replayed->events().at(0).data), lunch);
    QCOMPARE(fieldsOf(replayed->events().at(1).data), hall);
    QCOMPARE(fieldsOf(replayed->events().at(2).data), QJsonObject());
}

void tst_HttpApi::badMessageFieldsPublishNothing()
{
    QVERIFY(startService());
    const QList<std::pair<QByteArray, QList<QPair<QByteArray, QByteArray>>>> refused{
        {R"({"data": "x", "message": "ntfy's name"})", {{"Content-Type", "application/json"}}},
        {R"({"data": "x", "priority": 9})", {{"Content-Type", "application/json"}}},
        {"x", {{"Content-Type", "text/plain"}, {"Priority", "0"}}},
        {"x", {{"Content-Type", "text/plain"}, {"Click", "javascript:alert(1)"}}},
        {"x", {{"Content-Type", "text/plain"}, {"Tags", "a,b,c,d,e,f,g,h,i,j,k"}}},
        {R"({"data": "x", "title": "two\nlines"})", {{"Content-Type", "application/json"}}},
    };
    for (const auto &[body, headers] : refused) {
        const HttpReply reply = httpRequest("POST", url(u"/publish"_qs), body, headers);
        QCOMPARE(reply.status, 400);
        QVERIFY2(!reply.json().object().value(u"error"_qs).toString().isEmpty(), reply.body.constData());
    }
    QCOMPARE(stats().value(u"historySize"_qs).toInt(), 0);
    QCOMPARE(publishText("then one").json().object().value(u"id"_qs).toInt(), 1);
}

void tst_HttpApi::ntfysWaysToPublishReachTheTopicsStreams()
{
    QVERIFY(startService());
    SseClient *kitchen = openStream("/events?topic=kitchen&format=json");
    SseClient *hall = openStream("/events?topic=hall");

    // The examples of ntfy's documentation, against Herald.
    HttpReply reply
        = httpRequest("POST", url(u"/kitchen"_qs), "Pizza is here",
                      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Title", "Lunch"}, {"Tags", "pizza"}});
    QCOMPARE(reply.status, 200);
    QJsonObject answer = reply.json().object();
    QCOMPARE(answer.value(u"id"_qs), QJsonValue(u"1"_qs));
    QCOMPARE(answer.value(u"event"_qs), QJsonValue(u"message"_qs));
    QCOMPARE(answer.value(u"topic"_qs), QJsonValue(u"kitchen"_qs));
    QCOMPARE(answer.value(u"message"_qs), QJsonValue(u"Pizza is here"_qs));
    QCOMPARE(answer.value(u"title"_qs), QJsonValue(u"Lunch"_qs));
    QVERIFY(qAbs(answer.value(u"time"_qs).toInteger() - QDateTime::currentSecsSinceEpoch()) < 60);
    QCOMPARE(httpRequest("PUT", url(u"/kitchen"_qs), "Coffee too", {{"Priority", "high"}}).status, 200);
    QCOMPARE(httpRequest("GET", url(u"/kitchen/publish?message=Plates+are+out&tags=a,b"_qs)).status, 200);
    QCOMPARE(
        httpRequest("POST", url(u"/"_qs), R"({"topic": "kitchen", "message": "Last call", "markdown": true})").status,
        200);
    QCOMPARE(httpRequest("POST", url(u"/hall/trigger"_qs)).json().object().value(u"message"_qs),
             QJsonValue(u"triggered"_qs));

    QVERIFY(kitchen->waitForEvents(4));
    QVERIFY(hall->waitForEvents(1));
    const auto envelope = [kitchen](int i) {
        return QJsonDocument::fromJson(kitchen->events().at(i).data.toUtf8()).object();
    };
    QCOMPARE(envelope(0).value(u"data"_qs), QJsonValue(u"Pizza is here"_qs));
    QCOMPARE(envelope(0).value(u"topic"_qs), QJsonValue(u"kitchen"_qs));
    QCOMPARE(envelope(0).value(u"tags"_qs), QJsonValue(QJsonArray{u"pizza"_qs}));
    QCOMPARE(envelope(1).value(u"priority"_qs), QJsonValue(4));
    QCOMPARE(envelope(2).value(u"data"_qs), QJsonValue(u"Plates are out"_qs));
    QCOMPARE(envelope(3).value(u"markdown"_qs), QJsonValue(true));
    QCOMPARE(hall->dataOf(), QStringList{u"triggered"_qs});

    // Herald's own paths keep their answers; a topic that is one of them is refused.
    QCOMPARE(httpRequest("POST", url(u"/api"_qs), "x").status, 400);
    QCOMPARE(httpRequest("POST", url(u"/events"_qs), "x").status, 405);
    QCOMPARE(httpRequest("DELETE", url(u"/"_qs)).status, 405);
    QCOMPARE(httpRequest("GET", url(u"/kitchen"_qs)).status, 404);
    reply = httpRequest("POST", url(u"/"_qs), R"({"topic": "kitchen", "message": "x", "icon": "x.png"})");
    QCOMPARE(reply.status, 400);
    QVERIFY2(reply.error().contains(u"icon"_qs), qPrintable(reply.error()));

    // An Idempotency-Key makes a retry safe here too.
    const HttpReply first = httpRequest("PUT", url(u"/kitchen"_qs), "once", {{"Idempotency-Key", "k-1"}});
    const HttpReply retry = httpRequest("PUT", url(u"/kitchen"_qs), "once", {{"Idempotency-Key", "k-1"}});
    QCOMPARE(retry.json().object().value(u"id"_qs), first.json().object().value(u"id"_qs));
    QCOMPARE(stats().value(u"historySize"_qs).toInt(), 6);
}

void tst_HttpApi::ntfyClientsSendTheTokenTheirWay()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    QVERIFY(startService(config));
    QCOMPARE(httpRequest("PUT", url(u"/t"_qs), "x").status, 401);
    QCOMPARE(httpRequest("PUT", url(u"/t"_qs), "x", {{"Authorization", "Bearer s3cret"}}).status, 200);
    QCOMPARE(
        httpRequest("PUT", url(u"/t"_qs), "x", {{"Authorization", "Basic " + QByteArray("phil:s3cret").toBase64()}})
            .status,
        200);
    QCOMPARE(httpRequest("PUT", url(u"/t"_qs), "x", {{"Authorization", "Basic " + QByteArray("phil:guess").toBase64()}})
                 .status,
             401);
    const QByteArray auth = QByteArray("Basic " + QByteArray(":s3cret").toBase64())
                                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QCOMPARE(httpRequest("GET", url(u"/t/publish?message=x&auth="_qs + QString::fromLatin1(auth))).status, 200);
    QCOMPARE(httpRequest("GET", url(u"/t/publish?message=x&auth=bm9wZQ"_qs)).status, 401);
}

void tst_HttpApi::gotifysWayToPublishReachesEveryStream()
{
    ServiceConfig config;
    config.token = u"app-token"_qs;
    QVERIFY(startService(config));
    SseClient *json = openStream("/events?format=json");

    // Gotify's documented ways: the token as X-Gotify-Key, ?token= or Bearer; a form or JSON.
    HttpReply reply = httpRequest("POST", url(u"/message?token=app-token"_qs), "title=Backup&message=Done&priority=5",
                                  {{"Content-Type", "application/x-www-form-urlencoded"}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().object().value(u"id"_qs), QJsonValue(1));
    QCOMPARE(reply.json().object().value(u"priority"_qs), QJsonValue(5));
    QCOMPARE(httpRequest("POST", url(u"/message"_qs),
                         R"({"message": "**Disk** low", "priority": 10,
                             "extras": {"client::display": {"contentType": "text/markdown"}}})",
                         {{"Content-Type", "application/json"}, {"X-Gotify-Key", "app-token"}})
                 .status,
             200);
    QCOMPARE(httpRequest("POST", url(u"/message"_qs), R"({"message": "x"})",
                         {{"Content-Type", "application/json"}, {"Authorization", "Bearer app-token"}})
                 .status,
             200);
    QCOMPARE(
        httpRequest("POST", url(u"/message"_qs), R"({"message": "x"})", {{"Content-Type", "application/json"}}).status,
        401);
    QCOMPARE(httpRequest("POST", url(u"/message"_qs), R"({"message": "x", "priority": 11})",
                         {{"Content-Type", "application/json"}, {"X-Gotify-Key", "app-token"}})
                 .status,
             400);

    QVERIFY(json->waitForEvents(3));
    const auto envelope = [json](int i) {
        return QJsonDocument::fromJson(json->events().at(i).data.toUtf8()).object();
    };
    QCOMPARE(envelope(0).value(u"data"_qs), QJsonValue(u"Done"_qs));
    QCOMPARE(envelope(0).value(u"title"_qs), QJsonValue(u"Backup"_qs));
    QCOMPARE(envelope(0).value(u"priority"_qs), QJsonValue::Undefined); // Gotify's 5 is Herald's default
    QCOMPARE(envelope(1).value(u"priority"_qs), QJsonValue(5));
    QCOMPARE(envelope(1).value(u"markdown"_qs), QJsonValue(true));
    QCOMPARE(envelope(2).value(u"data"_qs), QJsonValue(u"x"_qs));
}

void tst_HttpApi::topicsAndTargetsDecideWhoReceives()
{
    QVERIFY(startService());
    SseClient *news = openStream("/events?topic=news&client=alice");
    SseClient *newsAndSport = openStream("/events?topic=news,sport&client=bob");
    SseClient *repeated = openStream("/events?topic=sport&topic=weather&client=carol");
    SseClient *everything = openStream("/events?client=dave");

    auto delivered = [](const HttpReply &reply) {
        return reply.json().object().value(u"delivered"_qs).toInt();
    };
    QCOMPARE(delivered(publishText("n", u"topic=news"_qs)), 3); // alice, bob, dave
    QCOMPARE(delivered(publishText("s", u"topic=sport"_qs)), 3); // bob, carol, dave
    QCOMPARE(delivered(publishText("w", u"topic=weather"_qs)), 2); // carol, dave
    QCOMPARE(delivered(publishText("x", u"topic=other"_qs)), 1); // dave
    QCOMPARE(delivered(publishText("all")), 4);
    QCOMPARE(delivered(publishText("to carol", u"to=carol"_qs)), 1);
    QCOMPARE(delivered(publishText("to nobody", u"to=zed"_qs)), 0);
    QCOMPARE(delivered(publishText("to alice about sport", u"to=alice&topic=sport"_qs)), 0);
    QCOMPARE(delivered(publishText("end")), 4);

    QVERIFY(news->waitForEvents(3));
    QVERIFY(newsAndSport->waitForEvents(4));
    QVERIFY(repeated->waitForEvents(5));
    QVERIFY(everything->waitForEvents(6));
    QTest::qWait(100); // nothing more may arrive
    QCOMPARE(news->dataOf(), (QStringList{u"n"_qs, u"all"_qs, u"end"_qs}));
    QCOMPARE(newsAndSport->dataOf(), (QStringList{u"n"_qs, u"s"_qs, u"all"_qs, u"end"_qs}));
    QCOMPARE(repeated->dataOf(), (QStringList{u"s"_qs, u"w"_qs, u"all"_qs, u"to carol"_qs, u"end"_qs}));
    QCOMPARE(everything->dataOf(), (QStringList{u"n"_qs, u"s"_qs, u"w"_qs, u"x"_qs, u"all"_qs, u"end"_qs}));
}

void tst_HttpApi::replayFromLastEventId_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QList<QByteArray>>("headers");
    QTest::newRow("header") << QByteArray("/events") << QList<QByteArray>{"Last-Event-ID: 2"};
    QTest::newRow("query") << QByteArray("/events?lastEventId=2") << QList<QByteArray>{};
    QTest::newRow("header wins over query")
        << QByteArray("/events?lastEventId=4") << QList<QByteArray>{"Last-Event-ID: 2"};
}

void tst_HttpApi::replayFromLastEventId()
{
    QFETCH(QByteArray, path);
    QFETCH(QList<QByteArray>, headers);
    QVERIFY(startService());
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(publishText(QByteArray::number(i)).status, 200);

    SseClient *client = openStream(path, headers);
    QVERIFY(client->waitForEvents(3));
    QCOMPARE(publishText("6").status, 200);
    QVERIFY(client->waitForEvents(4));
    QTest::qWait(50);
    QCOMPARE(client->dataOf(), (QStringList{u"3"_qs, u"4"_qs, u"5"_qs, u"6"_qs}));
    QVERIFY(client->dataOf(u"herald-gap"_qs).isEmpty());
}

void tst_HttpApi::noGapAndNoDuplicateWhileEventsPour()
{
    QVERIFY(startService());
    const quint16 port = m_host->port();
    const int total = 300;

    // A publisher on another thread, as fast as answers come back.
    QThread *publisher = QThread::create([port, total] {
        for (int i = 1; i <= total; ++i) {
            QTcpSocket socket;
            socket.connectToHost(QStringLiteral("127.0.0.1"), port);
            socket.waitForConnected(5000);
            const QByteArray body = QByteArray::number(i);
            socket.write("POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                         + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            QByteArray answer;
            while (!answer.contains("}") && socket.waitForReadyRead(5000))
                answer += socket.readAll();
        }
    });
    publisher->start();

    // Clients join mid-stream, each resuming from the last id it is told about.
    struct Joiner
    {
        SseClient *client;
        int resumeAfter;
    };
    QList<Joiner> joiners;
    int resumeAfter = 0;
    while (!publisher->isFinished() && joiners.size() < 25) {
        const QList<QByteArray> header{"Last-Event-ID: " + QByteArray::number(resumeAfter)};
        auto *client = new SseClient;
        m_streams.append(client);
        client->open(port, "/events", header);
        QVERIFY(client->waitForHead());
        joiners.append({client, resumeAfter});
        QTest::qWait(5);
        resumeAfter = int(stats().value(u"lastId"_qs).toDouble());
    }
    QVERIFY(publisher->wait(60000));
    delete publisher;
    QCOMPARE(stats().value(u"lastId"_qs).toInt(), total);
    QVERIFY(joiners.size() >= 2);

    for (const Joiner &joiner : std::as_const(joiners)) {
        const int expected = total - joiner.resumeAfter;
        QVERIFY2(joiner.client->waitForEvents(expected, 10000),
                 qPrintable(QStringLiteral("resumed after %1, got %2 of %3")
                                .arg(joiner.resumeAfter)
                                .arg(joiner.client->events().size())
                                .arg(expected)));
        const QStringList data = joiner.client->dataOf();
        QCOMPARE(data.size(), expected);
        for (int i = 0; i < expected; ++i)
            QCOMPARE(data.at(i).toInt(), joiner.resumeAfter + 1 + i);
    }
}

void tst_HttpApi::eventsPublishedWhileNobodyListensLeaveNoGapNorDuplicate()
{
    // With no stream, publishes are answered without waking a stream thread, which takes the
    // events later, many at once: more than it takes at once here, then a few.
    QVERIFY(startService());
    for (int i = 1; i <= 100; ++i)
        QCOMPARE(publishText(QByteArray::number(i)).status, 200);
    SseClient *resumed = openStream("/events", {"Last-Event-ID: 50"});
    QVERIFY(resumed->waitForEvents(50));
    for (int i = 101; i <= 103; ++i)
        QCOMPARE(publishText(QByteArray::number(i)).status, 200);
    QVERIFY(resumed->waitForEvents(53));
    QTest::qWait(50);
    QStringList expected;
    for (int i = 51; i <= 103; ++i)
        expected.append(QString::number(i));
    QCOMPARE(resumed->dataOf(), expected);

    // Once the last stream has gone, nobody listens again: publishes are still answered, and the
    // next stream picks up exactly after what it was given.
    m_streams.removeOne(resumed);
    delete resumed;
    QTRY_COMPARE(stats().value(u"clients"_qs).toInt(), 0);
    for (int i = 104; i <= 110; ++i)
        QCOMPARE(publishText(QByteArray::number(i)).status, 200);
    SseClient *next = openStream("/events", {"Last-Event-ID: 108"});
    QVERIFY(next->waitForEvents(2));
    QCOMPARE(publishText("111").status, 200);
    QVERIFY(next->waitForEvents(3));
    QTest::qWait(50);
    QCOMPARE(next->dataOf(), (QStringList{u"109"_qs, u"110"_qs, u"111"_qs}));
}

void tst_HttpApi::anIdOlderThanHistoryGetsAGapEvent()
{
    ServiceConfig config;
    config.history.maxEvents = 3;
    QVERIFY(startService(config));
    for (int i = 1; i <= 10; ++i)
        publishText(QByteArray::number(i));
    SseClient *client = openStream("/events", {"Last-Event-ID: 2"});
    QVERIFY(client->waitForEvents(4));
    QCOMPARE(client->events().first().type, u"herald-gap"_qs);
    QCOMPARE(client->dataOf(), (QStringList{u"8"_qs, u"9"_qs, u"10"_qs}));
    const QJsonObject gap = QJsonDocument::fromJson(client->events().first().data.toUtf8()).object();
    QCOMPARE(gap.value(u"lastEventId"_qs).toString(), u"2"_qs);
    QCOMPARE(gap.value(u"oldestRetainedId"_qs).toString(), u"8"_qs);
}

void tst_HttpApi::heartbeatsKeepTheStreamAlive()
{
    ServiceConfig config;
    config.heartbeatSeconds = 1;
    QVERIFY(startService(config));
    SseClient *client = openStream("/events");
    QTRY_VERIFY_WITH_TIMEOUT(client->parser().comments() >= 2, 10000);
    QVERIFY(client->events().isEmpty());
}

void tst_HttpApi::publishErrorsAreJson_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");

    QTest::newRow("malformed json") << QByteArray("application/json") << QByteArray("{oops") << QString() << 400;
    QTest::newRow("no data") << QByteArray("application/json") << QByteArray("{}") << QString() << 400;
    QTest::newRow("empty text") << QByteArray("text/plain") << QByteArray() << QString() << 400;
    QTest::newRow("event with CR") << QByteArray("text/plain") << QByteArray("x") << u"event=a%0Db"_qs << 400;
    QTest::newRow("topic with LF") << QByteArray("application/json") << QByteArray(R"({"data":"x","topic":"a\nb"})")
                                   << QString() << 400;
    QTest::newRow("to with NUL") << QByteArray("application/json") << QByteArray(R"({"data":"x","to":"a\u0000b"})")
                                 << QString() << 400;
    QTest::newRow("too large") << QByteArray("text/plain") << QByteArray(2048, 'x') << QString() << 413;
    QTest::newRow("other type") << QByteArray("application/xml") << QByteArray("<x/>") << QString() << 415;
    QTest::newRow("not utf-8") << QByteArray("text/plain") << QByteArray("\xc3\x28") << QString() << 400;
}

void tst_HttpApi::publishErrorsAreJson()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, query);
    QFETCH(int, status);

    ServiceConfig config;
    config.maxBodyBytes = 1024;
    QVERIFY(startService(config));
    SseClient *client = openStream("/events");
    const HttpReply reply = httpRequest("POST", url(u"/publish"_qs + (query.isEmpty() ? QString() : u"?"_qs + query)),
                                        body, {{"Content-Type", contentType}});
    QCOMPARE(reply.status, status);
    QVERIFY(reply.header("Content-Type").startsWith("application/json"));
    QVERIFY2(!reply.error().isEmpty(), reply.body.constData());
    QCOMPARE(stats().value(u"published"_qs).toInt(), 0);
    QTest::qWait(50);
    QVERIFY(client->events().isEmpty());
}

void tst_HttpApi::badStreamRequestsAreRefused_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QList<QByteArray>>("headers");
    QTest::newRow("non-numeric last id") << QByteArray("/events?lastEventId=abc") << QList<QByteArray>{};
    QTest::newRow("non-numeric header") << QByteArray("/events") << QList<QByteArray>{"Last-Event-ID: x1"};
    QTest::newRow("topic with CR") << QByteArray("/events?topic=a%0Db") << QList<QByteArray>{};
    QTest::newRow("unknown format") << QByteArray("/events?format=xml") << QList<QByteArray>{};
    QTest::newRow("negative rewind") << QByteArray("/events?rewind=-2") << QList<QByteArray>{};
    QTest::newRow("rewind not a number") << QByteArray("/events?rewind=all") << QList<QByteArray>{};
}

void tst_HttpApi::badStreamRequestsAreRefused()
{
    QFETCH(QByteArray, path);
    QFETCH(QList<QByteArray>, headers);
    QVERIFY(startService());
    auto *client = new SseClient;
    m_streams.append(client);
    client->open(m_host->port(), path, headers);
    QVERIFY(client->waitForHead());
    QCOMPARE(client->status(), 400);
    QTRY_VERIFY(client->rawBody().contains("\"error\""));
    QCOMPARE(stats().value(u"clients"_qs).toInt(), 0);
}

void tst_HttpApi::tokenProtectsPublishingAndAdmin()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    QVERIFY(startService(config));
    SseClient *client = openStream("/events?client=c1"); // streams stay open to all
    QCOMPARE(client->status(), 200);

    HttpReply reply = publishText("no token");
    QCOMPARE(reply.status, 401);
    QVERIFY(!reply.error().isEmpty());
    QVERIFY(!reply.error().contains(u"s3cret"_qs));
    QVERIFY(reply.header("WWW-Authenticate").startsWith("Bearer"));
    reply = httpRequest("POST", url(u"/publish"_qs), "wrong",
                        {{"Content-Type", "text/plain"}, {"Authorization", "Bearer s3cre"}});
    QCOMPARE(reply.status, 401);
    reply = httpRequest("POST", url(u"/publish"_qs), "right",
                        {{"Content-Type", "text/plain"}, {"Authorization", "Bearer s3cret"}});
    QCOMPARE(reply.status, 200);

    QCOMPARE(httpRequest("GET", url(u"/say"_qs)).status, 401);
    QCOMPARE(httpRequest("GET", url(u"/say?token=nope"_qs)).status, 401);
    QCOMPARE(httpRequest("GET", url(u"/say?token=s3cret"_qs)).status, 200);
    QCOMPARE(httpRequest("GET", url(u"/say"_qs), {}, {{"Authorization", "Bearer s3cret"}}).status, 200);
    QCOMPARE(httpRequest("POST", url(u"/publish?token=s3cret"_qs), "x", {{"Content-Type", "text/plain"}}).status, 401);

    QCOMPARE(httpRequest("DELETE", url(u"/api/clients/c1"_qs)).status, 401);
    QCOMPARE(httpRequest("DELETE", url(u"/api/clients/c1"_qs), {}, {{"Authorization", "Bearer s3cret"}}).status, 204);

    QVERIFY(client->waitForEvents(3));
    // Refused calls do not count towards /say's "hello <k>".
    QCOMPARE(client->dataOf(), (QStringList{u"right"_qs, u"hello 1"_qs, u"hello 2"_qs}));
}

void tst_HttpApi::sayKeepsTheDemosContract()
{
    QVERIFY(startService());
    SseClient *client = openStream("/events");
    QCOMPARE(httpRequest("GET", url(u"/say"_qs)).json().object().value(u"message"_qs).toString(), u"hello 1"_qs);
    QCOMPARE(httpRequest("GET", url(u"/say"_qs)).json().object().value(u"message"_qs).toString(), u"hello 2"_qs);
    QCOMPARE(httpRequest("GET", url(u"/say?msg=hi+there%21"_qs)).json().object().value(u"message"_qs).toString(),
             u"hi there!"_qs);
    // An image on another site's page, open in a browser on this computer, may not say
    // anything; the refusal is JSON and does not count.
    const HttpReply forged = httpRequest("GET", url(u"/say?msg=forged"_qs), {}, {{"Sec-Fetch-Site", "cross-site"}});
    QCOMPARE(forged.status, 403);
    QVERIFY(!forged.json().object().value(u"error"_qs).toString().isEmpty());
    QCOMPARE(httpRequest("GET", url(u"/say"_qs), {}, {{"Sec-Fetch-Site", "none"}})
                 .json()
                 .object()
                 .value(u"message"_qs)
                 .toString(),
             u"hello 4"_qs);
    QVERIFY(client->waitForEvents(4));
    QCOMPARE(client->dataOf(), (QStringList{u"hello 1"_qs, u"hello 2"_qs, u"hi there!"_qs, u"hello 4"_qs}));
}

void tst_HttpApi::clientsAreListed()
{
    QVERIFY(startService());
    SseClient *client = openStream("/events?client=b-42&name=Kitchen%20tablet&topic=news,sport",
                                   {"User-Agent: Mozilla/5.0 (Android 14) Chrome/120.0"});
    QCOMPARE(publishText("for all").status, 200);
    QVERIFY(client->waitForEvents(1));

    QJsonObject entry;
    QTRY_VERIFY([&] {
        const QJsonArray list = httpRequest("GET", url(u"/api/clients"_qs)).json().array();
        entry = list.isEmpty() ? QJsonObject() : list.first().toObject();
        return list.size() == 1 && entry.value(u"eventsSent"_qs).toInt() == 1;
    }());
    QCOMPARE(entry.value(u"id"_qs).toString(), u"b-42"_qs);
    QCOMPARE(entry.value(u"name"_qs).toString(), u"Kitchen tablet"_qs);
    QCOMPARE(entry.value(u"address"_qs).toString(), u"127.0.0.1"_qs);
    QCOMPARE(entry.value(u"userAgent"_qs).toString(), u"Mozilla/5.0 (Android 14) Chrome/120.0"_qs);
    QCOMPARE(entry.value(u"topics"_qs).toArray(), (QJsonArray{u"news"_qs, u"sport"_qs}));
    const QDateTime connectedAt = QDateTime::fromString(entry.value(u"connectedAt"_qs).toString(), Qt::ISODateWithMs);
    QVERIFY(connectedAt.isValid());
    QVERIFY(qAbs(connectedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(entry.value(u"lastEventId"_qs).toInt(), 1);
    // Every byte on the wire counts, the response head included.
    QCOMPARE(entry.value(u"bytesSent"_qs).toInt(), int(client->headSize() + client->rawBody().size()));
    QCOMPARE(entry.value(u"queuedBytes"_qs).toInt(), 0);
}

void tst_HttpApi::disconnectingAClientClosesItsStreamsAndTellsThePage()
{
    QVERIFY(startService());
    SseClient *disconnected = openStream("/events?client=victim");
    SseClient *other = openStream("/events?client=bystander");
    QCOMPARE(httpRequest("DELETE", url(u"/api/clients/victim"_qs)).status, 204);
    QVERIFY(disconnected->waitForClosed());
    QCOMPARE(disconnected->events().size(), 1);
    QCOMPARE(disconnected->events().first().type, u"herald-kicked"_qs);

    const QJsonArray list = httpRequest("GET", url(u"/api/clients"_qs)).json().array();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().toObject().value(u"id"_qs).toString(), u"bystander"_qs);
    const HttpReply again = httpRequest("DELETE", url(u"/api/clients/victim"_qs));
    QCOMPARE(again.status, 404);
    QVERIFY(!again.error().isEmpty());

    publishText("still here");
    QVERIFY(other->waitForEvents(1));
}

void tst_HttpApi::statsAndMetricsAgree()
{
    QVERIFY(startService());
    SseClient *a = openStream("/events");
    SseClient *b = openStream("/events");
    for (int i = 0; i < 4; ++i)
        publishText("x");
    QVERIFY(a->waitForEvents(4));
    QVERIFY(b->waitForEvents(4));

    QJsonObject figures;
    QTRY_VERIFY([&] {
        figures = stats();
        return figures.value(u"delivered"_qs).toInt() == 8;
    }());
    QCOMPARE(figures.value(u"clients"_qs).toInt(), 2);
    QCOMPARE(figures.value(u"published"_qs).toInt(), 4);
    QCOMPARE(figures.value(u"droppedClients"_qs).toInt(), 0);
    QCOMPARE(figures.value(u"historySize"_qs).toInt(), 4);
    QCOMPARE(figures.value(u"lastId"_qs).toInt(), 4);
    QVERIFY(figures.contains(u"uptimeSeconds"_qs));
    // Every byte both clients received, heads included, and still counted once one has gone.
    const double received = double(a->headSize() + a->rawBody().size() + b->headSize() + b->rawBody().size());
    QCOMPARE(figures.value(u"bytesSent"_qs).toDouble(), received);
    b->socket().abort();
    QTRY_COMPARE(stats().value(u"clients"_qs).toInt(), 1);
    QCOMPARE(stats().value(u"bytesSent"_qs).toDouble(), received);
    figures = stats();

    const HttpReply metrics = httpRequest("GET", url(u"/metrics"_qs));
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.header("Content-Type").startsWith("text/plain"));
    QHash<QByteArray, double> values;
    for (const QByteArray &line : metrics.body.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> parts = line.split(' ');
        QCOMPARE(parts.size(), 2);
        QVERIFY2(parts.first().startsWith("herald_"), line.constData());
        values.insert(parts.first(), parts.last().toDouble());
    }
    QCOMPARE(values.value("herald_clients"), 1.0);
    QCOMPARE(values.value("herald_sent_bytes_total"), received);
    QCOMPARE(values.value("herald_published_total"), 4.0);
    QCOMPARE(values.value("herald_delivered_total"), 8.0);
    QCOMPARE(values.value("herald_dropped_clients_total"), 0.0);
    QCOMPARE(values.value("herald_history_size"), 4.0);
    QCOMPARE(values.value("herald_last_id"), 4.0);
    QVERIFY(values.contains("herald_uptime_seconds"));

    const HttpReply health = httpRequest("GET", url(u"/healthz"_qs));
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body, QByteArray("ok"));
}

void tst_HttpApi::corsForStreamsAndReadOnlyEndpoints()
{
    ServiceConfig config;
    config.corsOrigin = u"https://board.example"_qs;
    QVERIFY(startService(config));
    for (const QString &path : {u"/events"_qs, u"/api/stats"_qs, u"/api/clients"_qs, u"/metrics"_qs, u"/healthz"_qs}) {
        const HttpReply preflight = httpRequest("OPTIONS", url(path), {},
                                                {{"Origin", "https://board.example"},
                                                 {"Access-Control-Request-Method", "GET"},
                                                 {"Access-Control-Request-Headers", "last-event-id"}});
        QCOMPARE(preflight.status, 204);
        QCOMPARE(preflight.header("Access-Control-Allow-Origin"), QByteArray("https://board.example"));
        QVERIFY(preflight.header("Access-Control-Allow-Headers").toLower().contains("last-event-id"));
    }
    QCOMPARE(httpRequest("GET", url(u"/api/stats"_qs)).header("Access-Control-Allow-Origin"),
             QByteArray("https://board.example"));
    SseClient *client = openStream("/events");
    QCOMPARE(client->header("Access-Control-Allow-Origin"), QByteArray("https://board.example"));
    // Publishing is not opened to other origins.
    QVERIFY(httpRequest("POST", url(u"/publish"_qs), "x", {{"Content-Type", "text/plain"}})
                .header("Access-Control-Allow-Origin")
                .isEmpty());
}

void tst_HttpApi::unknownPathsAndMethods()
{
    QVERIFY(startService());
    HttpReply reply = httpRequest("GET", url(u"/no/such/thing"_qs));
    QCOMPARE(reply.status, 404);
    QVERIFY(!reply.error().isEmpty());
    reply = httpRequest("GET", url(u"/publish"_qs));
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.header("Allow"), QByteArray("POST"));
    QVERIFY(!reply.error().isEmpty());
    reply = httpRequest("POST", url(u"/api/stats"_qs), "x");
    QCOMPARE(reply.status, 405);
    QVERIFY(!reply.error().isEmpty());
}

void tst_HttpApi::historyAndIdsSurviveARestart()
{
    QVERIFY(startService());
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(publishText(QByteArray::number(i)).status, 200);
    m_host.reset();

    QVERIFY(startService()); // same data folder
    QCOMPARE(stats().value(u"lastId"_qs).toInt(), 3);
    QCOMPARE(publishText("4").json().object().value(u"id"_qs).toInt(), 4);
    SseClient *client = openStream("/events", {"Last-Event-ID: 1"});
    QVERIFY(client->waitForEvents(3));
    QCOMPARE(client->dataOf(), (QStringList{u"2"_qs, u"3"_qs, u"4"_qs}));
}

void tst_HttpApi::publishesInFlightAtShutdownAreAnsweredIfKept()
{
    // Disk durability, so that answers wait for a sync when Herald is told to stop.
    ServiceConfig config;
    config.durability = Durability::Disk;
    QVERIFY(startService(config));
    const quint16 port = m_host->port();
    QList<int> publishers;
    const auto closeAll = qScopeGuard([&] {
        for (int fd : std::as_const(publishers))
            ::close(fd);
    });
    for (int i = 1; i <= 40; ++i) {
        const int fd = connectLoopback(port, 100);
        QVERIFY(fd >= 0);
        publishers.append(fd);
    }
    // Each publisher sends many publishes at once; the gate reads the next when the last is
    // answered, so about one per publisher is always on its way.
    for (int i = 0; i < publishers.size(); ++i) {
        QByteArray requests;
        for (int n = 0; n < 50; ++n) {
            const QByteArray body = "event " + QByteArray::number(i) + '.' + QByteArray::number(n);
            requests += "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                        "Content-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        }
        QCOMPARE(::send(publishers[i], requests.constData(), size_t(requests.size()), MSG_NOSIGNAL),
                 ssize_t(requests.size()));
    }
    QVERIFY(QTest::qWaitFor([&] { return stats().value(u"lastId"_qs).toInt() >= 200; }, 20'000));
    m_host.reset(); // with publishes on their way

    // What each publisher heard before its connection ended.
    int answered = 0;
    for (int fd : std::as_const(publishers)) {
        QByteArray responses;
        char buffer[65536];
        for (int quiet = 0; quiet < 10;) {
            const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
            if (got > 0)
                responses.append(buffer, got);
            else if (got < 0 && errno == EAGAIN)
                ++quiet;
            else
                break;
        }
        answered += int(responses.count("HTTP/1.1 200 "));
        QVERIFY2(!responses.contains("HTTP/1.1 5") || responses.contains("HTTP/1.1 503 "),
                 responses.right(300).constData());
    }

    // Every event Herald kept was answered with 200; none was kept without its publisher knowing.
    QVERIFY(startService()); // same data folder
    const int kept = stats().value(u"lastId"_qs).toInt();
    QCOMPARE(kept, answered);
}

void tst_HttpApi::aTakenPortIsAClearError()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    ServiceConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = squatter.serverPort();
    config.dataDirectory = m_dataDir->path();
    ServiceHost host;
    QString error;
    QVERIFY(!host.start(config, &error));
    QVERIFY2(error.contains(u"already in use"_qs), qPrintable(error));
    QVERIFY(error.contains(QString::number(squatter.serverPort())));
    QVERIFY(!host.isRunning());
}

void tst_HttpApi::aStalledClientIsDroppedAndOthersKeepReceiving()
{
    ServiceConfig config;
    config.streamBufferBytes = 64 * 1024;
    QVERIFY(startService(config));
    SseClient *reader = openStream("/events");

    // A client that connects and then never reads, with a small receive buffer.
    const int stalled = ::socket(AF_INET, SOCK_STREAM, 0);
    const int small = 4096;
    setsockopt(stalled, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_host->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(stalled, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    const QByteArray request = "GET /events?client=stalled HTTP/1.1\r\nHost: x\r\n\r\n";
    QCOMPARE(::write(stalled, request.constData(), size_t(request.size())), ssize_t(request.size()));
    QTRY_COMPARE(stats().value(u"clients"_qs).toInt(), 2);

    const QByteArray payload = QByteArray(16 * 1024, 'x');
    const int count = 400; // over 6 MB: more than the kernel buffers and the cap together
    for (int i = 1; i <= count; ++i) {
        const HttpReply reply = httpRequest("POST", url(u"/publish"_qs), payload, {{"Content-Type", "text/plain"}});
        QCOMPARE(reply.status, 200);
        QVERIFY(reader->waitForEvents(i)); // the healthy client keeps up
    }
    QTRY_COMPARE_WITH_TIMEOUT(stats().value(u"droppedClients"_qs).toInt(), 1, 10000);
    QVERIFY(reader->waitForEvents(count, 20000));
    QCOMPARE(reader->events().last().lastEventId, QString::number(count));
    QCOMPARE(stats().value(u"clients"_qs).toInt(), 1);
    ::close(stalled);
}

void tst_HttpApi::bytesSentOnAStreamAreIgnored()
{
    QVERIFY(startService());
    SseClient *client = openStream("/events");
    client->socket().write("GET /api/clients HTTP/1.1\r\nHost: x\r\n\r\ngarbage\x01\x02");
    QTest::qWait(100);
    publishText("still streaming");
    QVERIFY(client->waitForEvents(1));
    QCOMPARE(client->events().first().data, u"still streaming"_qs);
    QVERIFY(!client->rawBody().contains("HTTP/1.1 200"));
}

void tst_HttpApi::rewindOpensWithTheNewestEventsTheStreamMaySee()
{
    QVERIFY(startService());
    QCOMPARE(publishText("all 1").status, 200);
    QCOMPARE(publishText("news 1", u"topic=news"_qs).status, 200);
    QCOMPARE(publishText("sport 1", u"topic=sport"_qs).status, 200);
    QCOMPARE(publishText("for carol", u"to=carol"_qs).status, 200);
    QCOMPARE(publishText("news 2", u"topic=news"_qs).status, 200);
    QCOMPARE(publishText("for dave", u"to=dave"_qs).status, 200);

    // Newest first counted, oldest first sent; other topics and other clients' events left out.
    SseClient *news = openStream("/events?rewind=3&topic=news&client=carol");
    QVERIFY(news->waitForEvents(3));
    QCOMPARE(news->dataOf(), (QStringList{u"news 1"_qs, u"for carol"_qs, u"news 2"_qs}));
    SseClient *everything = openStream("/events?rewind=100&client=erin");
    QVERIFY(everything->waitForEvents(4));
    QCOMPARE(everything->dataOf(), (QStringList{u"all 1"_qs, u"news 1"_qs, u"sport 1"_qs, u"news 2"_qs}));
    SseClient *none = openStream("/events?rewind=0");

    // Then live events, with no gap and no duplicate at the seam.
    QCOMPARE(publishText("news 3", u"topic=news"_qs).status, 200);
    QVERIFY(news->waitForEvents(4));
    QVERIFY(everything->waitForEvents(5));
    QVERIFY(none->waitForEvents(1));
    QCOMPARE(news->dataOf().last(), u"news 3"_qs);
    QCOMPARE(news->dataOf().size(), 4);
    QCOMPARE(none->dataOf(), QStringList{u"news 3"_qs});

    // A last event id wins over rewind: a reloaded page resumes, it does not rewind.
    SseClient *resumed = openStream("/events?rewind=50&lastEventId=5&client=dave");
    QCOMPARE(publishText("last").status, 200);
    QVERIFY(resumed->waitForEvents(3));
    QCOMPARE(resumed->dataOf(), (QStringList{u"for dave"_qs, u"news 3"_qs, u"last"_qs}));
}

void tst_HttpApi::aRetractedEventLeavesHistoryAndEveryPageThatHadIt()
{
    QVERIFY(startService());
    SseClient *reader = openStream("/events");
    SseClient *json = openStream("/events?format=json");
    SseClient *sport = openStream("/events?topic=sport");
    QCOMPARE(publishText("one").status, 200);
    QCOMPARE(publishText("oops", u"topic=news"_qs).status, 200);
    QCOMPARE(publishText("three").status, 200);
    QVERIFY(reader->waitForEvents(3));

    const HttpReply retracted = httpRequest("DELETE", url(u"/api/events/2"_qs));
    QCOMPARE(retracted.status, 204);
    QVERIFY(reader->waitForEvents(4));
    QVERIFY(json->waitForEvents(4));
    for (SseClient *stream : {reader, json}) {
        const EventStreamParser::Event notice = stream->events().last();
        QCOMPARE(notice.type, u"herald-retract"_qs);
        QCOMPARE(QJsonDocument::fromJson(notice.data.toUtf8()).object().value(u"id"_qs).toInt(), 2);
        QCOMPARE(notice.lastEventId, u"3"_qs); // it has no id of its own
    }
    // A stream that never saw the event hears nothing about it.
    QCOMPARE(publishText("later").status, 200);
    QVERIFY(sport->waitForEvents(3));
    QCOMPARE(sport->dataOf(u"herald-retract"_qs).size(), 0);

    // Replays and rewinds leave it out.
    SseClient *replay = openStream("/events", {"Last-Event-ID: 0"});
    QVERIFY(replay->waitForEvents(3));
    QCOMPARE(replay->dataOf(), (QStringList{u"one"_qs, u"three"_qs, u"later"_qs}));
    SseClient *rewound = openStream("/events?rewind=3");
    QVERIFY(rewound->waitForEvents(3));
    QCOMPARE(rewound->dataOf(), (QStringList{u"one"_qs, u"three"_qs, u"later"_qs}));

    // Once is enough; what is not retained cannot be retracted.
    for (const QString &path : {u"/api/events/2"_qs, u"/api/events/999"_qs, u"/api/events/nope"_qs}) {
        const HttpReply reply = httpRequest("DELETE", url(path));
        QCOMPARE(reply.status, 404);
        QVERIFY(!reply.error().isEmpty());
    }
    QCOMPARE(httpRequest("GET", url(u"/api/events/1"_qs)).status, 405);
    QCOMPARE(stats().value(u"retracted"_qs).toInt(), 1);
    QCOMPARE(stats().value(u"historySize"_qs).toInt(), 3);
    QVERIFY(httpRequest("GET", url(u"/metrics"_qs)).body.contains("herald_retracted_total 1\n"));
}

void tst_HttpApi::retractionsHoldAcrossARestart()
{
    QVERIFY(startService());
    for (int i = 1; i <= 4; ++i)
        QCOMPARE(publishText(QByteArray::number(i)).status, 200);
    QCOMPARE(httpRequest("DELETE", url(u"/api/events/3"_qs)).status, 204);
    m_host.reset();

    QVERIFY(startService()); // the same data folder
    SseClient *client = openStream("/events", {"Last-Event-ID: 0"});
    QVERIFY(client->waitForEvents(3));
    QCOMPARE(client->dataOf(), (QStringList{u"1"_qs, u"2"_qs, u"4"_qs}));
    QCOMPARE(publishText("5").json().object().value(u"id"_qs).toInt(), 5); // ids go on growing
}

void tst_HttpApi::anEditReplacesTheEventWhereverItIs()
{
    QVERIFY(startService());
    SseClient *plain = openStream("/events?topic=hall");
    SseClient *other = openStream("/events?topic=kitchen");
    QCOMPARE(publishText("Doors open at 9", u"topic=hall"_qs).status, 200);
    QCOMPARE(publishText("after").status, 200);
    QVERIFY(plain->waitForEvents(2));

    HttpReply reply = httpRequest("PUT", url(u"/api/events/1"_qs),
                                  R"({"data": "Doors open at 10", "title": "Hall B", "tags": ["door"]})",
                                  {{"Content-Type", "application/json"}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().object(), (QJsonObject{{u"id"_qs, 1}, {u"revision"_qs, 1}}));

    // The streams that could see it get the new version, without moving their last id.
    QVERIFY(plain->waitForEvents(3));
    const EventStreamParser::Event &edit = plain->events().at(2);
    QCOMPARE(edit.type, u"herald-edit"_qs);
    QCOMPARE(edit.lastEventId, u"2"_qs);
    QJsonObject version = QJsonDocument::fromJson(edit.data.toUtf8()).object();
    QCOMPARE(version.value(u"id"_qs).toInt(), 1);
    QCOMPARE(version.value(u"data"_qs).toString(), u"Doors open at 10"_qs);
    QCOMPARE(version.value(u"title"_qs).toString(), u"Hall B"_qs);
    QCOMPARE(version.value(u"tags"_qs).toArray(), QJsonArray{u"door"_qs});
    QCOMPARE(version.value(u"topic"_qs).toString(), u"hall"_qs);
    QCOMPARE(version.value(u"revision"_qs).toInt(), 1);
    QTest::qWait(200);
    QVERIFY(other->dataOf(u"herald-edit"_qs).isEmpty());

    // Members left out stay as they were; a replay gives the newest version in the event's place.
    QCOMPARE(httpRequest("PUT", url(u"/api/events/1"_qs), R"({"priority": 5})").status, 200);
    SseClient *replay = openStream("/events?format=json", {"Last-Event-ID: 0"});
    QVERIFY(replay->waitForEvents(2));
    version = QJsonDocument::fromJson(replay->events().at(0).data.toUtf8()).object();
    QCOMPARE(replay->events().at(0).lastEventId, u"1"_qs);
    QCOMPARE(version.value(u"data"_qs).toString(), u"Doors open at 10"_qs);
    QCOMPARE(version.value(u"title"_qs).toString(), u"Hall B"_qs);
    QCOMPARE(version.value(u"priority"_qs).toInt(), 5);
    QCOMPARE(version.value(u"revision"_qs).toInt(), 2);
    SseClient *plainReplay = openStream("/events", {"Last-Event-ID: 0"});
    QVERIFY(plainReplay->waitForEvents(2));
    QCOMPARE(plainReplay->dataOf(), (QStringList{u"Doors open at 10"_qs, u"after"_qs}));

    // Bad edits change nothing.
    for (const QByteArray &body :
         {QByteArray(R"({"colour": "red"})"), QByteArray(R"({"priority": 9})"), QByteArray(R"({"title": "a\nb"})"),
          QByteArray(R"x({"click": "javascript:alert(1)"})x"), QByteArray(R"({"data": 5})"),
          QByteArray(R"({"data": ""})"), QByteArray("{}"), QByteArray("not json")}) {
        reply = httpRequest("PUT", url(u"/api/events/1"_qs), body);
        QCOMPARE(reply.status, 400);
        QVERIFY2(!reply.error().isEmpty(), body.constData());
    }
    QCOMPARE(httpRequest("PUT", url(u"/api/events/99"_qs), R"({"title": "x"})").status, 404);
    QCOMPARE(httpRequest("PUT", url(u"/api/events/abc"_qs), R"({"title": "x"})").status, 404);
    QCOMPARE(stats().value(u"edited"_qs).toInt(), 2);
    QVERIFY(httpRequest("GET", url(u"/metrics"_qs)).body.contains("herald_edited_total 2"));
    // A retracted event can no longer be edited.
    QCOMPARE(httpRequest("DELETE", url(u"/api/events/1"_qs)).status, 204);
    QCOMPARE(httpRequest("PUT", url(u"/api/events/1"_qs), R"({"title": "x"})").status, 404);
}

void tst_HttpApi::editsHoldAcrossARestartAndNeedTheToken()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    QVERIFY(startService(config));
    const Headers withToken{{"Content-Type", "text/plain"}, {"Authorization", "Bearer s3cret"}};
    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "first", withToken).status, 200);
    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "second", withToken).status, 200);
    QCOMPARE(httpRequest("PUT", url(u"/api/events/1"_qs), R"({"data": "edited"})").status, 401);
    QCOMPARE(httpRequest("PUT", url(u"/api/events/1"_qs), R"({"data": "edited"})",
                         {{"Origin", "http://evil.example"}, {"Authorization", "Bearer s3cret"}})
                 .status,
             403);
    QCOMPARE(httpRequest("PUT", url(u"/api/events/1"_qs), R"({"data": "edited"})", {{"Authorization", "Bearer s3cret"}})
                 .status,
             200);
    m_host.reset();

    QVERIFY(startService(config)); // the same data folder
    SseClient *client = openStream("/events", {"Last-Event-ID: 0"});
    QVERIFY(client->waitForEvents(2));
    QCOMPARE(client->dataOf(), (QStringList{u"edited"_qs, u"second"_qs}));
    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "third", withToken).json().object().value(u"id"_qs).toInt(), 3);
}

void tst_HttpApi::retractingNeedsTheTokenLikeDisconnecting()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    QVERIFY(startService(config));
    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "x",
                         {{"Content-Type", "text/plain"}, {"Authorization", "Bearer s3cret"}})
                 .status,
             200);
    QCOMPARE(httpRequest("DELETE", url(u"/api/events/1"_qs)).status, 401);
    QCOMPARE(httpRequest("DELETE", url(u"/api/events/1"_qs), {},
                         {{"Origin", "http://evil.example"}, {"Authorization", "Bearer s3cret"}})
                 .status,
             403);
    QCOMPARE(httpRequest("DELETE", url(u"/api/events/1"_qs), {}, {{"Authorization", "Bearer s3cret"}}).status, 204);
}

void tst_HttpApi::historyIsBoundedByBytes()
{
    ServiceConfig config;
    config.history = {1000, 10 * 1024};
    QVERIFY(startService(config));
    for (int i = 1; i <= 8; ++i)
        QCOMPARE(publishText(QByteArray(3 * 1024, char('a' + i))).status, 200);
    QCOMPARE(stats().value(u"historySize"_qs).toInt(), 3);
    QCOMPARE(stats().value(u"historyBytes"_qs).toInt(), 9 * 1024);
    // A client further back than that hears about the gap, then gets what is retained.
    SseClient *client = openStream("/events", {"Last-Event-ID: 2"});
    QVERIFY(client->waitForEvents(4));
    QCOMPARE(client->events().first().type, u"herald-gap"_qs);
    QCOMPARE(client->dataOf().size(), 3);
}

void tst_HttpApi::thePageLearnsItsHistoryAndWhetherItMayPublish()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    config.pageHistory = 7;
    QVERIFY(startService(config));
    const HttpReply stranger = httpRequest("GET", url(u"/"_qs));
    QCOMPARE(stranger.status, 200);
    QVERIFY(stranger.body.contains("data-page-history=\"7\""));
    QVERIFY(stranger.body.contains("data-can-publish=\"false\""));

    // The publisher link sets its cookie and sends the browser home, so the token leaves the
    // address bar.
    QCOMPARE(httpRequest("GET", url(u"/?publisher=s3cret"_qs)).status, 401); // the token itself is no publisher link
    const HttpReply link
        = httpRequest("GET", url(u"/?publisher="_qs + QString::fromLatin1(AccessPolicy::publisherKey("s3cret"))));
    QCOMPARE(link.status, 303);
    QCOMPARE(link.header("Location"), QByteArray("/"));
    // What else the link asked for stays in the address.
    const HttpReply displayLink = httpRequest(
        "GET", url(u"/?view=display&publisher="_qs + QString::fromLatin1(AccessPolicy::publisherKey("s3cret"))));
    QCOMPARE(displayLink.status, 303);
    QCOMPARE(displayLink.header("Location"), QByteArray("/?view=display"));
    const QByteArray cookie = link.header("Set-Cookie");
    QVERIFY(cookie.startsWith("herald_publisher=") && cookie.contains("HttpOnly"));
    const QByteArray sentBack = cookie.left(cookie.indexOf(';'));
    const HttpReply home = httpRequest("GET", url(u"/"_qs), {}, {{"Cookie", sentBack}});
    QVERIFY(home.body.contains("data-can-publish=\"true\""));

    // With it the page publishes, as a page of Herald's own origin does; nothing more.
    const QByteArray origin = "http://127.0.0.1:" + QByteArray::number(m_host->port());
    const HttpReply published
        = httpRequest("POST", url(u"/publish"_qs), R"({"data": "from my phone"})",
                      {{"Content-Type", "application/json"}, {"Cookie", sentBack}, {"Origin", origin}});
    QCOMPARE(published.status, 200);
    QCOMPARE(httpRequest("DELETE", url(u"/api/events/1"_qs), {}, {{"Cookie", sentBack}, {"Origin", origin}}).status,
             401);
    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "x", {{"Content-Type", "text/plain"}}).status, 401);
    QCOMPARE(httpRequest("GET", url(u"/?publisher=guess"_qs)).status, 401);
}

void tst_HttpApi::anIdempotencyKeyMakesARetrySafe()
{
    QVERIFY(startService());
    SseClient *reader = openStream("/events");
    const QList<QPair<QByteArray, QByteArray>> keyed{{"Content-Type", "text/plain"}, {"Idempotency-Key", "evt-42"}};
    const HttpReply first = httpRequest("POST", url(u"/publish"_qs), "only once", keyed);
    const HttpReply retry = httpRequest("POST", url(u"/publish"_qs), "only once", keyed);
    QCOMPARE(first.status, 200);
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.json().object().value(u"id"_qs).toInt(), first.json().object().value(u"id"_qs).toInt());
    QVERIFY(retry.json().object().value(u"duplicate"_qs).toBool());
    QVERIFY(!first.json().object().contains(u"duplicate"_qs));
    QCOMPARE(publishText("next").status, 200);
    QVERIFY(reader->waitForEvents(2));
    QCOMPARE(reader->dataOf(), (QStringList{u"only once"_qs, u"next"_qs}));
    const HttpReply tooLong = httpRequest("POST", url(u"/publish"_qs), "x",
                                          {{"Content-Type", "text/plain"}, {"Idempotency-Key", QByteArray(201, 'k')}});
    QCOMPARE(tooLong.status, 400);
    QVERIFY(tooLong.error().contains(u"Idempotency-Key"_qs));
}

void tst_HttpApi::aCatchUpLargerThanTheClientBufferArrivesWhole_data()
{
    QTest::addColumn<QByteArray>("pathAndQuery");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("firstId");
    // What Herald's own page asks for (a rewind takes what fits in one client buffer, here 17 of
    // the 20), and a browser resuming after the first event (a catch-up takes everything).
    QTest::newRow("rewind, json") << QByteArray("/events?rewind=20&format=json") << QByteArray() << 20 - 1024 / 60 + 1;
    QTest::newRow("Last-Event-ID") << QByteArray("/events") << QByteArray("Last-Event-ID: 1\r\n") << 2;
}

void tst_HttpApi::aCatchUpLargerThanTheClientBufferArrivesWhole()
{
    QFETCH(QByteArray, pathAndQuery);
    QFETCH(QByteArray, header);
    QFETCH(int, firstId);
    // The defaults: a 1 MiB client buffer, and history far larger than it.
    ServiceConfig config;
    config.history.maxBytes = 64 * 1024 * 1024;
    QVERIFY(startService(config));
    const QByteArray payload(60 * 1024, 'x');
    for (int i = 1; i <= 20; ++i)
        QCOMPARE(postInOneWrite(m_host->port(), "/publish", "text/plain", payload).status, 200);

    const int fd = openSlowStream(m_host->port(), pathAndQuery, header);
    QVERIFY(fd >= 0);
    const auto closeStream = qScopeGuard([fd] { ::close(fd); });
    QByteArray raw;
    const QList<EventStreamParser::Event> events = readEvents(fd, 20 - firstId + 1, &raw);
    QVERIFY2(raw.startsWith("HTTP/1.1 200"), raw.left(200).constData());
    QCOMPARE(events.size(), 20 - firstId + 1);
    for (int i = 0; i < events.size(); ++i)
        QCOMPARE(events.at(i).lastEventId, QString::number(firstId + i));
    QCOMPARE(stats().value(u"droppedClients"_qs).toInt(), 0);
}

void tst_HttpApi::aSlowReaderGetsALongCatchUpThenLiveEvents()
{
    // 60 MB of history, sixty times the client buffer, taken by a reader that stops reading
    // while live events come in. It gets all of it in order, then the live events, with no gap
    // and no duplicate at the seam, and is never dropped: only what piles up live counts.
    ServiceConfig config;
    config.history.maxBytes = 64 * 1024 * 1024;
    QVERIFY(startService(config));
    const int retained = 1000;
    const QByteArray payload(60 * 1000, 'y');
    for (int i = 1; i <= retained; ++i)
        QCOMPARE(postInOneWrite(m_host->port(), "/publish", "text/plain", payload + QByteArray::number(i)).status, 200);

    const int fd = openSlowStream(m_host->port(), "/events?lastEventId=0");
    QVERIFY(fd >= 0);
    const auto closeStream = qScopeGuard([fd] { ::close(fd); });
    QTRY_COMPARE(stats().value(u"clients"_qs).toInt(), 1);
    const int live = 5;
    for (int i = 1; i <= live; ++i)
        QCOMPARE(publishText("live " + QByteArray::number(i)).status, 200);

    QByteArray raw;
    const QList<EventStreamParser::Event> events = readEvents(fd, retained + live, &raw);
    QCOMPARE(events.size(), retained + live);
    for (int i = 0; i < retained; ++i) {
        QCOMPARE(events.at(i).lastEventId, QString::number(i + 1));
        QCOMPARE(events.at(i).data.size(), payload.size() + QByteArray::number(i + 1).size());
    }
    for (int i = 0; i < live; ++i) {
        QCOMPARE(events.at(retained + i).lastEventId, QString::number(retained + i + 1));
        QCOMPARE(events.at(retained + i).data, QStringLiteral("live %1").arg(i + 1));
    }
    QCOMPARE(stats().value(u"droppedClients"_qs).toInt(), 0);
    // Nothing more is owed to it.
    QTRY_COMPARE(httpRequest("GET", url(u"/api/clients"_qs)).json().array().first()[u"queuedBytes"_qs].toInt(), 0);
}

void tst_HttpApi::aRewindIsBoundedByTheClientBuffer()
{
    // The page shows what fits in one client buffer of the newest messages, not 20 of any size.
    ServiceConfig config;
    config.streamBufferBytes = 1024 * 1024;
    config.maxBodyBytes = 2 * 1024 * 1024;
    QVERIFY(startService(config));
    const int eventSize = 100 * 1000;
    for (int i = 1; i <= 30; ++i)
        QCOMPARE(postInOneWrite(m_host->port(), "/publish", "text/plain", QByteArray(eventSize, 'z')).status, 200);
    const int fits = int(config.streamBufferBytes / eventSize);
    SseClient *page = openStream("/events?rewind=20");
    QVERIFY(page->waitForEvents(fits));
    QTest::qWait(200);
    QCOMPARE(page->events().size(), fits);
    QCOMPARE(page->events().first().lastEventId, QString::number(30 - fits + 1));
    QCOMPARE(page->events().last().lastEventId, u"30"_qs);
    m_streams.removeOne(page);
    delete page;
    QTRY_COMPARE(stats().value(u"clients"_qs).toInt(), 0);

    // The newest event always shows, even when it alone is larger than the buffer.
    const QByteArray large(1536 * 1024, 'w');
    QCOMPARE(postInOneWrite(m_host->port(), "/publish", "text/plain", large).status, 200);
    SseClient *later = openStream("/events?rewind=20");
    QVERIFY(later->waitForEvents(1));
    QTest::qWait(200);
    QCOMPARE(later->events().size(), 1);
    QCOMPARE(later->events().first().lastEventId, u"31"_qs);
    QCOMPARE(later->events().first().data.size(), large.size());
}

QTEST_GUILESS_MAIN(tst_HttpApi)
#include "tst_httpapi.moc"
