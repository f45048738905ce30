#include "httpapi.h"

#include "apirequest.h"
#include "attachmentanswers.h"
#include "batchdecoding.h"
#include "deliverytime.h"
#include "eventstreamencoder.h"
#include "gatedtcpserver.h"
#include "gotifypublish.h"
#include "heraldservice.h"
#include "networkurls.h"
#include "ntfymessage.h"
#include "ntfypublish.h"
#include "ntfysubscribe.h"
#include "publishdecoding.h"
#include "requestfields.h"
#include "requestsource.h"
#include "scheduleanswers.h"
#include "streamdecoding.h"
#include "streamjson.h"

#include <QDateTime>
#include <QFile>
#include <QHostInfo>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include <algorithm>
#include <functional>

using Status = QHttpServerResponder::StatusCode;

namespace {

// How many events a publisher that waits for its answers may be ahead of the streams.
constexpr quint64 PublishLead = 2;
constexpr qsizetype MaxUserAgentLength = 512;
constexpr qsizetype MaxIdempotencyKeyLength = 200;

/// The request's Idempotency-Key, or why it cannot be one (empty when it can).
QByteArray idempotencyKeyOf(const ApiRequest &request, QString *error)
{
    const QByteArray key = request.value("Idempotency-Key").trimmed();
    if (key.size() > MaxIdempotencyKeyLength)
        *error = QStringLiteral("the Idempotency-Key is longer than %1 bytes").arg(MaxIdempotencyKeyLength);
    return key;
}
// The page's settings on its <html> element, as index.html has them, for the service to fill in.
constexpr QByteArrayView PageHistoryAttribute = "data-page-history=\"20\"";
constexpr QByteArrayView CanPublishAttribute = "data-can-publish=\"false\"";

HttpAnswer jsonError(Status status, const QString &message)
{
    return HttpAnswer::error(status, message);
}

/// The id at the end of \a path, after \a prefix, percent-decoded.
QString idIn(const QByteArray &path, const char *prefix)
{
    return QUrl::fromPercentEncoding(path.mid(qsizetype(qstrlen(prefix)) - 1));
}

/// Whether \a path is the route path \a pattern, where a trailing "/*" stands for one id.
bool pathMatches(const QByteArray &path, const char *pattern)
{
    const QByteArrayView route(pattern);
    if (!route.endsWith("/*"))
        return path == route;
    const QByteArrayView prefix = route.chopped(1);
    return path.size() > prefix.size() && path.startsWith(prefix) && !path.mid(prefix.size()).contains('/');
}

/// The headers of \a request as the publish decoders read them; valid while \a request is.
HeaderLookup headersOf(const ApiRequest &request)
{
    return [&request](QByteArrayView name) {
        return request.value(name);
    };
}

HttpAnswer methodNotAllowed(const QByteArray &allowed)
{
    HttpAnswer response
        = jsonError(Status::MethodNotAllowed,
                    QStringLiteral("use %1 here")
                        .arg(QString::fromLatin1(allowed).replace(QLatin1String(", "), QLatin1String(" or "))));
    response.setHeader("Allow", allowed);
    return response;
}

Status statusOf(PublishRefusal refusal)
{
    switch (refusal) {
    case PublishRefusal::None:
        return Status::Ok;
    case PublishRefusal::Malformed:
        return Status::BadRequest;
    case PublishRefusal::TooLarge:
        return Status::PayloadTooLarge;
    case PublishRefusal::UnsupportedMediaType:
        return Status::UnsupportedMediaType;
    }
    return Status::BadRequest;
}

/// Why no scheduled message is \a id.
QString nothingWaitsUnder(const QString &id)
{
    return QStringLiteral("nothing waits under %1: it went out, was cancelled, or never was").arg(id.left(64));
}

constexpr int StreamRetryAfterSeconds = 10; // when Herald is full, not a moment from now

/// The answer to an accepted publish: {"delivered", "duplicate"?, "id"}; for one that waits for its
/// time, {"schedule", "scheduled" (Unix seconds), "duplicate"?}.
HttpAnswer publishAnswer(const PublishResult &result)
{
    if (!result.scheduleId.isEmpty()) {
        QJsonObject body{{QStringLiteral("schedule"), result.scheduleId},
                         {QStringLiteral("scheduled"), result.scheduledAtMs / 1000}};
        if (result.duplicate)
            body.insert(QStringLiteral("duplicate"), true);
        return HttpAnswer(body);
    }
    // Two numbers, answered to every publish: written directly, as QJsonDocument would.
    QByteArray body = "{\"delivered\":" + QByteArray::number(result.queuedTo);
    if (result.duplicate)
        body += ",\"duplicate\":true";
    body += ",\"id\":" + QByteArray::number(result.id) + '}';
    return HttpAnswer::json(std::move(body));
}

/// The answer to a batch publish: {"ids": [...], "delivered": [...]} in the order of its lines,
/// with "duplicate": true when a batch sent before with its Idempotency-Key made them.
HttpAnswer batchAnswer(const HeraldService::PublishedBatch &batch)
{
    QJsonArray ids;
    QJsonArray delivered;
    bool duplicate = false;
    for (const PublishResult &result : batch.results) {
        ids.append(qint64(result.id));
        delivered.append(result.queuedTo);
        duplicate = duplicate || result.duplicate;
    }
    QJsonObject body{{QStringLiteral("ids"), ids}, {QStringLiteral("delivered"), delivered}};
    if (duplicate)
        body.insert(QStringLiteral("duplicate"), true);
    return HttpAnswer(body);
}

/// The answer to a publish the service did not accept.
HttpAnswer publishError(const PublishResult &result)
{
    switch (result.error) {
    case PublishError::Invalid:
        return jsonError(Status::BadRequest, result.message);
    case PublishError::ShuttingDown:
    case PublishError::Unavailable:
        return HttpAnswer::tryAgainLater(result.message);
    case PublishError::None:
        break;
    }
    return jsonError(Status::InternalServerError, result.message);
}

QUrlQuery queryOf(const ApiRequest &request)
{
    return formQuery(request.query);
}

/// The Authorization header's value, or ntfy's auth query parameter, which carries it in
/// unpadded URL-safe Base64.
QByteArray authorizationOf(const QByteArray &header, const QUrlQuery &query)
{
    if (!header.isEmpty() || !query.hasQueryItem(QStringLiteral("auth")))
        return header;
    return QByteArray::fromBase64(formQueryValue(query, QStringLiteral("auth")).toLatin1(),
                                  QByteArray::Base64UrlEncoding);
}

/// The page's address with \a encodedQuery, less its token and publisher parameters, which are
/// left as they were sent.
QByteArray addressWithoutSecrets(const QString &encodedQuery)
{
    QStringList kept;
    for (const QString &item : encodedQuery.split(u'&', Qt::SkipEmptyParts)) {
        QString name = item.section(u'=', 0, 0);
        name = QUrl::fromPercentEncoding(name.replace(u'+', u' ').toUtf8());
        if (name != QLatin1String("token") && name != QLatin1String("publisher"))
            kept.append(item);
    }
    return kept.isEmpty() ? QByteArray("/") : "/?" + kept.join(u'&').toUtf8();
}

/// Where a GET opens one of Herald's event streams: the request gate hands those, and ntfy's
/// subscriptions (isNtfySubscribePath), straight to openStreams().
const char *const StreamPaths[] = {"/events", "/sse"};

bool isHeraldStreamPath(QByteArrayView path)
{
    return std::any_of(std::begin(StreamPaths), std::end(StreamPaths),
                       [path](const char *streamPath) { return path == streamPath; });
}

/// The Content-Type of a stream of \a format.
QByteArray streamContentType(StreamFormat format)
{
    switch (format) {
    case StreamFormat::NtfyJson:
        return "application/x-ndjson; charset=utf-8";
    case StreamFormat::NtfyRaw:
        return "text/plain; charset=utf-8";
    default:
        return "text/event-stream; charset=utf-8";
    }
}

/// The contents of one of the page's files, read once and shared by every answer.
QByteArray resource(const QString &path)
{
    static QHash<QString, QByteArray> files;
    auto it = files.find(path);
    if (it == files.end()) {
        QFile file(path);
        it = files.insert(path, file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray());
    }
    return *it;
}

/// Serves \a body, one of the page's files, with the headers that keep it inert.
HttpAnswer serveResource(const QByteArray &body, const QByteArray &mimeType)
{
    if (body.isEmpty())
        return jsonError(Status::InternalServerError, QStringLiteral("the page is missing from this build"));
    HttpAnswer response(mimeType, body);
    response.setHeader("Content-Security-Policy",
                       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                       "connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; "
                       "form-action 'none'; frame-ancestors 'self'");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-cache");
    return response;
}

} // namespace

