#include "heraldservice.h"
#include "httpclient.h"
#include "servicehost.h"
#include "servicestart.h"
#include "sseclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace {

/// The status code of a raw HTTP answer, or 0.
int statusOf(const QByteArray &answer)
{
    if (!answer.startsWith("HTTP/1.1 "))
        return 0;
    return answer.mid(9, 3).toInt();
}

QByteArray headerOf(const QByteArray &answer, const QByteArray &name)
{
    const qsizetype end = answer.indexOf("\r\n\r\n");
    for (const QByteArray &line : answer.left(end).split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

QString errorOf(const QByteArray &answer)
{
    const qsizetype end = answer.indexOf("\r\n\r\n");
    return QJsonDocument::fromJson(answer.mid(end + 4)).object().value(u"error"_qs).toString();
}

/// One answer of several read off one connection: its status, headers and body.
struct RawAnswer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

/// The answers in \a bytes, one after another, each as long as its Content-Length says, but for
/// the first \a toHead, which answer HEAD requests and so have no body.
QList<RawAnswer> answersIn(QByteArray bytes, int toHead = 0)
{
    QList<RawAnswer> answers;
    while (bytes.startsWith("HTTP/1.1 ")) {
        const qsizetype end = bytes.indexOf("\r\n\r\n");
        if (end < 0)
            break;
        RawAnswer answer;
        answer.head = bytes.left(end + 4);
        answer.status = statusOf(bytes);
        const qsizetype length = answers.size() < toHead ? 0 : headerOf(answer.head, "Content-Length").toLongLong();
        answer.body = bytes.mid(end + 4, length);
        bytes = bytes.mid(end + 4 + length);
        answers.append(answer);
    }
    if (!bytes.isEmpty())
        answers.append(RawAnswer{-1, bytes, {}}); // bytes that are no answer
    return answers;
}

/// This process's resident memory, from /proc.
qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

/// Herald's promises against hostile and careless clients, over real sockets: every limit
/// answers with its exact status and a JSON reason, and the clients already connected keep
/// receiving.
class tst_Limits : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void badRequestsAreRefusedAndOthersKeepReceiving_data();
    void badRequestsAreRefusedAndOthersKeepReceiving();
    void aBodyOverTheLimitIsRefusedBeforeItIsSent();
    void everyRequestOnAKeptAliveConnectionMeetsTheLimits();
    void aPipelinedRequestIsAnsweredOrLeftForARetry();
    void aPipelinedPublishIsAlwaysAnswered_data();
    void aPipelinedPublishIsAlwaysAnswered();
    void headIsAnsweredLikeGetWithoutABody_data();
    void headIsAnsweredLikeGetWithoutABody();
    void everyRefusedPathOrMethodGetsJson_data();
    void everyRefusedPathOrMethodGetsJson();
    void anAbsoluteFormTargetIsServed();
    void anAnswerNobodyReadsClosesItsConnection();
    void unsentAnswersAreCapped();
    void theClientListComesInPages();
    void slowRequestsTimeOutButStreamsDoNot();
    void pendingHeadsStayOutOfHeraldsMemory();
    void pastMaxClientsANewStreamGets503();
    void aStreamAskingForTooManyTopicsGets400();
    void privateStreamsNeedTheToken();
    void aPrivateServiceGivenNoReaderTokenMakesOne();
    void foreignOriginsCannotPublish();
    void unknownHostNamesCannotPublish();
    void tokensNeverLeak();

private:
    bool startService(ServiceConfig config = {});
    SseClient *openStream(const QByteArray &pathAndQuery = "/events", const QList<QByteArray> &headers = {});
    QUrl url(const QString &pathAndQuery) const;
    bool othersStillReceive();
    QJsonObject stats();
    /// Opens \a count streams that /api/clients lists at length.
    void openWideStreams(int count);

    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<ServiceHost> m_host;
    QList<SseClient *> m_streams;
    SseClient *m_witness = nullptr;
    QByteArray m_token;
    QByteArray m_whyNotReceived; ///< what othersStillReceive() saw when it failed
};

void tst_Limits::init()
{
    m_dataDir = std::make_unique<QTemporaryDir>();
}

void tst_Limits::cleanup()
{
    qDeleteAll(m_streams);
    m_streams.clear();
    m_witness = nullptr;
    m_host.reset();
}

bool tst_Limits::startService(ServiceConfig config)
{
    config.port = 0;
    config.bindAddress = QHostAddress::LocalHost;
    config.dataDirectory = m_dataDir->path();
    m_token = config.token.toUtf8();
    if (!startHost(m_host, config))
        return false;
    // A client that was there before anything hostile happened.
    m_witness = openStream(config.privateStreams ? "/events?token=" + config.token.toUtf8() : "/events");
    return m_witness->waitForHead() && m_witness->status() == 200;
}

SseClient *tst_Limits::openStream(const QByteArray &pathAndQuery, const QList<QByteArray> &headers)
{
    auto *client = new SseClient;
    m_streams.append(client);
    client->open(m_host->port(), pathAndQuery, headers);
    return client;
}

QUrl tst_Limits::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_host->port()).arg(pathAndQuery));
}

QJsonObject tst_Limits::stats()
{
    return httpRequest("GET", url(u"/api/stats"_qs)).json().object();
}

