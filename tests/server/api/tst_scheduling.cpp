#include "filesizelimit.h"
#include "httpclient.h"
#include "servicehost.h"
#include "servicestart.h"
#include "sseclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

/// Scheduled messages over real sockets against a running service, as the README's "Scheduled
/// messages" section documents them: answered at once with the schedule, sent once at their time in
/// the id order of that moment, kept across restarts, listed, cancelled and changed.
class tst_Scheduling : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void aDelayedPublishIsAnsweredAtOnceAndGoesOutAtItsTime();
    void ntfysHeadersAndJsonScheduleToo();
    void aTimeOutOfBoundsOrNoTimeIsRefused();
    void aCancelledMessageNeverGoesOut();
    void aChangeGivesNewWordsAndANewTime();
    void aRestartBeforeTheTimeSendsItOnceAtItsTime();
    void aRestartAfterTheTimeSendsItAtOnceOnce();
    void aStopBetweenItsPublishAndTheScheduleChangingMakesNoSecondEvent();
    void whoMaySeeAndChangeTheSchedule();
    void aScheduleThatCannotBeWrittenIsRefused();

private:
    bool startService(ServiceConfig config = {});
    /// The messages of \a topic that Herald retains, as ntfy's poll gives them, oldest first.
    QList<QJsonObject> retained(const QString &topic);
    QJsonArray scheduled() { return httpRequest("GET", m_service->url(u"/api/scheduled"_qs)).json().array(); }
    QString scheduledFile() const { return m_service->dataPath(u"scheduled.json"_qs); }

    std::unique_ptr<LoopbackService> m_service;
};

void tst_Scheduling::init()
{
    m_service = std::make_unique<LoopbackService>();
}

void tst_Scheduling::cleanup()
{
    m_service.reset();
}

bool tst_Scheduling::startService(ServiceConfig config)
{
    if (config.minimumDelayMs == ServiceConfig().minimumDelayMs)
        config.minimumDelayMs = 500; // so that "1s" is a schedule here
    return m_service->start(config);
}

QList<QJsonObject> tst_Scheduling::retained(const QString &topic)
{
    QList<QJsonObject> messages;
    for (const QByteArray &line :
         httpRequest("GET", m_service->url(u"/"_qs + topic + u"/json?poll=1"_qs)).body.split('\n')) {
        if (!line.isEmpty())
            messages.append(QJsonDocument::fromJson(line).object());
    }
    return messages;
}

