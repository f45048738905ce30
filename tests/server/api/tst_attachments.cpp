#include "filesizelimit.h"
#include "httpclient.h"
#include "servicehost.h"
#include "servicestart.h"
#include "sseclient.h"
#include "testpictures.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

/// The files messages carry, over real sockets against a running service, as the README's
/// "Attachments" section documents them: uploaded as ntfy's clients upload them, served byte for
/// byte with headers that keep them inert, bounded, expiring, taken back with their message, and
/// read under the rules of the streams.
class tst_Attachments : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void aPictureUploadedAsNtfyDoesReachesEveryFormatAndIsServedByteForByte();
    void heraldsOwnPublishTakesAFileWithItsTextAndFields();
    void htmlAndSvgAreDownloadsAndPlainTextIsShown();
    void aFileOverTheLimitIsRefusedBeforeItIsSent();
    void theOldestFilesGoToStayWithinTheTotal();
    void aFileExpires();
    void retractingAMessageDeletesItsFile();
    void aRefusedOrRepeatedUploadLeavesNoFile();
    void aLinkToAFileElsewhereIsCarriedAndNeverFetched();
    void aPrivateHeraldsFilesNeedTheReadersToken();
    void aRestartKeepsTheFiles();
    void aScheduledMessagesFileLastsFromItsTimeAndGoesWithItsCancellation();
    void aFullDiskOrAnUnusableFolderRefusesTheUploadAndNothingIsPublished();
    void anUploadWithoutACredentialIsRefusedAtItsHead();
    void anUploadThatAsksBeforeSendingIsToldToGoOn();
    void aFileSentInChunksAsNtfysClientSendsItIsKeptWhole();
    void anEditKeepsTheFileAndALaterTimeKeepsItLonger();

private:
    /// Uploads \a content to ntfy's topic path with \a headers; the answer.
    HttpReply upload(const QString &topic, const QByteArray &content,
                     const QList<QPair<QByteArray, QByteArray>> &headers);
    /// The file's path on this Herald, from an answer's attachment URL.
    QString filePath(const QJsonObject &attachment) const { return QUrl(attachment.value(u"url").toString()).path(); }
    QStringList filesKept() const;
    /// The texts of \a topic's retained messages, oldest first.
    QStringList retainedTexts(const QString &topic);

    std::unique_ptr<LoopbackService> m_service;
    QList<SseClient *> m_streams;
};

void tst_Attachments::init()
{
    m_service = std::make_unique<LoopbackService>();
}

void tst_Attachments::cleanup()
{
    qDeleteAll(m_streams);
    m_streams.clear();
    m_service.reset();
}

HttpReply tst_Attachments::upload(const QString &topic, const QByteArray &content,
                                  const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return httpRequest("PUT", m_service->url(u"/"_qs + topic), content, headers);
}

QStringList tst_Attachments::filesKept() const
{
    QStringList files = QDir(m_service->dataPath(u"attachments"_qs)).entryList(QDir::Files);
    files.removeIf([](const QString &name) { return name.endsWith(u".json"_qs); });
    return files;
}