bool tst_Limits::othersStillReceive()
{
    const int before = int(m_witness->events().size());
    const QByteArray text = "still here " + QByteArray::number(before);
    const Headers headers = {{"Content-Type", "text/plain"}, {"Authorization", "Bearer " + m_token}};
    const HttpReply reply = httpRequest("POST", url(u"/publish"_qs), text, headers);
    if (reply.status != 200) {
        qWarning() << "publish failed:" << reply.status << reply.body;
        m_whyNotReceived = "the publish got " + QByteArray::number(reply.status) + ' ' + reply.body;
        return false;
    }
    // Events published just before (by a /say) may still be on their way: wait for this one.
    QElapsedTimer waited;
    waited.start();
    while (!m_witness->dataOf().contains(QString::fromUtf8(text)) && waited.elapsed() < 5000)
        m_witness->waitForEvents(int(m_witness->events().size()) + 1, int(5000 - waited.elapsed()));
    if (!m_witness->dataOf().contains(QString::fromUtf8(text))) {
        m_whyNotReceived = "the witness has " + QByteArray::number(m_witness->events().size()) + " events, "
            + (m_witness->isClosed() ? "closed" : "open");
        return false;
    }
    return true;
}

void tst_Limits::badRequestsAreRefusedAndOthersKeepReceiving_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("binary junk") << QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n", 15) << 400;
    QTest::newRow("request line over 8 KiB") << "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n" << 414;
    QTest::newRow("header over 8 KiB") << "GET / HTTP/1.1\r\nX-Big: " + QByteArray(9000, 'b') + "\r\n\r\n" << 431;
    QByteArray many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 101; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("101 headers") << many + "\r\n" << 431;
    QTest::newRow("HTTP/2 framing") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("chunks that say less than they carry")
        << QByteArray("POST /publish HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n") << 400;
    QTest::newRow("chunks and a length") << QByteArray(
        "POST /publish HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
        "5\r\nhello\r\n0\r\n\r\n") << 400;
    QTest::newRow("a transfer coding other than chunked")
        << QByteArray("POST /publish HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        << 400;
    QTest::newRow("bad Content-Length") << QByteArray("POST /publish HTTP/1.1\r\nContent-Length: 12x\r\n\r\n") << 400;
}

void tst_Limits::badRequestsAreRefusedAndOthersKeepReceiving()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QVERIFY(startService());
    const QByteArray answer = rawExchange(m_host->port(), request);
    QCOMPARE(statusOf(answer), status);
    QCOMPARE(headerOf(answer, "Content-Type"), QByteArray("application/json"));
    QVERIFY2(!errorOf(answer).isEmpty(), answer.constData());
    QVERIFY(othersStillReceive());
    QCOMPARE(httpRequest("GET", url(u"/healthz"_qs)).status, 200);
}

void tst_Limits::aBodyOverTheLimitIsRefusedBeforeItIsSent()
{
    ServiceConfig config;
    config.maxBodyBytes = 1000;
    QVERIFY(startService(config));
    // Only the head goes out: the answer must come without Herald waiting for 10 MiB.
    const QByteArray answer = rawExchange(m_host->port(),
                                          "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          "Content-Type: text/plain\r\nContent-Length: 10485760\r\n\r\n");
    QCOMPARE(statusOf(answer), 413);
    QVERIFY(errorOf(answer).contains(u"1000"_qs));

    // At the limit, the body is taken.
    const HttpReply fits
        = httpRequest("POST", url(u"/publish"_qs), QByteArray(1000, 'x'), {{"Content-Type", "text/plain"}});
    QCOMPARE(fits.status, 200);

    // A body in chunks, whose size is known only at its end, is refused at the chunk that takes
    // it past the limit: the rest is never waited for.
    const QByteArray chunks = rawExchange(m_host->port(),
                                          "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n1f4\r\n"
                                              + QByteArray(500, 'c') + "\r\n1f5\r\n");
    QCOMPARE(statusOf(chunks), 413);
    QVERIFY2(errorOf(chunks).contains(u"--max-body"_qs), qPrintable(errorOf(chunks)));
    // So is one whose framing would have Herald read far more than its body: here 4 KiB of
    // extensions for each byte.
    QByteArray framing;
    for (int i = 0; i < 20; ++i)
        framing += "1;" + QByteArray(4000, 'e') + "\r\nx\r\n";
    const QByteArray padded = rawExchange(m_host->port(),
                                          "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n"
                                              + framing);
    QCOMPARE(statusOf(padded), 413);
    QVERIFY2(errorOf(padded).contains(u"encoding"_qs), qPrintable(errorOf(padded)));
    // Within it, in pieces that come one after the other, it is published as one text.
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_qs, m_host->port());
    QVERIFY(socket.waitForConnected());
    socket.write("POST /publish?topic=chunky HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n");
    for (const QByteArray &chunk : {QByteArray("6\r\nchunks"), QByteArray("\r\n"), QByteArray("1;ext=1\r\n "),
                                    QByteArray("\r\n4\r\ncome\r\n"), QByteArray("0\r\n\r\n")}) {
        socket.write(chunk);
        QVERIFY(socket.waitForBytesWritten());
        QTest::qWait(20); // each in a packet of its own, as a program writing as it goes sends them
    }
    QByteArray published;
    QVERIFY(QTest::qWaitFor(
        [&] {
            published += socket.readAll();
            return published.contains("}");
        },
        5000));
    QCOMPARE(statusOf(published), 200);
    const QByteArray history = httpRequest("GET", url(u"/chunky/json?poll=1"_qs)).body;
    QVERIFY2(history.contains("\"message\":\"chunks come\""), history.constData());
    QVERIFY(othersStillReceive());
}