void tst_Scheduling::aDelayedPublishIsAnsweredAtOnceAndGoesOutAtItsTime()
{
    QVERIFY(startService());
    auto stream = std::make_unique<SseClient>();
    stream->open(m_service->port(), "/events?format=json");
    QVERIFY(stream->waitForHead());

    const qint64 before = QDateTime::currentSecsSinceEpoch();
    const HttpReply reply = httpRequest("POST", m_service->url(u"/publish?topic=lobby"_qs), "Doors open",
                                        {{"Content-Type", "text/plain"}, {"Delay", "2s"}, {"Title", "Soon"}});
    QCOMPARE(reply.status, 200);
    const QJsonObject answer = reply.json().object();
    const QString schedule = answer.value(u"schedule").toString();
    QCOMPARE(schedule.size(), 16);
    QVERIFY(!answer.contains(u"id"));
    QVERIFY(qAbs(answer.value(u"scheduled").toInteger() - (before + 2)) <= 1);

    // It waits, listed; a message sent meanwhile goes out first and takes the next id.
    const QJsonArray waiting = scheduled();
    QCOMPARE(waiting.size(), 1);
    QCOMPARE(waiting.at(0).toObject().value(u"id").toString(), schedule);
    QCOMPARE(waiting.at(0).toObject().value(u"data").toString(), u"Doors open"_qs);
    QCOMPARE(waiting.at(0).toObject().value(u"topic").toString(), u"lobby"_qs);
    QCOMPARE(waiting.at(0).toObject().value(u"title").toString(), u"Soon"_qs);
    QCOMPARE(waiting.at(0).toObject().value(u"scheduled"), answer.value(u"scheduled"));
    const HttpReply now = httpRequest("POST", m_service->url(u"/publish?topic=lobby"_qs), "Meanwhile",
                                      {{"Content-Type", "text/plain"}});
    QCOMPARE(now.status, 200);
    QVERIFY(stream->waitForEvents(1));
    QTest::qWait(500);
    QCOMPARE(stream->events().size(), 1); // not yet

    QVERIFY(stream->waitForEvents(2, 10'000));
    QVERIFY(QDateTime::currentSecsSinceEpoch() >= answer.value(u"scheduled").toInteger());
    const auto &events = stream->events();
    const QJsonObject sent = QJsonDocument::fromJson(events.at(1).data.toUtf8()).object();
    QCOMPARE(sent.value(u"data").toString(), u"Doors open"_qs);
    QCOMPARE(sent.value(u"title").toString(), u"Soon"_qs);
    QCOMPARE(events.at(1).lastEventId.toULongLong(), now.json().object().value(u"id").toInteger() + 1);
    QTRY_VERIFY(scheduled().isEmpty());
    QTest::qWait(300);
    QCOMPARE(stream->events().size(), 2); // once
}

void tst_Scheduling::ntfysHeadersAndJsonScheduleToo()
{
    QVERIFY(startService());
    const HttpReply header = httpRequest("PUT", m_service->url(u"/hall"_qs), "From a header", {{"X-In", "1s"}});
    QCOMPARE(header.status, 200);
    const QJsonObject ntfy = header.json().object();
    QCOMPARE(ntfy.value(u"id").toString().size(), 16); // the schedule's, as ntfy answers
    QCOMPARE(ntfy.value(u"message").toString(), u"From a header"_qs);
    QVERIFY(ntfy.value(u"time").toInteger() >= QDateTime::currentSecsSinceEpoch());
    QCOMPARE(httpRequest("GET", m_service->url(u"/hall/publish?message=From+the+query&delay=1s"_qs)).status, 200);
    QCOMPARE(httpRequest("POST", m_service->url(u"/"_qs),
                         "{\"topic\": \"hall\", \"message\": \"From ntfy's JSON\", \"delay\": \"1s\"}")
                 .status,
             200);
    QCOMPARE(httpRequest("POST", m_service->url(u"/publish"_qs),
                         R"({"topic": "hall", "data": "From JSON", "delay": "1s"})",
                         {{"Content-Type", "application/json"}})
                 .status,
             200);
    QCOMPARE(scheduled().size(), 4);
    QVERIFY(retained(u"hall"_qs).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(retained(u"hall"_qs).size(), 4, 10'000);
    QStringList texts;
    for (const QJsonObject &message : retained(u"hall"_qs))
        texts.append(message.value(u"message").toString());
    texts.sort();
    QCOMPARE(texts, (QStringList{u"From JSON"_qs, u"From a header"_qs, u"From ntfy's JSON"_qs, u"From the query"_qs}));
}

void tst_Scheduling::aTimeOutOfBoundsOrNoTimeIsRefused()
{
    ServiceConfig config;
    config.minimumDelayMs = 10'000; // as Herald runs
    QVERIFY(m_service->start(config));
    for (const auto &[delay, named] : {std::pair{"5s", "10 seconds"}, std::pair{"4d", "3 days"},
                                       std::pair{"soon", "a duration"}, std::pair{"25:00", "a duration"}}) {
        const HttpReply reply = httpRequest("POST", m_service->url(u"/publish"_qs), "x",
                                            {{"Content-Type", "text/plain"}, {"X-Delay", delay}});
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.error().contains(QLatin1String(named)), qPrintable(reply.error()));
    }
    const HttpReply number = httpRequest("POST", m_service->url(u"/publish"_qs), R"({"data": "x", "delay": 600})",
                                         {{"Content-Type", "application/json"}});
    QCOMPARE(number.status, 400);
    QVERIFY2(number.error().contains(u"delay"_qs), qPrintable(number.error()));
    // The shortest delay is taken, however long reading it took.
    const HttpReply shortest = httpRequest("POST", m_service->url(u"/publish"_qs), "x",
                                           {{"Content-Type", "text/plain"}, {"X-Delay", "10s"}});
    QCOMPARE(shortest.status, 200);
    QCOMPARE(scheduled().size(), 1);
    QVERIFY(retained(u"x"_qs).isEmpty());

    // Less than 10 seconds before its time, its words may still change, its time no more.
    QTest::qWait(1500);
    const QString id = shortest.json().object().value(u"schedule"_qs).toString();
    const HttpReply words = httpRequest("PUT", m_service->url(u"/api/scheduled/"_qs + id), R"({"data": "y"})");
    QCOMPARE(words.status, 200);
    QCOMPARE(words.json().object().value(u"data"_qs).toString(), u"y"_qs);
    const HttpReply sooner = httpRequest("PUT", m_service->url(u"/api/scheduled/"_qs + id), R"({"delay": "5s"})");
    QCOMPARE(sooner.status, 400);
    QVERIFY2(sooner.error().contains(u"10 seconds"_qs), qPrintable(sooner.error()));
}

void tst_Scheduling::aCancelledMessageNeverGoesOut()
{
    QVERIFY(startService());
    const HttpReply reply = httpRequest("PUT", m_service->url(u"/t"_qs), "never", {{"Delay", "1s"}});
    const QString id = reply.json().object().value(u"id").toString();
    QCOMPARE(httpRequest("DELETE", m_service->url(u"/api/scheduled/"_qs + id)).status, 204);
    const HttpReply again = httpRequest("DELETE", m_service->url(u"/api/scheduled/"_qs + id));
    QCOMPARE(again.status, 404);
    QVERIFY(!again.error().isEmpty());
    QCOMPARE(httpRequest("PUT", m_service->url(u"/api/scheduled/"_qs + id), R"({"data": "x"})").status, 404);
    QVERIFY(scheduled().isEmpty());
    QTest::qWait(1500);
    QVERIFY(retained(u"t"_qs).isEmpty());
}

void tst_Scheduling::aChangeGivesNewWordsAndANewTime()
{
    QVERIFY(startService());
    const HttpReply reply = httpRequest("PUT", m_service->url(u"/t"_qs), "first words", {{"Delay", "1h"}});
    const QString id = reply.json().object().value(u"id").toString();
    const HttpReply changed = httpRequest("PUT", m_service->url(u"/api/scheduled/"_qs + id),
                                          R"({"data": "better words", "title": "Now", "delay": "1s"})");
    QCOMPARE(changed.status, 200);
    QCOMPARE(changed.json().object().value(u"data").toString(), u"better words"_qs);
    QVERIFY(changed.json().object().value(u"scheduled").toInteger() <= QDateTime::currentSecsSinceEpoch() + 2);
    QCOMPARE(httpRequest("PUT", m_service->url(u"/api/scheduled/"_qs + id), R"({"delay": "soon"})").status, 400);
    QCOMPARE(httpRequest("PUT", m_service->url(u"/api/scheduled/"_qs + id), R"({"topic": "elsewhere"})").status, 400);
    QTRY_COMPARE_WITH_TIMEOUT(retained(u"t"_qs).size(), 1, 10'000);
    QCOMPARE(retained(u"t"_qs).constFirst().value(u"message").toString(), u"better words"_qs);
    QCOMPARE(retained(u"t"_qs).constFirst().value(u"title").toString(), u"Now"_qs);
}

void tst_Scheduling::aRestartBeforeTheTimeSendsItOnceAtItsTime()
{
    QVERIFY(startService());
    const HttpReply reply = httpRequest("PUT", m_service->url(u"/t"_qs), "after a restart", {{"Delay", "3s"}});
    const qint64 due = reply.json().object().value(u"time").toInteger();
    QVERIFY(startService()); // stopped and started again, before its time
    QCOMPARE(scheduled().size(), 1);
    QVERIFY(retained(u"t"_qs).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(retained(u"t"_qs).size(), 1, 10'000);
    QVERIFY(QDateTime::currentSecsSinceEpoch() >= due);
    QTest::qWait(500);
    QCOMPARE(retained(u"t"_qs).size(), 1);
    QVERIFY(scheduled().isEmpty());
}

void tst_Scheduling::aRestartAfterTheTimeSendsItAtOnceOnce()
{
    QVERIFY(startService());
    QCOMPARE(httpRequest("PUT", m_service->url(u"/t"_qs), "while away", {{"Delay", "1s"}}).status, 200);
    m_service->stop(); // stopped over its time
    QTest::qWait(1500);
    QVERIFY(startService());
    QCOMPARE(retained(u"t"_qs).size(), 1); // at once: before the first request could be answered
    QCOMPARE(retained(u"t"_qs).constFirst().value(u"message").toString(), u"while away"_qs);
    QVERIFY(scheduled().isEmpty());
    QVERIFY(startService());
    QCOMPARE(retained(u"t"_qs).size(), 1);
}

void tst_Scheduling::aStopBetweenItsPublishAndTheScheduleChangingMakesNoSecondEvent()
{
    QVERIFY(startService());
    QCOMPARE(httpRequest("PUT", m_service->url(u"/t"_qs), "exactly once", {{"Delay", "1s"}}).status, 200);
    QFile file(scheduledFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray beforeItWent = file.readAll();
    file.close();
    QTRY_COMPARE_WITH_TIMEOUT(retained(u"t"_qs).size(), 1, 10'000);
    m_service->stop();
    // As if Herald had stopped after the event was committed and before the schedule was written.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(beforeItWent);
    file.close();
    QVERIFY(startService());
    QTRY_VERIFY(scheduled().isEmpty());
    QCOMPARE(retained(u"t"_qs).size(), 1);
}

void tst_Scheduling::whoMaySeeAndChangeTheSchedule()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    config.readToken = u"r3ad"_qs;
    config.privateStreams = true;
    QVERIFY(startService(config));
    const QList<QPair<QByteArray, QByteArray>> operatorToken{{"Authorization", "Bearer s3cret"}};
    const QList<QPair<QByteArray, QByteArray>> readerToken{{"Authorization", "Bearer r3ad"}};
    QCOMPARE(httpRequest("PUT", m_service->url(u"/t"_qs), "x", {{"Delay", "1h"}}).status, 401);
    QCOMPARE(
        httpRequest("PUT", m_service->url(u"/t"_qs), "x", {{"Delay", "1h"}, {"Authorization", "Bearer r3ad"}}).status,
        403);
    const HttpReply reply
        = httpRequest("PUT", m_service->url(u"/t"_qs), "x", {{"Delay", "1h"}, {"Authorization", "Bearer s3cret"}});
    QCOMPARE(reply.status, 200);
    const QString id = reply.json().object().value(u"id").toString();
    QCOMPARE(httpRequest("GET", m_service->url(u"/api/scheduled"_qs)).status, 401);
    QCOMPARE(httpRequest("GET", m_service->url(u"/api/scheduled"_qs), {}, operatorToken).json().array().size(), 1);
    QCOMPARE(httpRequest("DELETE", m_service->url(u"/api/scheduled/"_qs + id), {}, readerToken).status, 403);
    QCOMPARE(httpRequest("PUT", m_service->url(u"/api/scheduled/"_qs + id), R"({"data": "y"})", readerToken).status,
             403);
    QCOMPARE(httpRequest("DELETE", m_service->url(u"/api/scheduled/"_qs + id), {}, operatorToken).status, 204);
}

void tst_Scheduling::aScheduleThatCannotBeWrittenIsRefused()
{
    QVERIFY(startService());
    {
        // The disk is full, as the system shows it to Herald.
        FileSizeLimit full(40);
        QVERIFY(full.isSet());
        const HttpReply refused = httpRequest("PUT", m_service->url(u"/t"_qs), "not kept", {{"Delay", "1h"}});
        QCOMPARE(refused.status, 503);
        QVERIFY2(refused.error().contains(u"scheduled"_qs), qPrintable(refused.error()));
    }
    QVERIFY(scheduled().isEmpty());
    QCOMPARE(httpRequest("PUT", m_service->url(u"/t"_qs), "kept", {{"Delay", "1h"}}).status, 200);
    QCOMPARE(scheduled().size(), 1);
}

QTEST_GUILESS_MAIN(tst_Scheduling)
#include "tst_scheduling.moc"
