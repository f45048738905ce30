#include "httpclient.h"
#include "servicehost.h"
#include "servicestart.h"
#include "sseclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/// ntfy's subscribe protocol over real sockets against a running service, as the README's ntfy
/// section documents it: /<topic>/json, /sse and /raw as streams of the same fan-out.
class tst_NtfyStreams : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void eachFormatReadsItsTopicsMessagesLive();
    void keepalivesNameTheStreamsTopics();
    void sinceAndPollReadWhatIsRetained();
    void anEventSourceComesBackWhereItStopped();
    void filtersApplyLiveAndToWhatIsRetained();
    void aRetractionIsNtfysMessageDelete();
    void ntfyStreamsAreClientsLikeAnyOther();
    void aPrivateHeraldsTopicsNeedATokenAsNtfyClientsSendIt();
    void maxClientsAndTheSlowReaderLimitHoldForThem();

private:
    /// Publishes \a text to \a topic as ntfy's clients do, with \a headers; the event's id.
    quint64 publish(const QString &topic, const QByteArray &text,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
    SseClient *openStream(const QByteArray &pathAndQuery, const QList<QByteArray> &headers = {});
    QJsonObject stats();

    std::unique_ptr<LoopbackService> m_service;
    QList<SseClient *> m_streams;
};

namespace {

/// The JSON objects of an ntfy JSON stream's body, one a line.
QList<QJsonObject> linesOf(const QByteArray &body)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : body.split('\n')) {
        if (!line.isEmpty())
            objects.append(QJsonDocument::fromJson(line).object());
    }
    return objects;
}

/// The objects of \a objects whose event is \a kind.
QList<QJsonObject> ofKind(const QList<QJsonObject> &objects, const QString &kind)
{
    QList<QJsonObject> found;
    for (const QJsonObject &object : objects) {
        if (object.value(u"event").toString() == kind)
            found.append(object);
    }
    return found;
}

QStringList messagesOf(const QList<QJsonObject> &objects)
{
    QStringList texts;
    for (const QJsonObject &object : ofKind(objects, u"message"_qs))
        texts.append(object.value(u"message").toString());
    return texts;
}

} // namespace

void tst_NtfyStreams::init()
{
    m_service = std::make_unique<LoopbackService>();
}

void tst_NtfyStreams::cleanup()
{
    qDeleteAll(m_streams);
    m_streams.clear();
    m_service.reset();
}

quint64 tst_NtfyStreams::publish(const QString &topic, const QByteArray &text,
                                 const QList<QPair<QByteArray, QByteArray>> &headers)
{
    const HttpReply reply = httpRequest("POST", m_service->url(u"/"_qs + topic), text, headers);
    if (reply.status != 200)
        qWarning() << "publish refused:" << reply.status << reply.body;
    return reply.json().object().value(u"id").toString().toULongLong();
}

SseClient *tst_NtfyStreams::openStream(const QByteArray &pathAndQuery, const QList<QByteArray> &headers)
{
    auto *client = new SseClient;
    m_streams.append(client);
    client->open(m_service->port(), pathAndQuery, headers);
    if (!client->waitForHead())
        qWarning() << "no answer on" << pathAndQuery;
    return client;
}

QJsonObject tst_NtfyStreams::stats()
{
    return httpRequest("GET", m_service->url(u"/api/stats"_qs)).json().object();
}