void tst_Limits::everyRequestOnAKeptAliveConnectionMeetsTheLimits()
{
    QVERIFY(startService());
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_host->port());
    QVERIFY(socket.waitForConnected());
    QByteArray answer;
    auto readUntil = [&](const QByteArray &marker) {
        return QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return answer.contains(marker);
            },
            5000);
    };
    socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(readUntil("ok"));
    QCOMPARE(statusOf(answer), 200);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);

    answer.clear();
    socket.write("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(readUntil("uptimeSeconds"));
    QCOMPARE(statusOf(answer), 200);

    answer.clear();
    socket.write("GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n");
    QVERIFY(readUntil("}"));
    QCOMPARE(statusOf(answer), 414);
    QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
}

void tst_Limits::aPipelinedRequestIsAnsweredOrLeftForARetry()
{
    QVERIFY(startService());
    // Requests sent back to back without waiting, behind one QHttpServer serves and one the
    // gate serves: each is answered, or the connection closes after an answer so that the client
    // sends the rest again. None is misread.
    const QByteArray head = "HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const QByteArray &first : {QByteArray("GET /healthz "), QByteArray("GET /api/stats ")}) {
        const QByteArray answer
            = rawExchange(m_host->port(), first + head + "\r\n" + "GET /healthz " + head + "Connection: close\r\n\r\n");
        QCOMPARE(statusOf(answer), 200);
        QVERIFY2(!answer.contains("HTTP/1.1 4") && !answer.contains("HTTP/1.1 5"), answer.constData());
    }
    const QByteArray publish = "POST /publish " + head + "Content-Type: text/plain\r\nContent-Length: 2\r\n";
    const QByteArray answer = rawExchange(
        m_host->port(), publish + "\r\nhi" + "GET /healthz " + head + "\r\n" + publish + "Connection: close\r\n\r\nhi");
    QVERIFY2(answer.startsWith("HTTP/1.1 200 "), answer.constData());
    QVERIFY2(!answer.contains("HTTP/1.1 4") && !answer.contains("HTTP/1.1 5"), answer.constData());
}

void tst_Limits::aPipelinedPublishIsAlwaysAnswered_data()
{
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<int>("firstStatus");
    const QByteArray host = "HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    QTest::newRow("behind GET /api/stats") << "GET /api/stats " + host << 200;
    QTest::newRow("behind GET /") << "GET / " + host << 200;
    QTest::newRow("behind HEAD /healthz") << "HEAD /healthz " + host << 200;
    QTest::newRow("behind OPTIONS /events") << "OPTIONS /events " + host << 204;
    QTest::newRow("behind DELETE of an unknown event") << "DELETE /api/events/999 " + host << 404;
    QTest::newRow("behind an unknown path") << "GET /nowhere " + host << 404;
    QTest::newRow("behind another publish") << QByteArray("POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                          "Content-Length: 5\r\n\r\nfirst")
                                            << 200;
}

void tst_Limits::aPipelinedPublishIsAlwaysAnswered()
{
    QFETCH(QByteArray, first);
    QFETCH(int, firstStatus);
    QVERIFY(startService());
    // Sent in one write, as a pipelining client does: both are answered, in order, and the
    // publish reaches the streams.
    const QByteArray publish = "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 9\r\nConnection: close\r\n\r\npipelined";
    const QList<RawAnswer> answers
        = answersIn(rawExchange(m_host->port(), first + publish), first.startsWith("HEAD ") ? 1 : 0);
    QCOMPARE(answers.size(), 2);
    QCOMPARE(answers.at(0).status, firstStatus);
    QCOMPARE(answers.at(1).status, 200);
    QVERIFY(QJsonDocument::fromJson(answers.at(1).body).object().contains(u"id"_qs));
    QVERIFY(m_witness->waitForEvents(1));
    QCOMPARE(m_witness->dataOf().last(), u"pipelined"_qs);
}

void tst_Limits::headIsAnsweredLikeGetWithoutABody_data()
{
    QTest::addColumn<QByteArray>("path");
    for (const char *path :
         {"/", "/client.js", "/client.css", "/favicon.svg", "/healthz", "/api/stats", "/api/clients", "/metrics"})
        QTest::newRow(path) << QByteArray(path);
}

void tst_Limits::headIsAnsweredLikeGetWithoutABody()
{
    QFETCH(QByteArray, path);
    QVERIFY(startService());
    const QByteArray host = " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    // The HEAD's answer is followed at once by the next one's: no body came between.
    const QList<RawAnswer> answers = answersIn(
        rawExchange(m_host->port(), "HEAD " + path + host + "\r\nGET " + path + host + "Connection: close\r\n\r\n"), 1);
    QCOMPARE(answers.size(), 2);
    const RawAnswer &head = answers.at(0);
    const RawAnswer &get = answers.at(1);
    QCOMPARE(head.status, 200);
    QCOMPARE(get.status, 200);
    QVERIFY(head.body.isEmpty());
    QVERIFY(!get.body.isEmpty());
    QCOMPARE(headerOf(head.head, "Content-Type"), headerOf(get.head, "Content-Type"));
    QCOMPARE(headerOf(head.head, "Access-Control-Allow-Origin"), headerOf(get.head, "Access-Control-Allow-Origin"));
    if (path != "/api/stats" && path != "/metrics") // whose uptime may have moved on between the two
        QCOMPARE(headerOf(head.head, "Content-Length").toInt(), get.body.size());
}

void tst_Limits::everyRefusedPathOrMethodGetsJson_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");
    const QByteArray host = " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    QTest::newRow("a doubled slash") << "GET //publish" + host << 404 << QByteArray();
    QTest::newRow("an unknown path") << "GET /no/such/thing" + host << 404 << QByteArray();
    QTest::newRow("an id with more after it") << "DELETE /api/events/3/more" + host << 404 << QByteArray();
    QTest::newRow("PUT /publish") << "PUT /publish" + host << 405 << QByteArray("POST");
    QTest::newRow("POST /api/stats") << "POST /api/stats" + host << 405 << QByteArray("GET, HEAD, OPTIONS");
    QTest::newRow("DELETE /api/clients") << "DELETE /api/clients" + host << 405 << QByteArray("GET, HEAD, OPTIONS");
    QTest::newRow("PATCH /api/events/3") << "PATCH /api/events/3" + host << 405 << QByteArray("DELETE, PUT");
    QTest::newRow("POST /events") << "POST /events" + host << 405 << QByteArray("GET, OPTIONS");
    QTest::newRow("HEAD /say") << "HEAD /say" + host << 405 << QByteArray("GET");
}