LaterAnswer::LaterAnswer(QHttpServerResponder &&responder)
    : m_socket(responder.socket())
    , m_responder(std::make_shared<QHttpServerResponder>(std::move(responder)))
{
    // The request has been read in full: the request timeout no longer applies to it.
    GatedTcpServer::requestRead(m_socket);
}

LaterAnswer::LaterAnswer(GatedTcpServer *server, int fd)
    : m_gatedServer(server)
    , m_gatedFd(fd)
{}

LaterAnswer LaterAnswer::forHead() const
{
    LaterAnswer head = *this;
    head.m_withoutBody = true;
    return head;
}

void LaterAnswer::operator()(const HttpAnswer &given) const
{
    const HttpAnswer answer = m_withoutBody ? given.withoutBody() : given;
    if (m_gatedServer)
        m_gatedServer->reply(m_gatedFd, answer.headBytes(), answer.isWithoutBody() ? QByteArray() : answer.body());
    else if (m_socket && answer.isWithoutBody())
        m_socket->write(answer.headBytes()); // the very head QHttpServer writes, without the body
    else if (m_socket)
        answer.toResponse().write(std::move(*m_responder));
}

void LaterAnswer::sendFromAnyThread(const HttpAnswer &answer, QObject *context) const
{
    if (m_gatedServer)
        return (*this)(answer); // the gate takes it from any thread
    // QHttpServer's socket is written on its own thread: at once when that is this one.
    QMetaObject::invokeMethod(
        context, [self = *this, answer] { self(answer); }, Qt::AutoConnection);
}

bool LaterAnswer::isWanted() const
{
    // The gate keeps its connection until the answer has gone out, so it is always wanted.
    return m_gatedServer || m_socket;
}

const HttpApi::Route HttpApi::Routes[] = {
    {"GET", "/", Route::ReadOnly, &HttpApi::handlePage},
    {"GET", "/client.js", Route::ReadOnly, &HttpApi::handleScript},
    {"GET", "/client.css", Route::ReadOnly, &HttpApi::handleStyle},
    {"GET", "/favicon.svg", Route::ReadOnly, &HttpApi::handleIcon},
    {"GET", HttpApi::AuthorityPath, Route::ReadOnly, &HttpApi::handleAuthority},
    {"GET", "/markdown-it.js", Route::ReadOnly, &HttpApi::handleScript},
    {"GET", "/emoji.js", Route::ReadOnly, &HttpApi::handleScript},
    {"GET", "/sw.js", Route::ReadOnly, &HttpApi::handleScript},
    {"GET", "/manifest.webmanifest", Route::ReadOnly, &HttpApi::handleManifest},
    {"GET", "/icon-192.png", Route::ReadOnly, &HttpApi::handleIcon},
    {"GET", "/icon-512.png", Route::ReadOnly, &HttpApi::handleIcon},
    {"GET", "/healthz", Route::ReadOnly, &HttpApi::handleHealth},
    {"GET", "/api/stats", Route::ReadOnly, &HttpApi::handleStats},
    {"GET", "/metrics", Route::ReadOnly, &HttpApi::handleMetrics},
    {"GET", "/api/clients", Route::ReadOnly, &HttpApi::handleClients},
    {"GET", "/file/*", Route::ReadOnly, &HttpApi::handleFile},
    {"GET", "/events", Route::Stream},
    {"GET", "/sse", Route::Stream},
    {"POST", "/publish", Route::Action, nullptr, &HttpApi::handlePublish},
    {"POST", "/message", Route::Action, nullptr, &HttpApi::handleGotifyPublish},
    {"GET", "/say", Route::Action, nullptr, &HttpApi::handleSay},
    {"DELETE", "/api/clients/*", Route::Action, nullptr, &HttpApi::handleDisconnect},
    {"DELETE", "/api/events/*", Route::Action, nullptr, &HttpApi::handleRetract},
    {"PUT", "/api/events/*", Route::Action, nullptr, &HttpApi::handleEdit},
    {"GET", "/api/scheduled", Route::ReadOnly, &HttpApi::handleScheduled},
    {"DELETE", "/api/scheduled/*", Route::Action, nullptr, &HttpApi::handleCancelScheduled},
    {"PUT", "/api/scheduled/*", Route::Action, nullptr, &HttpApi::handleChangeScheduled},
};