void tst_NtfyStreams::eachFormatReadsItsTopicsMessagesLive()
{
    QVERIFY(m_service->start());
    SseClient *json = openStream("/kitchen,hall/json");
    SseClient *sse = openStream("/kitchen/sse");
    SseClient *raw = openStream("/kitchen/raw");
    QCOMPARE(json->status(), 200);
    QCOMPARE(json->header("Content-Type"), QByteArray("application/x-ndjson; charset=utf-8"));
    QCOMPARE(sse->header("Content-Type"), QByteArray("text/event-stream; charset=utf-8"));
    QCOMPARE(raw->header("Content-Type"), QByteArray("text/plain; charset=utf-8"));

    // Each opens with ntfy's "open" event naming its topics.
    QTRY_VERIFY(!json->rawBody().isEmpty());
    const QJsonObject open = linesOf(json->rawBody()).first();
    QCOMPARE(open.value(u"event").toString(), u"open"_qs);
    QCOMPARE(open.value(u"topic").toString(), u"kitchen,hall"_qs);
    QVERIFY(!open.value(u"id").toString().isEmpty());
    QVERIFY(sse->waitForEvents(1));
    QCOMPARE(sse->events().first().type, u"open"_qs);

    // Only the events of their topics, for everyone, reach them: not a broadcast to every page,
    // not an event for one client.
    QCOMPARE(
        httpRequest("POST", m_service->url(u"/publish"_qs), "to every page", {{"Content-Type", "text/plain"}}).status,
        200);
    QCOMPARE(httpRequest("POST", m_service->url(u"/publish?topic=kitchen&to=tv-1"_qs), "to one",
                         {{"Content-Type", "text/plain"}})
                 .status,
             200);
    const quint64 lunch = publish(u"kitchen"_qs, "Pizza\nis here",
                                  {{"Title", "Lunch"},
                                   {"Priority", "high"},
                                   {"Tags", "pizza,tada"},
                                   {"Markdown", "yes"},
                                   {"Click", "https://example.org/menu"}});
    const quint64 hall = publish(u"hall"_qs, "Doors open");
    QVERIFY(lunch > 0 && hall > lunch);

    QTRY_COMPARE(messagesOf(linesOf(json->rawBody())), (QStringList{u"Pizza\nis here"_qs, u"Doors open"_qs}));
    const QJsonObject message = ofKind(linesOf(json->rawBody()), u"message"_qs).first();
    QCOMPARE(message.value(u"id").toString(), QString::number(lunch));
    QCOMPARE(message.value(u"topic").toString(), u"kitchen"_qs);
    QCOMPARE(message.value(u"title").toString(), u"Lunch"_qs);
    QCOMPARE(message.value(u"priority").toInt(), 4);
    QCOMPARE(message.value(u"tags").toArray(), (QJsonArray{u"pizza"_qs, u"tada"_qs}));
    QCOMPARE(message.value(u"click").toString(), u"https://example.org/menu"_qs);
    QCOMPARE(message.value(u"content_type").toString(), u"text/markdown"_qs);
    QVERIFY(qAbs(message.value(u"time").toInteger() - QDateTime::currentSecsSinceEpoch()) < 60);

    QVERIFY(sse->waitForEvents(2));
    QCOMPARE(sse->events().size(), 2);
    QCOMPARE(sse->events().at(1).type, u"message"_qs);
    QCOMPARE(sse->events().at(1).lastEventId, QString::number(lunch));
    QCOMPARE(QJsonDocument::fromJson(sse->events().at(1).data.toUtf8()).object(), message);

    QTRY_COMPARE(raw->rawBody(), QByteArray("\nPizza is here\n"));
    // A delivery counts once per stream that took it: the three here.
    QCOMPARE(stats().value(u"clients"_qs).toInt(), 3);
}

void tst_NtfyStreams::keepalivesNameTheStreamsTopics()
{
    ServiceConfig config;
    config.heartbeatSeconds = 1;
    QVERIFY(m_service->start(config));
    SseClient *json = openStream("/a,b/json");
    SseClient *raw = openStream("/a/raw");
    SseClient *page = openStream("/events?topic=a");
    QTRY_VERIFY_WITH_TIMEOUT(ofKind(linesOf(json->rawBody()), u"keepalive"_qs).size() >= 2, 5000);
    const QList<QJsonObject> keepalives = ofKind(linesOf(json->rawBody()), u"keepalive"_qs);
    QCOMPARE(keepalives.first().value(u"topic").toString(), u"a,b"_qs);
    QVERIFY(keepalives.first().value(u"id").toString() != keepalives.last().value(u"id").toString());
    QVERIFY(keepalives.last().value(u"time").toInteger() >= keepalives.first().value(u"time").toInteger());
    // Raw: an empty line each; Herald's own streams keep their comment.
    QTRY_VERIFY(raw->rawBody().startsWith("\n\n\n"));
    QTRY_VERIFY(page->parser().comments() >= 2);
    QVERIFY(!page->rawBody().contains("keepalive"));
}