void tst_Limits::everyRefusedPathOrMethodGetsJson()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);
    QVERIFY(startService());
    const QList<RawAnswer> answers
        = answersIn(rawExchange(m_host->port(), request), request.startsWith("HEAD ") ? 1 : 0);
    QCOMPARE(answers.size(), 1);
    QCOMPARE(answers.first().status, status);
    QCOMPARE(headerOf(answers.first().head, "Allow"), allow);
    QCOMPARE(headerOf(answers.first().head, "Content-Type"), QByteArray("application/json"));
    if (request.startsWith("HEAD ")) {
        QVERIFY(answers.first().body.isEmpty()); // a HEAD never gets a body
        QVERIFY(headerOf(answers.first().head, "Content-Length").toInt() > 0);
    } else {
        QVERIFY(!errorOf(answers.first().head + answers.first().body).isEmpty());
    }

    // And the server as a whole, asked with OPTIONS *, says what it takes.
    const QList<RawAnswer> options = answersIn(rawExchange(m_host->port(),
                                                           "OPTIONS * HTTP/1.1\r\nHost: x\r\n"
                                                           "Connection: close\r\n\r\n"));
    QCOMPARE(options.size(), 1);
    QCOMPARE(options.first().status, 204);
    QVERIFY(headerOf(options.first().head, "Allow").contains("POST"));
    QVERIFY(headerOf(options.first().head, "Allow").contains("PUT")); // ntfy's PUT /<topic>
}

void tst_Limits::anAbsoluteFormTargetIsServed()
{
    QVERIFY(startService());
    const QByteArray port = QByteArray::number(m_host->port());
    // RFC 9112: its host stands for the Host header, whatever that says.
    QList<RawAnswer> answers = answersIn(rawExchange(m_host->port(),
                                                     "GET http://127.0.0.1:" + port
                                                         + "/api/stats HTTP/1.1\r\nHost: elsewhere.example\r\n"
                                                           "Connection: close\r\n\r\n"));
    QCOMPARE(answers.size(), 1);
    QCOMPARE(answers.first().status, 200);
    QVERIFY(QJsonDocument::fromJson(answers.first().body).object().contains(u"lastId"_qs));
    answers = answersIn(rawExchange(m_host->port(),
                                    "POST HTTP://127.0.0.1:" + port
                                        + "/publish?topic=abs HTTP/1.1\r\n"
                                          "Content-Length: 8\r\nConnection: close\r\n\r\nabsolute"));
    QCOMPARE(answers.size(), 1);
    QCOMPARE(answers.first().status, 200);
    QVERIFY(m_witness->waitForEvents(1));
    QCOMPARE(m_witness->dataOf().last(), u"absolute"_qs);
    // A stream too.
    SseClient *stream = new SseClient;
    m_streams.append(stream);
    stream->socket().connectToHost(QHostAddress::LocalHost, m_host->port());
    QVERIFY(stream->socket().waitForConnected());
    stream->socket().write("GET http://127.0.0.1:" + port + "/events?rewind=1 HTTP/1.1\r\n\r\n");
    QVERIFY(stream->waitForEvents(1));
    QCOMPARE(stream->dataOf().last(), u"absolute"_qs);
    // Another scheme is no URL Herald serves.
    answers = answersIn(rawExchange(m_host->port(), "GET ftp://127.0.0.1/api/stats HTTP/1.1\r\nHost: x\r\n\r\n"));
    QCOMPARE(answers.size(), 1);
    QCOMPARE(answers.first().status, 400);
}

void tst_Limits::openWideStreams(int count)
{
    // Each listed with 30 topics of 250 characters: the list of them all is megabytes long, far
    // more than the kernel takes into its buffers for a client that does not read.
    QByteArray topics;
    for (int t = 0; t < 30; ++t)
        topics += (t ? "," : "") + QByteArray(247, 't') + QByteArray::number(100 + t);
    for (int i = 0; i < count; ++i)
        openStream("/events?client=wide-" + QByteArray::number(i) + "&topic=" + topics);
}