HttpApi::HttpApi(HeraldService *service, QHttpServer *httpServer, GatedTcpServer *tcpServer, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_httpServer(httpServer)
    , m_tcpServer(tcpServer)
{
    applySettings();
    connect(m_service, &HeraldService::settingsApplied, this, &HttpApi::applySettings);
    setUpRoutes();
    connect(m_tcpServer, &GatedTcpServer::streamsRequested, this, &HttpApi::openStreams);
    connect(m_tcpServer, &GatedTcpServer::wholeRequestsRead, this, &HttpApi::serveWholeRequests);
}

HttpApi::~HttpApi() = default;

RequestGate::Routes HttpApi::gateRoutes(bool wholeRequests)
{
    RequestGate::Routes routes;
    routes.isStreamPath = [](QByteArrayView path) {
        return isHeraldStreamPath(path) || isNtfySubscribePath(path);
    };
    if (wholeRequests)
        routes.wholeRequests.append(qMakePair(QByteArray("*"), QByteArray("*")));
    routes.isUpload = [](const RequestHead &head) {
        if (head.method != "POST" && head.method != "PUT")
            return false;
        const QByteArray path = head.path();
        if (path != "/publish" && (!isNtfyPublish(head.method, path) || path == "/"))
            return false;
        return !uploadFileName(headersFrom(head.headers), formQuery(head.query())).isNull();
    };
    // A device fetches the authority before it trusts HTTPS.
    routes.plainPaths.append(AuthorityPath);
    return routes;
}

void HttpApi::applySettings()
{
    const ServiceConfig &config = m_service->config();
    m_accessPolicy = AccessPolicy({config.token, config.privateStreams, config.readToken, config.trustedOrigins,
                                   config.hostNames, QHostInfo::localHostName()});
    RequestGate::Limits limits;
    limits.maxBodyBytes = config.maxBodyBytes;
    limits.maxUploadBytes = config.attachmentMaxBytes;
    limits.publishingNeedsToken = !config.token.isEmpty();
    limits.requestTimeoutMs = qMax(1, config.requestTimeoutSeconds) * 1000;
    m_tcpServer->setLimits(limits);
}

void HttpApi::setUpRoutes()
{
    // QHttpServer brings only what the gate does not read whole (a body larger than its
    // buffer): it goes to the same router.
    const auto serveThroughQt = [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        serve(ApiRequest::of(request), LaterAnswer(std::move(responder)));
    };
    m_httpServer->route(QStringLiteral("/"), serveThroughQt);
    m_httpServer->route(
        QStringLiteral("/<arg>"),
        [serveThroughQt](const QUrl &, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            serveThroughQt(request, std::move(responder));
        });
}

void HttpApi::serveWholeRequests(const std::vector<GatedRequest> &requests)
{
    // What arrived together is journaled, handed to the streams and answered together: one
    // write, one wake-up of each stream thread, and the replies sent as the gate's pass ends,
    // however many requests.
    const HeraldService::Batch publishes(m_service);
    for (const GatedRequest &gated : requests)
        serve(ApiRequest::of(gated), LaterAnswer(m_tcpServer, gated.fd));
}

void HttpApi::serve(const ApiRequest &request, LaterAnswer answer)
{
    const bool isHead = request.method == "HEAD";
    if (isHead) // whatever the answer, a HEAD gets its head alone
        answer = answer.forHead();
    QByteArrayList allowed;
    for (const Route &route : Routes) {
        if (!pathMatches(request.path, route.path))
            continue;
        if (route.kind == Route::Action) {
            if (request.method == route.method)
                return (this->*route.act)(request, std::move(answer));
            allowed.append(route.method);
            continue;
        }
        // Read-only paths and streams answer CORS preflights; read-only ones take HEAD as GET.
        if (request.method == "OPTIONS")
            return answer(preflight());
        if (route.kind == Route::ReadOnly && (request.method == "GET" || isHead)) {
            if (m_tcpServer->unsentReplyBytes() > m_service->config().maxUnsentAnswerBytes) {
                // Clients that do not read their answers hold Herald's memory: no more of them now.
                return answer(
                    HttpAnswer::tryAgainLater(QStringLiteral("Herald has too many answers waiting for their readers; "
                                                             "try again")));
            }
            return (this->*route.read)(request,
                                       [this, answer](HttpAnswer response) { answer(readOnly(std::move(response))); });
        }
        allowed.append(route.kind == Route::ReadOnly ? "GET, HEAD, OPTIONS" : "GET, OPTIONS");
    }
    // What none of Herald's own routes takes may be a publish as ntfy's clients send it: to a
    // topic's path, or ntfy's JSON to "/", where the page takes only GET.
    if (isNtfyPublish(request.method, request.path) && (allowed.isEmpty() || request.path == "/"))
        return handleNtfyPublish(request, std::move(answer));
    if (!allowed.isEmpty())
        return answer(methodNotAllowed(allowed.join(", ")));
    if (request.method == "OPTIONS" && request.path == "*") {
        // About the server itself: what it takes at all.
        HttpAnswer response(Status::NoContent);
        response.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
        return answer(response);
    }
    answer(jsonError(Status::NotFound,
                     QStringLiteral("no such endpoint: %1").arg(QString::fromUtf8(request.path.left(200)))));
}

void HttpApi::openStreams(const std::vector<GatedRequest> &requests)
{
    const ServiceConfig &config = m_service->config();
    std::vector<StreamAdmission> admissions;
    for (const GatedRequest &gated : requests) {
        // A refused stream is told why, readable by the page that asked, and its connection closes.
        auto reject = [&](HttpAnswer refused) {
            m_tcpServer->respondAndClose(gated, RequestGate::closing(readOnly(std::move(refused))));
        };
        if (m_service->isStopped()) {
            reject(HttpAnswer::shuttingDown());
            continue;
        }
        if (m_service->streamCount() + int(admissions.size()) >= config.maxStreams) {
            reject(HttpAnswer::tryAgainLater(
                QStringLiteral("Herald is serving its maximum of %1 clients (--max-clients)").arg(config.maxStreams),
                StreamRetryAfterSeconds));
            continue;
        }
        const QByteArray path = gated.head.path();
        const bool ntfy = !isHeraldStreamPath(path);
        // Herald's own streams read their query once, in decodeStreamRequest(); ntfy's here.
        const QUrlQuery query = ntfy ? formQuery(gated.head.query()) : QUrlQuery();
        StreamDecoding decoding = ntfy
            ? decodeNtfySubscribe(
                path, query, [&gated](QByteArrayView name) { return gated.head.value(name); }, config.maxTopics,
                QDateTime::currentMSecsSinceEpoch())
            : decodeStreamRequest(gated.head.target, gated.head.value("Last-Event-ID"), config.maxTopics);
        const RequestSource source = RequestSource::of(
            QHostAddress(gated.peer.address()), [&gated](const char *name) { return gated.head.value(name); },
            config.trustedProxies);
        AccessPolicy::Credentials credentials;
        credentials.cookie = gated.head.value("Cookie");
        credentials.queryToken = decoding.request.token;
        credentials.authorization = authorizationOf(gated.head.value("Authorization"), query);
        credentials.peer = source.address;
        if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayListen(credentials))) {
            reject(std::move(*refused));
            continue;
        }
        if (!decoding.isValid()) {
            reject(jsonError(Status::BadRequest, decoding.error));
            continue;
        }

        StreamAdmission admission;
        admission.fd = gated.fd;
        admission.tls = gated.tls;
        if (gated.tls) {
            admission.info.tlsProtocol = gated.tls->protocol();
            admission.info.kernelTls = gated.tls->isKernelTls();
        }
        admission.request = std::move(decoding.request);
        admission.info.address = source.address;
        admission.info.userAgent = QString::fromUtf8(gated.head.value("User-Agent")).left(MaxUserAgentLength);
        const StreamRequest &request = admission.request;
        HttpAnswer head = HttpAnswer::openEnded(streamContentType(request.format));
        head.setHeader("Cache-Control", "no-cache");
        head.setHeader("X-Accel-Buffering", "no"); // proxies must pass each event on at once
        admission.responseHead = readOnly(std::move(head)).headBytes();
        if (!isNtfyFormat(request.format)) {
            admission.responseHead += EventStreamEncoder::encodeRetry(config.retryMilliseconds);
        } else if (!request.poll) { // ntfy opens a live subscription with an "open" event
            admission.responseHead
                += NtfyMessage::encode(request.format,
                                       NtfyMessage::event(QStringLiteral("open"), QDateTime::currentMSecsSinceEpoch(),
                                                          request.topics.join(u',')));
        }
        admissions.push_back(std::move(admission));
    }
    if (!admissions.empty())
        m_service->admitStreams(std::move(admissions));
}