void tst_NtfyStreams::sinceAndPollReadWhatIsRetained()
{
    QVERIFY(m_service->start());
    const quint64 first = publish(u"t"_qs, "one");
    publish(u"other"_qs, "elsewhere");
    const quint64 second = publish(u"t"_qs, "two");
    publish(u"t"_qs, "three");

    // poll=1 reads everything retained and ends, without an open event.
    SseClient *poll = openStream("/t/json?poll=1");
    QVERIFY(poll->waitForClosed());
    QCOMPARE(messagesOf(linesOf(poll->rawBody())), (QStringList{u"one"_qs, u"two"_qs, u"three"_qs}));
    QVERIFY(ofKind(linesOf(poll->rawBody()), u"open"_qs).isEmpty());

    const auto polled = [this](const QByteArray &query) {
        SseClient *client = openStream("/t/json?poll=1&" + query);
        if (!client->waitForClosed())
            return QStringList{u"(still open)"_qs};
        return messagesOf(linesOf(client->rawBody()));
    };
    QCOMPARE(polled("since=all"), (QStringList{u"one"_qs, u"two"_qs, u"three"_qs}));
    QCOMPARE(polled("since=latest"), QStringList{u"three"_qs});
    QCOMPARE(polled("since=" + QByteArray::number(first)), (QStringList{u"two"_qs, u"three"_qs}));
    QCOMPARE(polled("since=" + QByteArray::number(second)), QStringList{u"three"_qs});
    QCOMPARE(polled("since=10m"), (QStringList{u"one"_qs, u"two"_qs, u"three"_qs}));
    QCOMPARE(polled("since=" + QByteArray::number(QDateTime::currentSecsSinceEpoch() - 600)),
             (QStringList{u"one"_qs, u"two"_qs, u"three"_qs}));
    QCOMPARE(polled("since=" + QByteArray::number(QDateTime::currentSecsSinceEpoch() + 600)), QStringList());
    QCOMPARE(stats().value(u"clients"_qs).toInt(), 0); // every poll has ended

    // A live stream with since= catches up, then goes on live with no gap and no duplicate.
    SseClient *live = openStream("/t/raw?since=" + QByteArray::number(first));
    QTRY_COMPARE(live->rawBody(), QByteArray("\ntwo\nthree\n"));
    publish(u"t"_qs, "four");
    QTRY_COMPARE(live->rawBody(), QByteArray("\ntwo\nthree\nfour\n"));
    QVERIFY(!live->isClosed());
}

void tst_NtfyStreams::anEventSourceComesBackWhereItStopped()
{
    QVERIFY(m_service->start());
    const quint64 first = publish(u"t"_qs, "one");
    publish(u"t"_qs, "two");
    SseClient *back = openStream("/t/sse", {"Last-Event-ID: " + QByteArray::number(first)});
    QVERIFY(back->waitForEvents(2));
    QCOMPARE(back->events().at(0).type, u"open"_qs);
    QCOMPARE(QJsonDocument::fromJson(back->events().at(1).data.toUtf8()).object().value(u"message").toString(),
             u"two"_qs);
}

void tst_NtfyStreams::filtersApplyLiveAndToWhatIsRetained()
{
    QVERIFY(m_service->start());
    publish(u"alerts"_qs, "disk full", {{"Priority", "urgent"}, {"Tags", "warning,skull"}});
    publish(u"alerts"_qs, "backup done", {{"Tags", "tada"}});
    SseClient *urgent = openStream("/alerts/json?since=all&priority=4,5");
    SseClient *tagged = openStream("/alerts/json?since=all&tags=warning");
    SseClient *titled = openStream("/alerts/json?title=Door");

    QTRY_COMPARE(messagesOf(linesOf(urgent->rawBody())), QStringList{u"disk full"_qs});
    QTRY_COMPARE(messagesOf(linesOf(tagged->rawBody())), QStringList{u"disk full"_qs});

    // The publish answer counts the streams an event reached: the filters decide.
    const HttpReply reply = httpRequest("POST", m_service->url(u"/publish?topic=alerts"_qs),
                                        R"({"data": "door open", "title": "Door", "priority": 5})",
                                        {{"Content-Type", "application/json"}});
    QCOMPARE(reply.json().object().value(u"delivered").toInt(), 2); // urgent and titled
    publish(u"alerts"_qs, "all quiet");
    QTRY_COMPARE(messagesOf(linesOf(urgent->rawBody())), (QStringList{u"disk full"_qs, u"door open"_qs}));
    QTRY_COMPARE(messagesOf(linesOf(titled->rawBody())), QStringList{u"door open"_qs});
    QCOMPARE(messagesOf(linesOf(tagged->rawBody())), QStringList{u"disk full"_qs});
}