void tst_Limits::anAnswerNobodyReadsClosesItsConnection()
{
    ServiceConfig config;
    config.requestTimeoutSeconds = 1;
    QVERIFY(startService(config));
    openWideStreams(1000);
    QTRY_COMPARE_WITH_TIMEOUT(stats().value(u"clients"_qs).toInt(), 1001, 30000);
    const int reader = connectLoopback(m_host->port(), 2000, 4096);
    QVERIFY(reader >= 0);
    const QByteArray request = "GET /api/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    QCOMPARE(::write(reader, request.constData(), size_t(request.size())), ssize_t(request.size()));

    // It does not read for longer than the request timeout; then what is there is all there is.
    QTest::qWait(2500);
    QByteArray received;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::recv(reader, buffer, sizeof buffer, 0);
        if (got <= 0)
            break;
        received.append(buffer, got);
    }
    ::close(reader);
    QVERIFY(received.startsWith("HTTP/1.1 200"));
    const qsizetype length = headerOf(received, "Content-Length").toLongLong();
    QVERIFY2(received.size() - received.indexOf("\r\n\r\n") - 4 < length,
             "the whole answer arrived, though the client read nothing for longer than the request timeout");
    QVERIFY(othersStillReceive());
}

void tst_Limits::unsentAnswersAreCapped()
{
    ServiceConfig config;
    config.maxUnsentAnswerBytes = 1024 * 1024;
    QVERIFY(startService(config));
    openWideStreams(1000);
    QTRY_COMPARE_WITH_TIMEOUT(stats().value(u"clients"_qs).toInt(), 1001, 30000);
    // Clients that ask for the list and never read it, until answers are refused.
    QList<int> readers;
    const auto closeReaders = qScopeGuard([&readers] {
        for (int fd : readers)
            ::close(fd);
    });
    const QByteArray request = "GET /api/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    QByteArray refusal;
    for (int i = 0; i < 20 && refusal.isEmpty(); ++i) {
        const int reader = connectLoopback(m_host->port(), 2000, 4096);
        QVERIFY(reader >= 0);
        readers.append(reader);
        QCOMPARE(::write(reader, request.constData(), size_t(request.size())), ssize_t(request.size()));
        char head[16] = {};
        QVERIFY(::recv(reader, head, sizeof head - 1, MSG_PEEK) > 0);
        if (!QByteArray(head).startsWith("HTTP/1.1 200")) {
            char answer[4096] = {};
            refusal = QByteArray(answer, int(::recv(reader, answer, sizeof answer - 1, 0)));
        }
    }
    QVERIFY2(!refusal.isEmpty(), "every answer was sent, however many waited");
    QCOMPARE(statusOf(refusal), 503);
    QVERIFY(!headerOf(refusal, "Retry-After").isEmpty());
    QVERIFY(!errorOf(refusal).isEmpty());
    // Publishing is not held up by them.
    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "still here", {{"Content-Type", "text/plain"}}).status, 200);
    QVERIFY(m_witness->waitForEvents(1));
    // Once they are gone, the list is served again.
    for (int fd : std::as_const(readers))
        ::close(fd);
    readers.clear();
    QTRY_COMPARE(httpRequest("GET", url(u"/api/clients?limit=1"_qs)).status, 200);
}

void tst_Limits::theClientListComesInPages()
{
    QVERIFY(startService());
    // One after the other: the list is in the order the streams opened.
    for (int i = 1; i <= 4; ++i)
        QVERIFY(openStream("/events?client=c" + QByteArray::number(i))->waitForHead());
    QTRY_COMPARE(stats().value(u"clients"_qs).toInt(), 5);
    HttpReply page = httpRequest("GET", url(u"/api/clients?offset=2&limit=2"_qs));
    QCOMPARE(page.status, 200);
    QCOMPARE(page.header("Herald-Total"), QByteArray("5"));
    const QJsonArray list = page.json().array();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(u"id"_qs).toString(), u"c2"_qs); // the witness came first
    QCOMPARE(list.at(1).toObject().value(u"id"_qs).toString(), u"c3"_qs);
    QCOMPARE(httpRequest("GET", url(u"/api/clients?offset=5"_qs)).json().array().size(), 0);
    QCOMPARE(httpRequest("GET", url(u"/api/clients"_qs)).json().array().size(), 5);
    for (const QString &bad : {u"limit=0"_qs, u"limit=10001"_qs, u"limit=x"_qs, u"offset=-1"_qs}) {
        const HttpReply refused = httpRequest("GET", url(u"/api/clients?"_qs + bad));
        QCOMPARE(refused.status, 400);
        QVERIFY(!refused.error().isEmpty());
    }
}