void HttpApi::handlePublish(const ApiRequest &request, LaterAnswer answer)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayPublish(credentialsOf(request))))
        return answer(std::move(*refused));
    const auto answerOf = [](const PublishResult &result, const PublishRequest &) {
        return publishAnswer(result);
    };
    const QUrlQuery query = queryOf(request);
    const qint64 maxBody = m_service->config().maxBodyBytes;
    if (isBatchPublish(request.value("Content-Type")))
        return publishBatch(request, std::move(answer));
    if (const QString fileName = uploadFileName(headersOf(request), query); !fileName.isNull()) {
        const QByteArray textType
            = request.value("Content-Type").startsWith("text/markdown") ? "text/markdown" : "text/plain";
        return publishUpload(
            request, fileName,
            [&](const QByteArray &text) {
                return decodePublishRequest(textType, text, query, maxBody, headersOf(request));
            },
            std::move(answer), answerOf);
    }
    publishDecoded(
        request, decodePublishRequest(request.value("Content-Type"), request.body, query, maxBody, headersOf(request)),
        std::move(answer), answerOf);
}

void HttpApi::publishBatch(const ApiRequest &request, LaterAnswer answer)
{
    const ServiceConfig &config = m_service->config();
    BatchDecoding decoding = decodePublishBatch(request.body, queryOf(request), config.maxBodyBytes,
                                                config.maxBatchLines, headersOf(request));
    if (!decoding.isValid())
        return answer(jsonError(statusOf(decoding.refusal), decoding.error));
    QString keyError;
    const QByteArray key = idempotencyKeyOf(request, &keyError);
    if (!keyError.isEmpty())
        return answer(jsonError(Status::BadRequest, keyError));
    for (qsizetype i = 0; i < decoding.requests.size(); ++i)
        decoding.requests[i].idempotencyKey = batchEventKey(key, i + 1);
    m_service->publishBatch(decoding.requests, QStringLiteral("http"),
                            [this, answer](const HeraldService::PublishedBatch &batch) {
                                if (!answer.isWanted())
                                    return; // the publisher hung up
                                if (!batch.isAccepted())
                                    return answer(publishError(batch.refusal));
                                if (batch.results.isEmpty() || batch.results.constFirst().duplicate)
                                    return answer(batchAnswer(batch));
                                answerWhenPassed(batchAnswer(batch), answer);
                            });
}

void HttpApi::handleNtfyPublish(const ApiRequest &request, LaterAnswer answer)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayPublish(credentialsOf(request))))
        return answer(std::move(*refused));
    const auto answerOf = [](const PublishResult &result, const PublishRequest &published) {
        return HttpAnswer(ntfyMessage(result, QDateTime::currentMSecsSinceEpoch(), published));
    };
    const QUrlQuery query = queryOf(request);
    const qint64 maxBody = m_service->config().maxBodyBytes;
    if (const QString fileName = uploadFileName(headersOf(request), query); !fileName.isNull() && request.path != "/") {
        return publishUpload(
            request, fileName,
            [&](const QByteArray &text) {
                return decodeNtfyPublish(request.method, request.path, "text/plain", text, query, maxBody,
                                         headersOf(request));
            },
            std::move(answer), answerOf);
    }
    publishDecoded(request,
                   decodeNtfyPublish(request.method, request.path, request.value("Content-Type"), request.body, query,
                                     maxBody, headersOf(request)),
                   std::move(answer), answerOf);
}

void HttpApi::handleGotifyPublish(const ApiRequest &request, LaterAnswer answer)
{
    // Gotify's clients send the application token as X-Gotify-Key, ?token= or Bearer.
    AccessPolicy::Credentials credentials = credentialsOf(request);
    const QByteArray key = request.value("X-Gotify-Key").trimmed();
    if (credentials.authorization.isEmpty() && !key.isEmpty())
        credentials.authorization = "Bearer " + key;
    else if (credentials.authorization.isEmpty() && !credentials.queryToken.isEmpty())
        credentials.authorization = "Bearer " + credentials.queryToken;
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayPublish(credentials)))
        return answer(std::move(*refused));
    GotifyDecoding gotify
        = decodeGotifyPublish(request.value("Content-Type"), request.body, m_service->config().maxBodyBytes);
    const int gotifyPriority = gotify.gotifyPriority;
    publishDecoded(request, std::move(gotify.decoding), std::move(answer),
                   [gotifyPriority](const PublishResult &result, const PublishRequest &published) {
                       return HttpAnswer(
                           gotifyMessage(result.id, QDateTime::currentMSecsSinceEpoch(), published, gotifyPriority));
                   });
}