void tst_Attachments::aPictureUploadedAsNtfyDoesReachesEveryFormatAndIsServedByteForByte()
{
    QVERIFY(m_service->start());
    auto *ntfy = new SseClient;
    m_streams.append(ntfy);
    ntfy->open(m_service->port(), "/photos/json");
    auto *json = new SseClient;
    m_streams.append(json);
    json->open(m_service->port(), "/events?topic=photos&format=json");
    QVERIFY(ntfy->waitForHead() && json->waitForHead());

    const QByteArray picture = pngPicture(8, 6);
    const HttpReply reply = upload(u"photos"_qs, picture, {{"Filename", "map of the hall.png"}, {"Title", "Map"}});
    QCOMPARE(reply.status, 200);
    const QJsonObject message = reply.json().object();
    QCOMPARE(message.value(u"message").toString(), u"map of the hall.png"_qs); // no Message: the name
    QCOMPARE(message.value(u"title").toString(), u"Map"_qs);
    const QJsonObject attachment = message.value(u"attachment").toObject();
    QCOMPARE(attachment.value(u"name").toString(), u"map of the hall.png"_qs);
    QCOMPARE(attachment.value(u"type").toString(), u"image/png"_qs);
    QCOMPARE(attachment.value(u"size").toInteger(), picture.size());
    QVERIFY(qAbs(attachment.value(u"expires").toInteger() - (QDateTime::currentSecsSinceEpoch() + 24 * 3600)) < 60);
    const QUrl fileUrl(attachment.value(u"url").toString());
    QCOMPARE(fileUrl.host(), u"127.0.0.1"_qs); // as the publisher reached Herald
    QCOMPARE(fileUrl.port(), int(m_service->port()));
    QVERIFY2(QRegularExpression(u"^/file/[A-Za-z0-9]{24}\\.png$"_qs).match(fileUrl.path()).hasMatch(),
             qPrintable(fileUrl.path()));

    // Every reader gets the same description: ntfy's streams and Herald's json format.
    QTRY_VERIFY(ntfy->rawBody().contains("\"attachment\""));
    QJsonObject streamed;
    for (const QByteArray &line : ntfy->rawBody().split('\n')) {
        if (line.contains("\"message\"") && line.contains("attachment"))
            streamed = QJsonDocument::fromJson(line).object();
    }
    QCOMPARE(streamed.value(u"attachment").toObject(), attachment);
    QVERIFY(json->waitForEvents(1));
    const QJsonObject envelope = QJsonDocument::fromJson(json->events().constLast().data.toUtf8()).object();
    QCOMPARE(envelope.value(u"attachment").toObject(), attachment);

    const HttpReply file = httpRequest("GET", fileUrl);
    QCOMPARE(file.status, 200);
    QCOMPARE(file.body, picture);
    QCOMPARE(file.header("Content-Type"), QByteArray("image/png"));
    QCOMPARE(file.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(file.header("Content-Security-Policy"), QByteArray("sandbox"));
    QVERIFY2(file.header("Content-Disposition").startsWith("inline; filename=\"map of the hall.png\""),
             file.header("Content-Disposition").constData());
    QVERIFY(file.header("Cache-Control").startsWith("private"));

    // Another extension, or none, names the same file; an id never given out names none.
    QCOMPARE(httpRequest("GET", m_service->url(fileUrl.path().chopped(4))).body, picture);
    const HttpReply unknown = httpRequest("GET", m_service->url(u"/file/ABCDEFGHIJKLMNOPQRSTUVWX.png"_qs));
    QCOMPARE(unknown.status, 404);
    QVERIFY(!unknown.error().isEmpty());
    QCOMPARE(httpRequest("GET", m_service->url(u"/file/..%2F..%2Fherald.ini"_qs)).status, 404);
}

void tst_Attachments::heraldsOwnPublishTakesAFileWithItsTextAndFields()
{
    ServiceConfig config;
    config.maxBodyBytes = 100; // a file is bounded by --attachment-max, not by --max-body
    QVERIFY(m_service->start(config));
    const QByteArray text = QByteArray(5000, 'x') + '\n';
    const HttpReply reply
        = httpRequest("POST", m_service->url(u"/publish?topic=lobby&filename=log.txt&priority=high"_qs), text,
                      {{"Content-Type", "application/octet-stream"}, {"Message", "Today's log"}});
    QCOMPARE(reply.status, 200);
    const quint64 id = reply.json().object().value(u"id").toInteger();
    QVERIFY(id > 0);
    const QByteArray lines = httpRequest("GET", m_service->url(u"/lobby/json?poll=1"_qs)).body;
    const QJsonObject message = QJsonDocument::fromJson(lines.trimmed().split('\n').constLast()).object();
    QCOMPARE(message.value(u"message").toString(), u"Today's log"_qs);
    QCOMPARE(message.value(u"priority").toInt(), 4);
    QCOMPARE(message.value(u"attachment").toObject().value(u"type").toString(), u"text/plain"_qs);
    const HttpReply file = httpRequest("GET", m_service->url(filePath(message.value(u"attachment").toObject())));
    QCOMPARE(file.body, text);
    QCOMPARE(file.header("Content-Type"), QByteArray("text/plain; charset=utf-8"));
}

void tst_Attachments::htmlAndSvgAreDownloadsAndPlainTextIsShown()
{
    QVERIFY(m_service->start());
    struct Case
    {
        QByteArray content;
        QByteArray name;
        QByteArray type;
        bool shown;
    };
    const Case cases[] = {
        {"<!DOCTYPE html><html><body><script>fetch('/publish')</script></body></html>", "cat.png", "text/html", false},
        {"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>", "logo.png", "image/svg+xml", false},
        {QByteArray("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), "schedule.pdf", "application/pdf", false},
        {"Doors open at nine.\n", "notice.html", "text/plain; charset=utf-8", true},
    };
    for (const Case &c : cases) {
        const HttpReply reply = upload(u"files"_qs, c.content, {{"Filename", c.name}});
        QCOMPARE(reply.status, 200);
        const HttpReply file
            = httpRequest("GET", m_service->url(filePath(reply.json().object().value(u"attachment").toObject())));
        QCOMPARE(file.body, c.content);
        QCOMPARE(file.header("Content-Type"), c.type); // from the content, never from the name
        QCOMPARE(file.header("X-Content-Type-Options"), QByteArray("nosniff"));
        QCOMPARE(file.header("Content-Security-Policy"), QByteArray("sandbox"));
        QVERIFY2(file.header("Content-Disposition").startsWith(c.shown ? "inline;" : "attachment;"), c.name);
        QVERIFY(file.header("Content-Disposition").contains("filename=\"" + c.name + '"'));
    }
    // A name that is not ASCII survives whole in filename*, with a plain stand-in for old clients.
    const HttpReply reply = upload(u"files"_qs, "x", {{"Filename", "h\xc3\xa9llo \"world\".txt"}});
    QCOMPARE(reply.status, 200);
    const QByteArray disposition
        = httpRequest("GET", m_service->url(filePath(reply.json().object().value(u"attachment").toObject())))
              .header("Content-Disposition");
    QCOMPARE(disposition,
             QByteArray("inline; filename=\"h_llo _world_.txt\"; filename*=UTF-8''h%C3%A9llo%20%22world%22.txt"));
}

void tst_Attachments::aFileOverTheLimitIsRefusedBeforeItIsSent()
{
    ServiceConfig config;
    config.attachmentMaxBytes = 1000;
    QVERIFY(m_service->start(config));
    // The head alone: the answer comes without waiting for the body.
    const QByteArray answer = rawExchange(m_service->port(),
                                          "PUT /photos HTTP/1.1\r\nHost: x\r\nFilename: big.png\r\nContent-Length: "
                                          "1001\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
    QVERIFY2(answer.contains("--attachment-max"), answer.constData());
    QCOMPARE(upload(u"photos"_qs, QByteArray(1000, 'x'), {{"Filename", "fits.bin"}}).status, 200);
    // Over HTTP the body is refused the same way once it came through whole.
    const HttpReply large = upload(u"photos"_qs, QByteArray(1001, 'x'), {{"Filename", "big.bin"}});
    QCOMPARE(large.status, 413);
    QCOMPARE(filesKept().size(), 1);
    // A file with no bytes, or a name with a slash, is refused.
    QCOMPARE(upload(u"photos"_qs, QByteArray(), {{"Filename", "empty.txt"}}).status, 400);
    const HttpReply slashed = upload(u"photos"_qs, "x", {{"Filename", "../../etc/passwd"}});
    QCOMPARE(slashed.status, 400);
    QVERIFY2(slashed.error().contains(u"filename"_qs), qPrintable(slashed.error()));
    // A right-to-left override would show "invoice\u202Egpj.exe" as "invoiceexe.jpg".
    QCOMPARE(upload(u"photos"_qs, "x", {{"Filename", "invoice\xe2\x80\xaegpj.exe"}}).status, 400);
}

void tst_Attachments::theOldestFilesGoToStayWithinTheTotal()
{
    ServiceConfig config;
    config.attachmentTotalBytes = 2500;
    QVERIFY(m_service->start(config));
    QStringList paths;
    for (char c : {'a', 'b', 'c'}) {
        const HttpReply reply = upload(u"t"_qs, QByteArray(1000, c), {{"Filename", "f.txt"}});
        QCOMPARE(reply.status, 200);
        paths.append(filePath(reply.json().object().value(u"attachment").toObject()));
        QTest::qWait(5); // kept at different moments
    }
    const HttpReply gone = httpRequest("GET", m_service->url(paths.at(0)));
    QCOMPARE(gone.status, 410);
    QVERIFY2(gone.error().contains(u"expired"_qs), qPrintable(gone.error()));
    QCOMPARE(httpRequest("GET", m_service->url(paths.at(1))).body, QByteArray(1000, 'b'));
    QCOMPARE(httpRequest("GET", m_service->url(paths.at(2))).body, QByteArray(1000, 'c'));
    QCOMPARE(filesKept().size(), 2);
}

void tst_Attachments::aFileExpires()
{
    ServiceConfig config;
    config.attachmentExpirySeconds = 1;
    QVERIFY(m_service->start(config));
    const HttpReply reply = upload(u"t"_qs, "brief", {{"Filename", "f.txt"}});
    const QString path = filePath(reply.json().object().value(u"attachment").toObject());
    QTRY_COMPARE_WITH_TIMEOUT(httpRequest("GET", m_service->url(path)).status, 410, 10'000);
    QTRY_VERIFY(filesKept().isEmpty()); // and the sweep deletes it
}

void tst_Attachments::retractingAMessageDeletesItsFile()
{
    QVERIFY(m_service->start());
    const HttpReply reply = upload(u"t"_qs, "oops", {{"Filename", "wrong.txt"}});
    const QString path = filePath(reply.json().object().value(u"attachment").toObject());
    QCOMPARE(httpRequest("GET", m_service->url(path)).status, 200);
    QCOMPARE(httpRequest("DELETE", m_service->url(u"/api/events/"_qs + reply.json().object().value(u"id").toString()))
                 .status,
             204);
    QCOMPARE(httpRequest("GET", m_service->url(path)).status, 404);
    QVERIFY(filesKept().isEmpty());
}

void tst_Attachments::aRefusedOrRepeatedUploadLeavesNoFile()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    QVERIFY(m_service->start(config));
    // Refused before the file is kept: no token, a bad field.
    QCOMPARE(upload(u"t"_qs, "x", {{"Filename", "a.txt"}}).status, 401);
    QCOMPARE(
        upload(u"t"_qs, "x", {{"Filename", "a.txt"}, {"Authorization", "Bearer s3cret"}, {"Priority", "9"}}).status,
        400);
    QVERIFY(filesKept().isEmpty());
    // A retry with the same Idempotency-Key makes no second event, and keeps no second file.
    const QList<QPair<QByteArray, QByteArray>> headers{
        {"Filename", "a.txt"}, {"Authorization", "Bearer s3cret"}, {"Idempotency-Key", "upload-1"}};
    const HttpReply first = upload(u"t"_qs, "once", headers);
    const HttpReply again = upload(u"t"_qs, "once", headers);
    QCOMPARE(first.status, 200);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json().object().value(u"id"), first.json().object().value(u"id"));
    QCOMPARE(filesKept().size(), 1);
}

void tst_Attachments::aLinkToAFileElsewhereIsCarriedAndNeverFetched()
{
    QVERIFY(m_service->start());
    const HttpReply json
        = httpRequest("POST", m_service->url(u"/publish"_qs),
                      R"({"data": "Tonight's menu", "topic": "food", "attach": "https://example.org/menu.pdf?v=2"})",
                      {{"Content-Type", "application/json"}});
    QCOMPARE(json.status, 200);
    const HttpReply ntfy
        = upload(u"food"_qs, "Map", {{"Attach", "https://example.org/x/map"}, {"Filename", "hall map.jpg"}});
    QCOMPARE(ntfy.status, 200);
    const QByteArray lines = httpRequest("GET", m_service->url(u"/food/json?poll=1"_qs)).body;
    const QList<QByteArray> messages = lines.trimmed().split('\n');
    QCOMPARE(messages.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(messages.at(0)).object().value(u"attachment").toObject(),
             (QJsonObject{{u"name"_qs, u"menu.pdf"_qs}, {u"url"_qs, u"https://example.org/menu.pdf?v=2"_qs}}));
    QCOMPARE(QJsonDocument::fromJson(messages.at(1)).object().value(u"attachment").toObject(),
             (QJsonObject{{u"name"_qs, u"hall map.jpg"_qs}, {u"url"_qs, u"https://example.org/x/map"_qs}}));
    QVERIFY(filesKept().isEmpty());
    // An empty Attach asks for nothing: a plain message, as an empty Title gives no title.
    const HttpReply empty = httpRequest("POST", m_service->url(u"/publish?topic=food&attach="_qs), "no file",
                                        {{"Content-Type", "text/plain"}});
    QCOMPARE(empty.status, 200);
    const QByteArray after = httpRequest("GET", m_service->url(u"/food/json?poll=1"_qs)).body;
    QVERIFY(!QJsonDocument::fromJson(after.trimmed().split('\n').constLast()).object().contains(u"attachment"));
    const HttpReply script = httpRequest("POST", m_service->url(u"/publish"_qs),
                                         R"json({"data": "x", "attach": "javascript:alert(1)"})json",
                                         {{"Content-Type", "application/json"}});
    QCOMPARE(script.status, 400);
    QVERIFY2(script.error().contains(u"attach"_qs), qPrintable(script.error()));
}

void tst_Attachments::aPrivateHeraldsFilesNeedTheReadersToken()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    config.readToken = u"r3ad"_qs;
    config.privateStreams = true;
    QVERIFY(m_service->start(config));
    const HttpReply reply = upload(u"t"_qs, "for members", {{"Filename", "a.txt"}, {"Authorization", "Bearer s3cret"}});
    QCOMPARE(reply.status, 200);
    const QString path = filePath(reply.json().object().value(u"attachment").toObject());
    QCOMPARE(httpRequest("GET", m_service->url(path)).status, 401);
    QCOMPARE(httpRequest("GET", m_service->url(path), {}, {{"Authorization", "Bearer guess"}}).status, 401);
    QCOMPARE(httpRequest("GET", m_service->url(path), {}, {{"Authorization", "Bearer r3ad"}}).body,
             QByteArray("for members"));
    QCOMPARE(httpRequest("GET", m_service->url(path + u"?token=r3ad"_qs)).body, QByteArray("for members"));
}

void tst_Attachments::aRestartKeepsTheFiles()
{
    QVERIFY(m_service->start());
    const QByteArray picture = pngPicture(20, 6);
    const HttpReply reply = upload(u"t"_qs, picture, {{"Filename", "p.png"}});
    const QString path = filePath(reply.json().object().value(u"attachment").toObject());
    QVERIFY(m_service->start());
    const HttpReply file = httpRequest("GET", m_service->url(path));
    QCOMPARE(file.status, 200);
    QCOMPARE(file.body, picture);
    QCOMPARE(file.header("Content-Disposition"), QByteArray("inline; filename=\"p.png\"; filename*=UTF-8''p.png"));
}

void tst_Attachments::aScheduledMessagesFileLastsFromItsTimeAndGoesWithItsCancellation()
{
    QVERIFY(m_service->start());
    const HttpReply reply = upload(u"t"_qs, "tonight's plan", {{"Filename", "plan.txt"}, {"Delay", "2h"}});
    QCOMPARE(reply.status, 200);
    const QJsonObject attachment = reply.json().object().value(u"attachment").toObject();
    const qint64 expected = QDateTime::currentSecsSinceEpoch() + 2 * 3600 + 24 * 3600;
    QVERIFY(qAbs(attachment.value(u"expires").toInteger() - expected) < 60);
    const QString path = filePath(attachment);
    QCOMPARE(httpRequest("GET", m_service->url(path)).status, 200);
    QCOMPARE(
        httpRequest("DELETE", m_service->url(u"/api/scheduled/"_qs + reply.json().object().value(u"id").toString()))
            .status,
        204);
    QCOMPARE(httpRequest("GET", m_service->url(path)).status, 404);
    QVERIFY(filesKept().isEmpty());
}

void tst_Attachments::aFullDiskOrAnUnusableFolderRefusesTheUploadAndNothingIsPublished()
{
    QVERIFY(m_service->start());
    QCOMPARE(upload(u"t"_qs, "fits", {{"Filename", "a.txt"}}).status, 200);
    {
        // The disk is full, as the system shows it to Herald: the file cannot be written.
        FileSizeLimit full(1000);
        QVERIFY(full.isSet());
        const HttpReply refused = upload(u"t"_qs, QByteArray(5000, 'x'), {{"Filename", "big.txt"}});
        QCOMPARE(refused.status, 507);
        QVERIFY2(refused.error().contains(u"attachments"_qs), qPrintable(refused.error()));
    }
    QCOMPARE(retainedTexts(u"t"_qs), QStringList{u"a.txt"_qs});
    QCOMPARE(filesKept().size(), 1);

    // A file where the folder should be: Herald starts and serves, and says why it takes no file.
    m_service->stop();
    QDir(m_service->dataPath(u"attachments"_qs)).removeRecursively();
    QFile blocker(m_service->dataPath(u"attachments"_qs));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QVERIFY(m_service->start());
    QCOMPARE(
        httpRequest("POST", m_service->url(u"/publish"_qs), "text still goes", {{"Content-Type", "text/plain"}}).status,
        200);
    const HttpReply refused = upload(u"t"_qs, "x", {{"Filename", "b.txt"}});
    QCOMPARE(refused.status, 507);
    QVERIFY2(refused.error().contains(QDir::toNativeSeparators(m_service->dataPath(u"attachments"_qs))),
             qPrintable(refused.error()));
    QCOMPARE(retainedTexts(u"t"_qs), QStringList{u"a.txt"_qs});
}

void tst_Attachments::anUploadWithoutACredentialIsRefusedAtItsHead()
{
    ServiceConfig config;
    config.token = u"s3cret"_qs;
    QVERIFY(m_service->start(config));
    // Only the head: no memory is set aside for the 10 MB it announces.
    const QByteArray answer = rawExchange(
        m_service->port(), "PUT /photos HTTP/1.1\r\nHost: x\r\nFilename: big.png\r\nContent-Length: 10000000\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 401"), answer.constData());
    QVERIFY2(answer.contains("token"), answer.constData());
    // With the token, or a wrong one, the body is read and the API decides.
    QCOMPARE(upload(u"photos"_qs, "x", {{"Filename", "a.txt"}, {"Authorization", "Bearer guess"}}).status, 401);
    QCOMPARE(upload(u"photos"_qs, "x", {{"Filename", "a.txt"}, {"Authorization", "Bearer s3cret"}}).status, 200);
}

void tst_Attachments::anUploadThatAsksBeforeSendingIsToldToGoOn()
{
    ServiceConfig config;
    config.attachmentMaxBytes = 500'000;
    QVERIFY(m_service->start(config));
    // curl -T, as ntfy's documentation uploads a file, sends the head with Expect: 100-continue
    // and holds the body back until it is told to go on (or, told nothing, for a second).
    QTcpSocket kept;
    QTcpSocket fresh;
    QByteArray answer;
    const auto sendAsking = [&](QTcpSocket &socket, int size) {
        if (socket.state() != QAbstractSocket::ConnectedState) {
            socket.connectToHost(u"127.0.0.1"_qs, m_service->port());
            if (!socket.waitForConnected(3000))
                return false;
        }
        answer.clear();
        socket.write("PUT /photos HTTP/1.1\r\nHost: 127.0.0.1\r\nFilename: notes.txt\r\nExpect: 100-continue\r\n"
                     "Content-Length: "
                     + QByteArray::number(size) + "\r\n\r\n");
        return true;
    };
    const auto arrived = [&](QTcpSocket &socket, const QByteArray &end) {
        return QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return answer.contains(end);
            },
            5000);
    };
    // A small file, read whole by the gate, twice on one connection; a larger one, which
    // QHttpServer reads, on a connection of its own.
    for (const auto &[socket, size] : {std::pair{&kept, 1'000}, std::pair{&kept, 2'000}, std::pair{&fresh, 300'000}}) {
        QVERIFY(sendAsking(*socket, size));
        QVERIFY2(arrived(*socket, "\r\n\r\n"), answer.constData());
        QCOMPARE(answer, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        answer.clear();
        socket->write(QByteArray(size, 'n'));
        QVERIFY2(arrived(*socket, "}"), answer.constData());
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QVERIFY2(answer.contains(QByteArray("\"size\":") + QByteArray::number(size)), answer.constData());
    }
    QCOMPARE(filesKept().size(), 3);
    // A head refused as it stands gets its answer, and no leave to send the file.
    const QByteArray refused = rawExchange(m_service->port(),
                                           "PUT /photos HTTP/1.1\r\nHost: x\r\nFilename: big.png\r\nExpect: "
                                           "100-continue\r\nContent-Length: 500001\r\n\r\n");
    QVERIFY2(refused.startsWith("HTTP/1.1 413"), refused.constData());
    QVERIFY2(!refused.contains("100 Continue"), refused.constData());
}

void tst_Attachments::aFileSentInChunksAsNtfysClientSendsItIsKeptWhole()
{
    ServiceConfig config;
    config.attachmentMaxBytes = 500'000;
    QVERIFY(m_service->start(config));
    // `ntfy publish --file` and `curl -T -` do not know the file's size: they send it in chunks
    // (Transfer-Encoding: chunked), here 200,000 bytes in pieces of 32 KiB, each written on its own.
    QByteArray file;
    for (int i = 0; file.size() < 200'000; ++i)
        file += QByteArray::number(i) + ' ';
    file.truncate(200'000);
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_qs, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    socket.write(
        "PUT /logs HTTP/1.1\r\nHost: 127.0.0.1\r\nFilename: numbers.txt\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (qsizetype at = 0; at < file.size(); at += 32 * 1024) {
        const QByteArray piece = file.mid(at, 32 * 1024);
        socket.write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
        QVERIFY(socket.waitForBytesWritten(3000));
        QTest::qWait(5);
    }
    // The last chunk, and a request behind it on the same connection: answered after the upload.
    socket.write("0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray answers;
    QVERIFY(QTest::qWaitFor(
        [&] {
            answers += socket.readAll();
            return answers.count("HTTP/1.1 200") == 2 && answers.endsWith("ok");
        },
        5000));
    QVERIFY2(answers.startsWith("HTTP/1.1 200"), answers.constData());
    const QByteArray first = answers.mid(answers.indexOf("\r\n\r\n") + 4);
    const QJsonObject attachment
        = QJsonDocument::fromJson(first.left(first.indexOf("HTTP/1.1"))).object().value(u"attachment").toObject();
    QCOMPARE(attachment.value(u"size").toInteger(), file.size());
    QCOMPARE(attachment.value(u"name").toString(), u"numbers.txt"_qs);
    QCOMPARE(httpRequest("GET", m_service->url(filePath(attachment))).body, file);

    // Again on the same connection, now read ahead, behind a request being answered and in the
    // same write.
    answers.clear();
    const QByteArray again = file.left(100'000);
    socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                 "PUT /logs HTTP/1.1\r\nHost: 127.0.0.1\r\nFilename: again.txt\r\nTransfer-Encoding: chunked\r\n\r\n"
                 + QByteArray::number(again.size(), 16) + "\r\n" + again + "\r\n0\r\n\r\n");
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     answers += socket.readAll();
                     return answers.contains("}");
                 },
                 5000),
             answers.constData());
    QVERIFY2(answers.startsWith("HTTP/1.1 200") && answers.contains("\"size\":100000"), answers.constData());

    // Chunks that add up to more than --attachment-max are refused at the one that crosses it,
    // and nothing is kept.
    QTcpSocket tooMuch;
    tooMuch.connectToHost(u"127.0.0.1"_qs, m_service->port());
    QVERIFY(tooMuch.waitForConnected(3000));
    tooMuch.write("PUT /logs HTTP/1.1\r\nHost: 127.0.0.1\r\nFilename: big.bin\r\nTransfer-Encoding: chunked\r\n\r\n");
    const QByteArray chunk = "40000\r\n" + QByteArray(0x40000, 'b') + "\r\n"; // 262,144 bytes
    tooMuch.write(chunk + chunk);
    QByteArray refused;
    QVERIFY(QTest::qWaitFor(
        [&] {
            refused += tooMuch.readAll();
            return refused.contains("}");
        },
        5000));
    QVERIFY2(refused.startsWith("HTTP/1.1 413") && refused.contains("--attachment-max"), refused.constData());
    QCOMPARE(filesKept().size(), 2);
}

void tst_Attachments::anEditKeepsTheFileAndALaterTimeKeepsItLonger()
{
    QVERIFY(m_service->start());
    const HttpReply sent = upload(u"t"_qs, "first words", {{"Filename", "plan.txt"}});
    const QJsonObject attachment = sent.json().object().value(u"attachment").toObject();
    const QString id = sent.json().object().value(u"id").toString();
    QCOMPARE(httpRequest("PUT", m_service->url(u"/api/events/"_qs + id), R"({"data": "better words"})").status, 200);
    const QByteArray lines = httpRequest("GET", m_service->url(u"/t/json?poll=1"_qs)).body;
    const QJsonObject edited = QJsonDocument::fromJson(lines.trimmed().split('\n').constLast()).object();
    QCOMPARE(edited.value(u"message").toString(), u"better words"_qs);
    QCOMPARE(edited.value(u"attachment").toObject(), attachment);

    // A scheduled message moved later keeps its file for its lifetime from the new time.
    const HttpReply scheduled = upload(u"t"_qs, "later", {{"Filename", "late.txt"}, {"Delay", "1h"}});
    const QString schedule = scheduled.json().object().value(u"id").toString();
    QCOMPARE(httpRequest("PUT", m_service->url(u"/api/scheduled/"_qs + schedule), R"({"delay": "2d"})").status, 200);
    const QJsonObject moved = httpRequest("GET", m_service->url(u"/api/scheduled"_qs)).json().array().at(0).toObject();
    const qint64 expected = QDateTime::currentSecsSinceEpoch() + 2 * 86400 + 24 * 3600;
    QVERIFY(qAbs(moved.value(u"attachment").toObject().value(u"expires").toInteger() - expected) < 60);
}

QStringList tst_Attachments::retainedTexts(const QString &topic)
{
    QStringList texts;
    for (const QByteArray &line :
         httpRequest("GET", m_service->url(u"/"_qs + topic + u"/json?poll=1"_qs)).body.split('\n')) {
        if (!line.isEmpty())
            texts.append(QJsonDocument::fromJson(line).object().value(u"message").toString());
    }
    return texts;
}

QTEST_GUILESS_MAIN(tst_Attachments)
#include "tst_attachments.moc"