void tst_Limits::slowRequestsTimeOutButStreamsDoNot()
{
    ServiceConfig config;
    config.requestTimeoutSeconds = 1;
    QVERIFY(startService(config));

    // Slowloris: a head that never ends.
    QTcpSocket head;
    head.connectToHost(QStringLiteral("127.0.0.1"), m_host->port());
    QVERIFY(head.waitForConnected());
    head.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    // A body that never arrives in full.
    QTcpSocket body;
    body.connectToHost(QStringLiteral("127.0.0.1"), m_host->port());
    QVERIFY(body.waitForConnected());
    body.write("POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
               "100\r\n\r\nonly part");

    QByteArray headAnswer, bodyAnswer;
    QVERIFY(QTest::qWaitFor(
        [&] {
            headAnswer += head.readAll();
            bodyAnswer += body.readAll();
            return head.state() == QAbstractSocket::UnconnectedState
                && body.state() == QAbstractSocket::UnconnectedState;
        },
        10000));
    headAnswer += head.readAll();
    bodyAnswer += body.readAll();
    QCOMPARE(statusOf(headAnswer), 408);
    QCOMPARE(statusOf(bodyAnswer), 408);
    QVERIFY(!errorOf(headAnswer).isEmpty());

    // The stream has been open far longer than the timeout and still works.
    QVERIFY(!m_witness->isClosed());
    QVERIFY(othersStillReceive());
    QCOMPARE(
        QJsonDocument::fromJson(httpRequest("GET", url(u"/api/stats"_qs)).body).object().value(u"published"_qs).toInt(),
        1);
}

void tst_Limits::pendingHeadsStayOutOfHeraldsMemory()
{
    ServiceConfig config;
    config.requestTimeoutSeconds = 2;
    QVERIFY(startService(config));
    QVERIFY(othersStillReceive()); // warm up the paths the measurement should not count

    // Many clients each send most of a head (under the 64 KiB a head may take) and stop. A server
    // that copied pending heads into its own memory would hold all of them: 300 x 60 KiB.
    constexpr int Clients = 300;
    // within every limit: eight header lines of 7.5 KiB, and no blank line to end them
    QByteArray partial = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 8; ++i)
        partial += "X-Pad-" + QByteArray::number(i) + ": " + QByteArray(7680, 'p') + "\r\n";
    const qint64 before = residentKiB();
    std::vector<int> sockets;
    for (int i = 0; i < Clients; ++i) {
        const int fd = connectLoopback(m_host->port());
        QVERIFY(fd >= 0);
        sockets.push_back(fd);
        QCOMPARE(::send(fd, partial.constData(), size_t(partial.size()), MSG_NOSIGNAL), ssize_t(partial.size()));
    }
    QTest::qWait(1000); // let Herald see every one of them
    const qint64 grown = residentKiB() - before;
    qInfo("resident memory grew by %lld KiB while %d clients held %lld KiB of unfinished heads", grown, Clients,
          Clients * qint64(partial.size()) / 1024);
#ifndef __SANITIZE_ADDRESS__ // AddressSanitizer quarantines freed memory, so resident size says nothing
    QVERIFY2(grown < Clients * partial.size() / 1024 / 2, qPrintable(QString::number(grown)));
#endif
    QVERIFY(othersStillReceive());

    // Every one of them is then answered 408 and closed.
    for (int fd : sockets) {
        QByteArray answer(4096, Qt::Uninitialized);
        timeval wait{10, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        const ssize_t got = ::recv(fd, answer.data(), size_t(answer.size()), 0);
        ::close(fd);
        QVERIFY(got > 0);
        QCOMPARE(statusOf(answer.first(got)), 408);
    }
    QVERIFY(!m_witness->isClosed());
}

void tst_Limits::pastMaxClientsANewStreamGets503()
{
    ServiceConfig config;
    config.maxStreams = 2;
    QVERIFY(startService(config)); // the witness is one
    SseClient *second = openStream();
    QVERIFY(second->waitForHead());
    QCOMPARE(second->status(), 200);
    SseClient *third = openStream();
    QVERIFY(third->waitForHead());
    QCOMPARE(third->status(), 503);
    QVERIFY(third->header("Retry-After").toInt() > 0);
    QVERIFY(QString::fromUtf8(third->rawBody()).contains(u"--max-clients"_qs));
    QVERIFY(third->waitForClosed());

    QVERIFY(othersStillReceive());
    QVERIFY(second->waitForEvents(1));
    // Room again once a stream leaves.
    second->socket().abort();
    QTRY_COMPARE(
        QJsonDocument::fromJson(httpRequest("GET", url(u"/api/stats"_qs)).body).object().value(u"clients"_qs).toInt(),
        1);
    SseClient *fourth = openStream();
    QVERIFY(fourth->waitForHead());
    QCOMPARE(fourth->status(), 200);
}

void tst_Limits::aStreamAskingForTooManyTopicsGets400()
{
    QVERIFY(startService()); // --max-topics at its default, 64
    const auto topics = [](int count) {
        QByteArray target = "/events?topic=t1";
        for (int i = 2; i <= count; ++i)
            target += (i % 10 == 0 ? "&topic=t" : ",t") + QByteArray::number(i);
        return target;
    };
    SseClient *tooMany = openStream(topics(65));
    QVERIFY(tooMany->waitForHead());
    QCOMPARE(tooMany->status(), 400);
    const QString error = QJsonDocument::fromJson(tooMany->rawBody()).object().value(u"error"_qs).toString();
    QVERIFY2(error.contains(u"64"_qs) && error.contains(u"--max-topics"_qs), qPrintable(error));
    SseClient *atTheLimit = openStream(topics(64));
    QVERIFY(atTheLimit->waitForHead());
    QCOMPARE(atTheLimit->status(), 200);

    // A new limit applies to the next stream at once; the streams already open stay.
    ServiceConfig lower;
    lower.maxTopics = 2;
    m_host->applySettings(lower);
    QTRY_VERIFY([&] {
        SseClient *three = openStream(topics(3));
        return three->waitForHead() && three->status() == 400;
    }());
    SseClient *two = openStream(topics(2));
    QVERIFY(two->waitForHead());
    QCOMPARE(two->status(), 200);
    QVERIFY(othersStillReceive());
    QVERIFY(atTheLimit->waitForEvents(1)); // it asked for every topic, and the witness's event has none
}