void HttpApi::publishDecoded(const ApiRequest &request, PublishDecoding decoding, LaterAnswer answer,
                             std::function<HttpAnswer(const PublishResult &, const PublishRequest &)> answerOf,
                             std::function<void(const PublishResult &)> settled)
{
    const auto refuse = [&](Status status, const QString &message) {
        if (settled) {
            PublishResult refused;
            refused.error = PublishError::Invalid;
            refused.message = message;
            settled(refused);
        }
        answer(jsonError(status, message));
    };
    if (!decoding.isValid())
        return refuse(statusOf(decoding.refusal), decoding.error);
    QString keyError;
    decoding.request.idempotencyKey = idempotencyKeyOf(request, &keyError);
    if (!keyError.isEmpty())
        return refuse(Status::BadRequest, keyError);
    if (!decoding.delay.isEmpty())
        return scheduleDecoded(std::move(decoding), std::move(answer), answerOf, settled);

    // The answer waits for the event to be committed, which may take a sync of the disk or a
    // round trip to the cluster's Redis.
    const PublishRequest published = decoding.request;
    m_service->publish(published, QStringLiteral("http"),
                       [this, answer, published, answerOf = std::move(answerOf),
                        settled = std::move(settled)](const PublishResult &result) {
                           if (settled)
                               settled(result);
                           if (!answer.isWanted())
                               return; // the publisher hung up
                           if (!result.isAccepted())
                               return answer(publishError(result));
                           if (result.duplicate)
                               return answer(answerOf(result, published));
                           answerWhenPassed(answerOf(result, published), answer);
                       });
}

void HttpApi::publishUpload(const ApiRequest &request, const QString &fileName,
                            const std::function<PublishDecoding(const QByteArray &text)> &decode, LaterAnswer answer,
                            std::function<HttpAnswer(const PublishResult &, const PublishRequest &)> answerOf)
{
    const qint64 maxFile = m_service->config().attachmentMaxBytes;
    if (request.body.size() > maxFile) { // when it came through QHttpServer
        return answer(jsonError(Status::PayloadTooLarge,
                                QStringLiteral("the file is %1 bytes; Herald takes at most %2 (--attachment-max)")
                                    .arg(request.body.size())
                                    .arg(maxFile)));
    }
    if (request.body.isEmpty())
        return answer(jsonError(Status::BadRequest, QStringLiteral("the body holds no file: send the file as it")));
    if (const QString error = Attachment::nameError(fileName); !error.isEmpty())
        return answer(jsonError(Status::BadRequest, error));

    // The text is the Message header or query parameter; without one, the file's name.
    QString text = messageOutsideTheBody(headersOf(request), queryOf(request));
    if (text.isEmpty())
        text = fileName;
    PublishDecoding decoding = decode(text.toUtf8());
    if (!decoding.isValid())
        return answer(jsonError(statusOf(decoding.refusal), decoding.error));

    // A scheduled message's file is kept for its lifetime from the message's time.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const DeliveryTime::Parsed shownFrom
        = decoding.delay.isEmpty() ? DeliveryTime::Parsed{nowMs, QString()} : deliveryTimeOf(decoding.delay);
    if (!shownFrom.isValid())
        return answer(jsonError(Status::BadRequest, shownFrom.error));
    const quint16 port = request.encrypted ? m_tcpServer->tlsPort() : m_tcpServer->serverPort();
    const QStringList lan = lanUrls(m_service->config().bindAddress, port, request.encrypted);
    const QString baseUrl = fileBaseUrl(request.value("Host"), request.encrypted, lan);
    const PublishRequest withoutFile = decoding.request;
    m_service->attachFile(withoutFile, request.body, fileName, baseUrl, shownFrom.atMs,
                          [this, request, decoding = std::move(decoding), answer = std::move(answer),
                           answerOf = std::move(answerOf)](const PublishRequest &withFile, const QString &error,
                                                           AttachmentStore::Refusal refusal) mutable {
                              switch (refusal) {
                              case AttachmentStore::Refusal::None:
                                  break;
                              case AttachmentStore::Refusal::TooLarge:
                                  return answer(jsonError(Status::PayloadTooLarge, error));
                              case AttachmentStore::Refusal::BadName:
                                  return answer(jsonError(Status::BadRequest, error));
                              case AttachmentStore::Refusal::Unwritable:
                                  return answer(jsonError(Status::InsufficientStorage, error));
                              case AttachmentStore::Refusal::Unavailable:
                                  return answer(jsonError(Status::ServiceUnavailable, error));
                              }
                              decoding.request = withFile;
                              publishDecoded(request, std::move(decoding), std::move(answer), std::move(answerOf),
                                             [this, fields = withFile.fields](const PublishResult &result) {
                                                 m_service->settleFile(fields, result);
                                             });
                          });
}

void HttpApi::scheduleDecoded(PublishDecoding decoding, LaterAnswer answer,
                              const std::function<HttpAnswer(const PublishResult &, const PublishRequest &)> &answerOf,
                              const std::function<void(const PublishResult &)> &settled)
{
    const auto finish = [answer, settled](const PublishResult &result, const HttpAnswer &response) {
        if (settled)
            settled(result);
        answer(response);
    };
    const DeliveryTime::Parsed when = deliveryTimeOf(decoding.delay);
    if (!when.isValid()) {
        PublishResult refused;
        refused.error = PublishError::Invalid;
        return finish(refused, jsonError(Status::BadRequest, when.error));
    }
    m_service->schedule(decoding.request, when.atMs, QStringLiteral("http"),
                        [finish, answerOf, request = decoding.request](const PublishResult &result) {
                            finish(result, result.isAccepted() ? answerOf(result, request) : publishError(result));
                        });
}

DeliveryTime::Parsed HttpApi::deliveryTimeOf(const QString &delay) const
{
    return DeliveryTime::parse(delay, QDateTime::currentDateTime(), m_service->config().minimumDelayMs);
}

void HttpApi::handleSay(const ApiRequest &request, LaterAnswer answer)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayManage(credentialsOf(request), true)))
        return answer(std::move(*refused));
    ++m_sayCount;
    const QUrlQuery query = queryOf(request);
    const QString text = query.hasQueryItem(QStringLiteral("msg")) ? formQueryValue(query, QStringLiteral("msg"))
                                                                   : QStringLiteral("hello %1").arg(m_sayCount);
    PublishRequest say;
    say.data = text.toUtf8();
    m_service->publish(say, QStringLiteral("say"), [answer, text](const PublishResult &result) {
        if (!result.isAccepted())
            return answer(publishError(result));
        answer(HttpAnswer(QJsonObject{{QStringLiteral("message"), text}}));
    });
}