void tst_NtfyStreams::aRetractionIsNtfysMessageDelete()
{
    QVERIFY(m_service->start());
    SseClient *json = openStream("/t/json");
    SseClient *sse = openStream("/t/sse");
    const quint64 id = publish(u"t"_qs, "oops");
    QTRY_COMPARE(messagesOf(linesOf(json->rawBody())), QStringList{u"oops"_qs});
    QCOMPARE(httpRequest("DELETE", m_service->url(u"/api/events/%1"_qs.arg(id))).status, 204);
    QTRY_COMPARE(ofKind(linesOf(json->rawBody()), u"message_delete"_qs).size(), 1);
    const QJsonObject deleted = ofKind(linesOf(json->rawBody()), u"message_delete"_qs).first();
    QCOMPARE(deleted.value(u"sequence_id").toString(), QString::number(id));
    QCOMPARE(deleted.value(u"topic").toString(), u"t"_qs);
    QVERIFY(sse->waitForEvents(3));
    QCOMPARE(sse->events().at(2).type, u"message_delete"_qs);
    QCOMPARE(sse->events().at(2).lastEventId, QString::number(id)); // it did not move the last id
    // A poll no longer has it.
    SseClient *poll = openStream("/t/json?poll=1");
    QVERIFY(poll->waitForClosed());
    QCOMPARE(messagesOf(linesOf(poll->rawBody())), QStringList());
}

void tst_NtfyStreams::ntfyStreamsAreClientsLikeAnyOther()
{
    QVERIFY(m_service->start());
    openStream("/t/json", {"User-Agent: ntfy/1.16.0"});
    openStream("/events?client=page-1");
    QTRY_COMPARE(stats().value(u"clients"_qs).toInt(), 2);
    const QJsonArray clients = httpRequest("GET", m_service->url(u"/api/clients"_qs)).json().array();
    QCOMPARE(clients.size(), 2);
    QJsonObject ntfyClient;
    for (const QJsonValue client : clients) {
        if (client.toObject().value(u"userAgent").toString().startsWith(u"ntfy"))
            ntfyClient = client.toObject();
    }
    QCOMPARE(ntfyClient.value(u"topics").toArray(), QJsonArray{u"t"_qs});
    publish(u"t"_qs, "counted");
    // Both took it: the page reads every topic, having asked for none.
    QTRY_COMPARE(stats().value(u"delivered"_qs).toInt(), 2);
}

void tst_NtfyStreams::aPrivateHeraldsTopicsNeedATokenAsNtfyClientsSendIt()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    config.readToken = u"r3ad"_qs;
    config.privateStreams = true;
    QVERIFY(m_service->start(config));
    SseClient *refused = openStream("/t/json");
    QCOMPARE(refused->status(), 401);
    QVERIFY(refused->waitForClosed());

    const QByteArray auth = QByteArray("Basic " + QByteArray(":r3ad").toBase64())
                                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    for (const auto &[path, headers] : std::initializer_list<std::pair<QByteArray, QList<QByteArray>>>{
             {"/t/json", {"Authorization: Bearer r3ad"}},
             {"/t/json", {"Authorization: Basic " + QByteArray("phone:s3cret").toBase64()}},
             {"/t/json?auth=" + auth, {}},
             {"/t/json?token=r3ad", {}}}) {
        SseClient *admitted = openStream(path, headers);
        QCOMPARE(admitted->status(), 200);
    }
    SseClient *wrong = openStream("/t/json", {"Authorization: Bearer guess"});
    QCOMPARE(wrong->status(), 401);
}

void tst_NtfyStreams::maxClientsAndTheSlowReaderLimitHoldForThem()
{
    ServiceConfig config;
    config.maxStreams = 2;
    config.streamBufferBytes = 64 * 1024;
    QVERIFY(m_service->start(config));
    SseClient *reader = openStream("/t/raw");

    // A subscriber that never reads, with a small receive buffer.
    const int stalled = connectLoopback(m_service->port(), 0, 4096);
    QVERIFY(stalled >= 0);
    const QByteArray request = "GET /t/json HTTP/1.1\r\nHost: x\r\n\r\n";
    QCOMPARE(::write(stalled, request.constData(), size_t(request.size())), ssize_t(request.size()));
    QTRY_COMPARE(stats().value(u"clients"_qs).toInt(), 2);
    SseClient *third = openStream("/t/sse");
    QCOMPARE(third->status(), 503);

    const QByteArray payload(16 * 1024, 'x');
    for (int i = 0; i < 400; ++i) // over 6 MB: more than the kernel buffers and the cap together
        QVERIFY(publish(u"t"_qs, payload) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(stats().value(u"droppedClients"_qs).toInt(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(reader->rawBody().count('\n'), 401, 20000); // its open line and every message
    ::close(stalled);
}

QTEST_MAIN(tst_NtfyStreams)
#include "tst_ntfystreams.moc"