void tst_Limits::privateStreamsNeedTheToken()
{
    ServiceConfig config;
    config.token = QStringLiteral("s3cret-token");
    config.readToken = QStringLiteral("r3ader-token");
    config.privateStreams = true;
    QVERIFY(startService(config));

    SseClient *anonymous = openStream();
    QVERIFY(anonymous->waitForHead());
    QCOMPARE(anonymous->status(), 401);
    QVERIFY(QString::fromUtf8(anonymous->rawBody()).contains(u"token"_qs));
    SseClient *wrong = openStream("/events?token=guess");
    QVERIFY(wrong->waitForHead());
    QCOMPARE(wrong->status(), 401);
    SseClient *reader = openStream("/events?token=r3ader-token");
    QVERIFY(reader->waitForHead());
    QCOMPARE(reader->status(), 200);

    // The page without a token is refused. With the reader token (or the token), the browser
    // gets a cookie that holds neither, and is sent on to the same page without the token, so
    // that it leaves the address bar and the history.
    QCOMPARE(httpRequest("GET", url(u"/"_qs)).status, 401);
    QCOMPARE(httpRequest("GET", url(u"/?token=guess"_qs)).status, 401);
    const HttpReply page = httpRequest("GET", url(u"/?token=r3ader-token&topic=news&name=Kitchen+tablet"_qs));
    QCOMPARE(page.status, 303);
    QCOMPARE(page.header("Location"), QByteArray("/?topic=news&name=Kitchen+tablet"));
    QCOMPARE(page.header("Cache-Control"), QByteArray("no-store"));
    const QByteArray cookie = page.header("Set-Cookie");
    QVERIFY(cookie.contains("HttpOnly"));
    QVERIFY(cookie.contains("SameSite=Strict"));
    QVERIFY2(!cookie.contains("r3ader") && !cookie.contains("s3cret"), cookie.constData());
    const HttpReply byToken = httpRequest("GET", url(u"/?name=Desk&token=s3cret-token"_qs));
    QCOMPARE(byToken.status, 303);
    QCOMPARE(byToken.header("Location"), QByteArray("/?name=Desk"));
    QCOMPARE(byToken.header("Set-Cookie"), cookie); // the same key, whichever token opened it
    QCOMPARE(httpRequest("GET", url(u"/?token=r3ader-token"_qs)).header("Location"), QByteArray("/"));

    const QByteArray pair = cookie.left(cookie.indexOf(';'));
    const HttpReply home = httpRequest("GET", url(u"/?topic=news&name=Kitchen+tablet"_qs), {}, {{"Cookie", pair}});
    QCOMPARE(home.status, 200);
    QVERIFY(home.body.contains("data-can-publish=\"false\"")); // a reader gets no composer
    SseClient *withCookie = openStream("/events", {"Cookie: other=1; " + pair});
    QVERIFY(withCookie->waitForHead());
    QCOMPARE(withCookie->status(), 200);

    // The client list is private too; either token opens it.
    QCOMPARE(httpRequest("GET", url(u"/api/clients"_qs)).status, 401);
    QCOMPARE(httpRequest("GET", url(u"/api/clients"_qs), {}, {{"Authorization", "Bearer s3cret-token"}}).status, 200);
    QCOMPARE(httpRequest("GET", url(u"/api/clients"_qs), {}, {{"Authorization", "Bearer r3ader-token"}}).status, 200);
    QCOMPARE(httpRequest("GET", url(u"/api/clients"_qs), {}, {{"Cookie", pair}}).status, 200);

    // The reader token reads, and does nothing else: 403, and it says why.
    const Headers asReader = {{"Authorization", "Bearer r3ader-token"}};
    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "x", asReader + Headers{{"Content-Type", "text/plain"}}).status,
             403);
    QCOMPARE(httpRequest("DELETE", url(u"/api/events/1"_qs), {}, asReader).status, 403);
    QCOMPARE(httpRequest("DELETE", url(u"/api/clients/x"_qs), {}, asReader).status, 403);
    const HttpReply say = httpRequest("GET", url(u"/say?token=r3ader-token&msg=hi"_qs));
    QCOMPARE(say.status, 403);
    QVERIFY2(say.error().contains(u"reads"_qs) && say.error().contains(u"does not publish"_qs),
             qPrintable(say.error()));
    QVERIFY(!say.body.contains("r3ader"));

    QVERIFY(othersStillReceive()); // the token still publishes
    QVERIFY(withCookie->waitForEvents(1));
    QVERIFY(reader->waitForEvents(1));
    QCOMPARE(reader->dataOf(), m_witness->dataOf()); // nothing the reader token sent was published
}