void HttpApi::handlePage(const ApiRequest &request, const Finish &finish)
{
    const AccessPolicy::Credentials credentials = credentialsOf(request);
    const AccessPolicy::Decision decision = m_accessPolicy.mayOpenPage(credentials);
    if (!decision.isAllowed())
        return finish(jsonError(Status::Unauthorized, decision.reason));
    if (!decision.setCookie.isEmpty()) {
        // A link that carried a secret (a token, a publisher key) leaves the address bar and the
        // browser's history at once; what else it asked for (topics, a name, a view) stays.
        HttpAnswer home(Status::SeeOther);
        home.setHeader("Location", addressWithoutSecrets(request.query));
        home.setHeader("Set-Cookie", decision.setCookie);
        home.setHeader("Cache-Control", "no-store");
        return finish(home);
    }
    // What the page needs to know before it connects: how much to show on open, and whether
    // this browser may publish.
    const int pageHistory = m_service->config().pageHistory;
    const bool canPublish = decision.canPublish;
    const QByteArray html = sharedBody(QStringLiteral("page %1 %2").arg(pageHistory).arg(canPublish), [&] {
        QByteArray page = resource(QStringLiteral(":/client/index.html"));
        page.replace(PageHistoryAttribute, "data-page-history=\"" + QByteArray::number(pageHistory) + '"');
        if (canPublish)
            page.replace(CanPublishAttribute, "data-can-publish=\"true\"");
        return page;
    });
    HttpAnswer page = serveResource(html, "text/html; charset=utf-8");
    if (!decision.setCookie.isEmpty())
        page.setHeader("Set-Cookie", decision.setCookie);
    finish(page);
}

void HttpApi::handleScript(const ApiRequest &request, const Finish &finish)
{
    // The page's own script, and the libraries it renders messages with.
    finish(serveResource(resource(QStringLiteral(":/client") + QString::fromLatin1(request.path)),
                         "text/javascript; charset=utf-8"));
}

void HttpApi::handleStyle(const ApiRequest &, const Finish &finish)
{
    finish(serveResource(resource(QStringLiteral(":/client/client.css")), "text/css; charset=utf-8"));
}

void HttpApi::handleIcon(const ApiRequest &request, const Finish &finish)
{
    const bool svg = request.path.endsWith(".svg");
    finish(serveResource(resource(QStringLiteral(":/client") + QString::fromLatin1(request.path)),
                         svg ? "image/svg+xml" : "image/png"));
}

void HttpApi::handleManifest(const ApiRequest &, const Finish &finish)
{
    finish(serveResource(resource(QStringLiteral(":/client/manifest.webmanifest")), "application/manifest+json"));
}

void HttpApi::handleAuthority(const ApiRequest &, const Finish &finish)
{
    if (m_authorityPem.isEmpty()) {
        return finish(jsonError(Status::NotFound,
                                QStringLiteral("Herald has no certificate authority of its own; "
                                               "it makes one with --tls-cert auto")));
    }
    // The type that has phones offer to install it.
    HttpAnswer certificate("application/x-x509-ca-cert", m_authorityPem);
    certificate.setHeader("Content-Disposition", "attachment; filename=\"herald-ca.crt\"");
    certificate.setHeader("X-Content-Type-Options", "nosniff");
    finish(certificate);
}

void HttpApi::handleFile(const ApiRequest &request, const Finish &finish)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayListen(credentialsOf(request))))
        return finish(std::move(*refused));
    m_service->readFile(Attachment::fileIdIn(QString::fromLatin1(request.path)),
                        [finish](const AttachmentStore::Read &read) {
                            switch (read.outcome) {
                            case AttachmentStore::Read::Outcome::Found:
                                return finish(fileAnswer(read.file, read.content, QDateTime::currentMSecsSinceEpoch()));
                            case AttachmentStore::Read::Outcome::Gone:
                                return finish(jsonError(Status::Gone, read.error));
                            case AttachmentStore::Read::Outcome::NotFound:
                                return finish(jsonError(Status::NotFound, read.error));
                            case AttachmentStore::Read::Outcome::Unavailable:
                                return finish(jsonError(Status::ServiceUnavailable, read.error));
                            }
                        });
}

void HttpApi::handleScheduled(const ApiRequest &request, const Finish &finish)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayListClients(credentialsOf(request))))
        return finish(std::move(*refused));
    m_service->scheduled()->list([finish](const QList<ScheduledMessage> &messages, const QString &error) {
        if (!error.isEmpty())
            return finish(jsonError(Status::ServiceUnavailable, error));
        QJsonArray list;
        for (const ScheduledMessage &message : messages)
            list.append(scheduledJson(message));
        finish(HttpAnswer(list));
    });
}

void HttpApi::handleCancelScheduled(const ApiRequest &request, LaterAnswer answer)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayManage(credentialsOf(request), false)))
        return answer(std::move(*refused));
    const QString id = idIn(request.path, "/api/scheduled/*");
    m_service->cancelScheduled(id, [this, answer, id](MessageSchedule::Outcome outcome) {
        switch (outcome) {
        case MessageSchedule::Outcome::Done:
            return answer(HttpAnswer(Status::NoContent));
        case MessageSchedule::Outcome::NotFound:
        case MessageSchedule::Outcome::Invalid:
            return answer(jsonError(Status::NotFound, nothingWaitsUnder(id)));
        case MessageSchedule::Outcome::Unwritable:
            return answer(cannotRecord(QStringLiteral("the cancellation")));
        }
    });
}

void HttpApi::handleChangeScheduled(const ApiRequest &request, LaterAnswer answer)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayManage(credentialsOf(request), false)))
        return answer(std::move(*refused));
    const QString id = idIn(request.path, "/api/scheduled/*");
    m_service->scheduled()->find(
        id,
        [this, id, request, answer](const std::optional<ScheduledMessage> &message, MessageSchedule::Outcome found) {
            if (found == MessageSchedule::Outcome::Unwritable)
                return answer(cannotRecord(QStringLiteral("the change")));
            if (!message)
                return answer(jsonError(Status::NotFound, nothingWaitsUnder(id)));
            const PublishDecoding decoding = decodeScheduledChange(request.value("Content-Type"), request.body,
                                                                   m_service->config().maxBodyBytes, *message);
            if (!decoding.isValid())
                return answer(jsonError(statusOf(decoding.refusal), decoding.error));
            qint64 dueAtMs = message->dueAtMs;
            if (!decoding.delay.isEmpty()) {
                const DeliveryTime::Parsed when = deliveryTimeOf(decoding.delay);
                if (!when.isValid())
                    return answer(jsonError(Status::BadRequest, when.error));
                dueAtMs = when.atMs;
            }
            m_service->changeScheduled(*message, decoding.request, dueAtMs,
                                       [this, answer, id](const HeraldService::ScheduleChange &change) {
                                           switch (change.outcome) {
                                           case MessageSchedule::Outcome::Done:
                                               return answer(HttpAnswer(scheduledJson(*change.message)));
                                           case MessageSchedule::Outcome::Invalid:
                                               return answer(jsonError(Status::BadRequest, change.error));
                                           case MessageSchedule::Outcome::NotFound:
                                               return answer(jsonError(Status::NotFound, nothingWaitsUnder(id)));
                                           case MessageSchedule::Outcome::Unwritable:
                                               return answer(cannotRecord(QStringLiteral("the change")));
                                           }
                                       });
        });
}

void HttpApi::handleClients(const ApiRequest &request, const Finish &finish)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayListClients(credentialsOf(request))))
        return finish(std::move(*refused));
    const QUrlQuery query = queryOf(request);
    // A page of the list: however many streams there are, one answer stays small.
    bool ok = true;
    int limit = DefaultClientPage;
    qsizetype offset = 0;
    if (query.hasQueryItem(QStringLiteral("limit")))
        limit = formQueryValue(query, QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 1 || limit > MaxClientPage)
        return finish(
            jsonError(Status::BadRequest, QStringLiteral("limit must be a number from 1 to %1").arg(MaxClientPage)));
    if (query.hasQueryItem(QStringLiteral("offset")))
        offset = formQueryValue(query, QStringLiteral("offset")).toLongLong(&ok);
    if (!ok || offset < 0)
        return finish(jsonError(Status::BadRequest, QStringLiteral("offset must be a number from 0")));
    const auto page = [this](const QString &key, const QList<StreamInfo> &streams, qsizetype total) {
        HttpAnswer response = HttpAnswer::json(
            sharedBody(key, [&] { return QJsonDocument(streamsToJson(streams)).toJson(QJsonDocument::Compact); }));
        response.setHeader("Herald-Total", QByteArray::number(total));
        return response;
    };
    if (formQueryValue(query, QStringLiteral("scope")) != QLatin1String("cluster")) {
        const QString key = QStringLiteral("clients %1 %2").arg(offset).arg(limit);
        return finish(page(key, m_service->streams(offset, limit), m_service->streamCount()));
    }
    m_service->clusterStreams([page, finish, offset, limit](const QList<StreamInfo> &streams, const QString &error) {
        HttpAnswer response
            = page(QStringLiteral("cluster %1 %2").arg(offset).arg(limit), streams.mid(offset, limit), streams.size());
        if (!error.isEmpty()) // what could be listed is, and the header says what is missing
            response.setHeader("Herald-Warning", error.toUtf8());
        finish(std::move(response));
    });
}

void HttpApi::handleDisconnect(const ApiRequest &request, LaterAnswer answer)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayManage(credentialsOf(request), false)))
        return answer(std::move(*refused));
    const QString clientId = idIn(request.path, "/api/clients/*");
    m_service->disconnectClient(clientId, [answer, clientId](DisconnectOutcome outcome) {
        switch (outcome) {
        case DisconnectOutcome::Disconnected:
            return answer(HttpAnswer(Status::NoContent));
        case DisconnectOutcome::NotFound:
            return answer(
                jsonError(Status::NotFound, QStringLiteral("no connected client has the id %1").arg(clientId)));
        case DisconnectOutcome::Unavailable:
            return answer(HttpAnswer::tryAgainLater(
                QStringLiteral("the other nodes cannot be told now (the cluster's Redis is unreachable); try again")));
        }
    });
}

HttpAnswer HttpApi::cannotRecord(const QString &change) const
{
    const QString problem = m_service->storageProblem();
    return HttpAnswer::tryAgainLater(problem.isEmpty()
                                         ? QStringLiteral("%1 cannot be recorded now; try again").arg(change)
                                         : QStringLiteral("%1 cannot be recorded: %2").arg(change, problem));
}

void HttpApi::handleRetract(const ApiRequest &request, LaterAnswer answer)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayManage(credentialsOf(request), false)))
        return answer(std::move(*refused));
    const QString idText = idIn(request.path, "/api/events/*");
    bool isNumber = false;
    const quint64 id = idText.toULongLong(&isNumber);
    if (!isNumber || id == 0)
        return answer(jsonError(Status::NotFound, QStringLiteral("%1 is not an event id").arg(idText.left(64))));
    m_service->retract(id, [this, answer, id](RetractOutcome outcome) {
        switch (outcome) {
        case RetractOutcome::Retracted:
            return answer(HttpAnswer(Status::NoContent));
        case RetractOutcome::NotFound:
            return answer(jsonError(Status::NotFound, QStringLiteral("no retained event has the id %1").arg(id)));
        case RetractOutcome::Unavailable:
            return answer(cannotRecord(QStringLiteral("the retraction")));
        }
    });
}

void HttpApi::handleEdit(const ApiRequest &request, LaterAnswer answer)
{
    if (std::optional<HttpAnswer> refused = refusal(m_accessPolicy.mayManage(credentialsOf(request), false)))
        return answer(std::move(*refused));
    const QString idText = idIn(request.path, "/api/events/*");
    bool isNumber = false;
    const quint64 id = idText.toULongLong(&isNumber);
    const EventPointer current = isNumber ? m_service->findEvent(id) : EventPointer();
    if (!current)
        return answer(
            jsonError(Status::NotFound, QStringLiteral("no retained event has the id %1").arg(idText.left(64))));
    const PublishDecoding decoding
        = decodeEventEdit(request.value("Content-Type"), request.body, m_service->config().maxBodyBytes,
                          current->data(), current->fields);
    if (!decoding.isValid())
        return answer(jsonError(statusOf(decoding.refusal), decoding.error));
    const EventPointer edited = Event::edited(*current, decoding.request.data, decoding.request.fields);
    m_service->edit(edited, [this, answer, edited](EditOutcome outcome) {
        switch (outcome) {
        case EditOutcome::Edited:
            return answer(HttpAnswer(QJsonObject{{QStringLiteral("id"), double(edited->id)},
                                                 {QStringLiteral("revision"), double(edited->revision)}}));
        case EditOutcome::NotFound:
            return answer(
                jsonError(Status::NotFound, QStringLiteral("no retained event has the id %1").arg(edited->id)));
        case EditOutcome::Conflict:
            return answer(jsonError(Status::Conflict,
                                    QStringLiteral("event %1 was edited meanwhile on another node; "
                                                   "read it again and edit that version")
                                        .arg(edited->id)));
        case EditOutcome::Unavailable:
            return answer(cannotRecord(QStringLiteral("the edit")));
        }
    });
}

void HttpApi::handleHealth(const ApiRequest &, const Finish &finish)
{
    // A load balancer stops sending new clients to a node whose engine it cannot reach, or
    // whose history cannot be saved: publishing there is refused.
    if (!m_service->engineStatus().reachable) {
        return finish(HttpAnswer(QJsonObject{{QStringLiteral("engine"), QStringLiteral("unreachable")}},
                                 Status::ServiceUnavailable));
    }
    const QString problem = m_service->storageProblem();
    if (!problem.isEmpty()) {
        return finish(HttpAnswer(
            QJsonObject{{QStringLiteral("journal"), QStringLiteral("unwritable")}, {QStringLiteral("error"), problem}},
            Status::ServiceUnavailable));
    }
    finish(HttpAnswer("text/plain; charset=utf-8", "ok"));
}