void tst_Limits::aPrivateServiceGivenNoReaderTokenMakesOne()
{
    ServiceConfig config;
    config.token = QStringLiteral("s3cret-token");
    config.privateStreams = true;
    QVERIFY(startService(config));
    const QString readToken = m_host->service()->config().readToken;
    QCOMPARE(readToken.size(), 32);
    QVERIFY(readToken != config.token);
    // The links a browser joins with carry it, never the token.
    const QStringList urls = m_host->joinUrls();
    QVERIFY(!urls.isEmpty());
    for (const QString &link : urls) {
        QVERIFY2(link.endsWith(u"/?token="_qs + readToken), qPrintable(link));
        QVERIFY2(!link.contains(config.token), qPrintable(link));
    }
    SseClient *reader = openStream("/events?token=" + readToken.toUtf8());
    QVERIFY(reader->waitForHead());
    QCOMPARE(reader->status(), 200);
    // One equal to the token is no reader token: the service makes another.
    m_host.reset();
    config.readToken = config.token;
    QVERIFY(startService(config));
    QVERIFY(m_host->service()->config().readToken != config.token);
    QVERIFY(!m_host->joinUrls().first().contains(config.token));
}

void tst_Limits::foreignOriginsCannotPublish()
{
    ServiceConfig config;
    config.trustedOrigins = {QStringLiteral("https://dashboard.example")};
    QVERIFY(startService(config));
    const QByteArray own = "http://127.0.0.1:" + QByteArray::number(m_host->port());
    const Headers text = {{"Content-Type", "text/plain"}};

    const HttpReply foreign
        = httpRequest("POST", url(u"/publish"_qs), "x", text + Headers{{"Origin", "http://evil.example"}});
    QCOMPARE(foreign.status, 403);
    QVERIFY(foreign.error().contains(u"evil.example"_qs));
    QCOMPARE(httpRequest("GET", url(u"/say?msg=hi"_qs), {}, {{"Origin", "http://evil.example"}}).status, 403);
    QCOMPARE(httpRequest("DELETE", url(u"/api/clients/anyone"_qs), {}, {{"Origin", "null"}}).status, 403);

    QCOMPARE(httpRequest("POST", url(u"/publish"_qs), "own", text + Headers{{"Origin", own}}).status, 200);
    QCOMPARE(
        httpRequest("POST", url(u"/publish"_qs), "trusted", text + Headers{{"Origin", "https://dashboard.example"}})
            .status,
        200);
    QVERIFY(m_witness->waitForEvents(2));
    QCOMPARE(m_witness->dataOf(), QStringList({u"own"_qs, u"trusted"_qs}));
}

void tst_Limits::unknownHostNamesCannotPublish()
{
    ServiceConfig config;
    config.hostNames = {QStringLiteral("herald.lan")};
    QVERIFY(startService(config));
    const QByteArray port = QByteArray::number(m_host->port());
    auto publishWithHost = [&](const QByteArray &host) {
        return statusOf(rawExchange(m_host->port(),
                                    "POST /publish HTTP/1.1\r\nHost: " + host
                                        + "\r\nContent-Type: text/plain\r\n"
                                          "Content-Length: 2\r\nConnection: close\r\n\r\nhi"));
    };
    QCOMPARE(publishWithHost("rebound.attacker.example:" + port), 403);
    QCOMPARE(publishWithHost("127.0.0.1:" + port), 200);
    QCOMPARE(publishWithHost("[::1]:" + port), 200);
    QCOMPARE(publishWithHost("localhost:" + port), 200);
    QCOMPARE(publishWithHost("HERALD.lan:" + port), 200);
    // Reading is not guarded: pages on any name may still subscribe.
    QCOMPARE(
        statusOf(rawExchange(m_host->port(),
                             "GET /healthz HTTP/1.1\r\nHost: rebound.attacker.example\r\nConnection: close\r\n\r\n")),
        200);
    QVERIFY(m_witness->waitForEvents(4));
}

void tst_Limits::tokensNeverLeak()
{
    QStringList messages;
    static QStringList *sink = nullptr;
    sink = &messages;
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType, const QMessageLogContext &, const QString &text) { sink->append(text); });
    QLoggingCategory::setFilterRules(QStringLiteral("herald.*=true"));

    ServiceConfig config;
    config.token = QStringLiteral("never-show-me");
    config.privateStreams = true;
    const bool started = startService(config);
    SseClient *viaQuery = openStream("/events?token=never-show-me&name=Phone");
    const bool opened = viaQuery->waitForHead();
    const HttpReply wrong = httpRequest("POST", url(u"/publish"_qs), "x", {{"Authorization", "Bearer never-show-mX"}});
    const HttpReply list = httpRequest("GET", url(u"/api/clients"_qs), {}, {{"Authorization", "Bearer never-show-me"}});
    const HttpReply say = httpRequest("GET", url(u"/say?token=never-show-me&msg=hi"_qs));
    const bool received = othersStillReceive();
    m_host.reset();

    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(started);
    QVERIFY(opened);
    QCOMPARE(viaQuery->status(), 200);
    QCOMPARE(wrong.status, 401);
    QVERIFY(!wrong.body.contains("never-show"));
    QCOMPARE(list.status, 200);
    QVERIFY(list.body.contains("Phone"));
    QVERIFY(!list.body.contains("never-show"));
    QCOMPARE(say.status, 200);
    QVERIFY2(received, m_whyNotReceived.constData());
    QVERIFY(!messages.isEmpty());
    for (const QString &message : std::as_const(messages))
        QVERIFY2(!message.contains(u"never-show"_qs), qPrintable(message));
}

QTEST_MAIN(tst_Limits)
#include "tst_limits.moc"