void HttpApi::handleStats(const ApiRequest &, const Finish &finish)
{
    const ServiceStats figures = m_service->stats();
    finish(HttpAnswer(QJsonObject{
        {QStringLiteral("clients"), figures.streams},
        {QStringLiteral("published"), double(figures.published)},
        {QStringLiteral("retracted"), double(figures.retracted)},
        {QStringLiteral("edited"), double(figures.edited)},
        {QStringLiteral("delivered"), double(figures.delivered)},
        {QStringLiteral("droppedClients"), double(figures.droppedStreams)},
        {QStringLiteral("bytesSent"), double(figures.bytesSent)},
        {QStringLiteral("historySize"), figures.historySize},
        {QStringLiteral("historyBytes"), double(figures.historyBytes)},
        {QStringLiteral("lastId"), double(figures.lastId)},
        {QStringLiteral("uptimeSeconds"), double(figures.uptimeSeconds)},
        {QStringLiteral("engine"), figures.engine},
        {QStringLiteral("engineReachable"), figures.engineReachable},
        {QStringLiteral("journalWritable"), figures.storageProblem.isEmpty()},
        {QStringLiteral("nodes"), figures.nodes},
        {QStringLiteral("lag"), double(figures.lag)},
    }));
}

void HttpApi::handleMetrics(const ApiRequest &, const Finish &finish)
{
    const ServiceStats figures = m_service->stats();
    QByteArray text;
    auto metric = [&text](const char *name, const char *type, const char *help, double value) {
        text += QByteArray("# HELP herald_") + name + ' ' + help + '\n';
        text += QByteArray("# TYPE herald_") + name + ' ' + type + '\n';
        text += QByteArray("herald_") + name + ' ' + QByteArray::number(value, 'g', 17) + '\n';
    };
    metric("clients", "gauge", "Open event streams.", figures.streams);
    metric("published_total", "counter", "Events published.", double(figures.published));
    metric("retracted_total", "counter", "Events retracted.", double(figures.retracted));
    metric("edited_total", "counter", "Edits of retained events.", double(figures.edited));
    metric("delivered_total", "counter", "Events written in full to streams, replays included.",
           double(figures.delivered));
    metric("dropped_clients_total", "counter", "Streams disconnected for falling too far behind.",
           double(figures.droppedStreams));
    metric("sent_bytes_total", "counter", "Bytes written to event streams.", double(figures.bytesSent));
    metric("history_size", "gauge", "Events retained for replay.", figures.historySize);
    metric("history_bytes", "gauge", "Bytes of text in the events retained for replay.", double(figures.historyBytes));
    metric("last_id", "gauge", "The id of the newest event.", double(figures.lastId));
    metric("uptime_seconds", "gauge", "Seconds since the service started.", double(figures.uptimeSeconds));
    metric("engine_reachable", "gauge", "1 while the event store's engine can be reached.",
           figures.engineReachable ? 1 : 0);
    metric("journal_writable", "gauge", "1 while history reaches the journal, so publishes are taken.",
           figures.storageProblem.isEmpty() ? 1 : 0);
    metric("nodes", "gauge", "Heralds sharing the event stream, this one included.", figures.nodes);
    metric("lag_events", "gauge", "Events published on other nodes that this one has not read yet.",
           double(figures.lag));
    finish(HttpAnswer("text/plain; version=0.0.4; charset=utf-8", text));
}

void HttpApi::answerWhenPassed(HttpAnswer &&response, LaterAnswer answer)
{
    // The event is committed; the publisher hears back once every stream has been offered
    // the event published PublishLead before it. So a publisher that waits for its answers
    // stays at most that many events ahead of the sockets and cannot pile up latency for
    // everyone, yet the next pass over the streams already has a couple of events to send in
    // one write each, which more than halves what a delivery costs. An event still waits at most one pass.
    // The stream thread that finishes the pass sends the answer itself, with no hop through this
    // thread when the request gate holds the connection.
    const quint64 fannedOut = m_service->fannedOutCount();
    m_service->whenPassed(fannedOut > PublishLead ? fannedOut - PublishLead : 0,
                          [this, response = std::move(response), answer = std::move(answer)] {
                              answer.sendFromAnyThread(response, this);
                          });
}

AccessPolicy::Credentials HttpApi::credentialsOf(const ApiRequest &request) const
{
    const RequestSource source = RequestSource::of(
        request.peer, [&request](const char *name) { return request.value(name); }, m_service->config().trustedProxies);
    const QUrlQuery query = queryOf(request);
    AccessPolicy::Credentials credentials;
    credentials.host = source.host;
    credentials.origin = request.value("Origin");
    credentials.authorization = authorizationOf(request.value("Authorization"), query);
    credentials.cookie = request.value("Cookie");
    credentials.queryToken = formQueryValue(query, QStringLiteral("token")).toUtf8();
    credentials.peer = source.address;
    credentials.publisherToken = formQueryValue(query, QStringLiteral("publisher")).toUtf8();
    credentials.scheme = source.scheme;
    credentials.fetchSite = request.value("Sec-Fetch-Site").trimmed().toLower();
    return credentials;
}

std::optional<HttpAnswer> HttpApi::refusal(const AccessPolicy::Decision &decision) const
{
    switch (decision.verdict) {
    case AccessPolicy::Verdict::Allowed:
        return std::nullopt;
    case AccessPolicy::Verdict::Forbidden:
        return jsonError(Status::Forbidden, decision.reason);
    case AccessPolicy::Verdict::Unauthorized: {
        HttpAnswer response = jsonError(Status::Unauthorized, decision.reason);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"Herald\"");
        return response;
    }
    }
    return std::nullopt;
}

HttpAnswer HttpApi::readOnly(HttpAnswer &&response) const
{
    response.allowOrigin(m_service->config().corsOrigin);
    return std::move(response);
}

HttpAnswer HttpApi::preflight() const
{
    HttpAnswer response = readOnly(HttpAnswer(Status::NoContent));
    if (!m_service->config().corsOrigin.isEmpty()) {
        response.setHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", "Last-Event-ID, Cache-Control");
        response.setHeader("Access-Control-Max-Age", "86400");
    }
    return response;
}

QByteArray HttpApi::sharedBody(const QString &key, const std::function<QByteArray()> &make)
{
    // A copy still held elsewhere is one the gate is sending to another client: the same
    // snapshot, asked for at once, costs its memory once. Copies no one holds any more go.
    auto it = m_sharedBodies.find(key);
    if (it != m_sharedBodies.end() && !it->isDetached())
        return *it;
    for (auto unused = m_sharedBodies.begin(); unused != m_sharedBodies.end();)
        unused = unused->isDetached() ? m_sharedBodies.erase(unused) : std::next(unused);
    const QByteArray body = make();
    m_sharedBodies.insert(key, body);
    return body;
}
