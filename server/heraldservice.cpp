#include "heraldservice.h"

#include "eventstreamencoder.h"
#include "gatedtcpserver.h"
#include "logging.h"
#include "streamfanout.h"

#include <QFile>
#include <QHostInfo>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <cerrno>
#include <cstring>

using Method = QHttpServerRequest::Method;
using Status = QHttpServerResponder::StatusCode;

namespace {

constexpr int ShutdownDeadlineMs = 1500;
constexpr qsizetype MaxLabelLength = 256;
constexpr rlim_t ReservedDescriptors = 128;
// How many events a publisher that waits for its answers may be ahead of the streams.
constexpr quint64 PublishLead = 2;
const QList<QByteArray> StreamPaths = {"/events", "/sse"};
const QByteArray TokenCookie = "herald_token";

QHttpServerResponse jsonError(Status status, const QString &message)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), message}}, status);
}

QHttpServerResponse methodNotAllowed(const QByteArray &allowed)
{
    QHttpServerResponse response = jsonError(
            Status::MethodNotAllowed,
            QStringLiteral("use %1 here").arg(QString::fromLatin1(allowed).replace(QLatin1String(", "), QLatin1String(" or "))));
    response.setHeader("Allow", allowed);
    return response;
}

QUrlQuery queryOf(const QHttpServerRequest &request)
{
    return formQuery(request.url().query(QUrl::FullyEncoded));
}

QString checkLabel(const QString &name, const QString &value)
{
    if (value.size() > MaxLabelLength)
        return QStringLiteral("%1 is longer than %2 characters").arg(name).arg(MaxLabelLength);
    if (!EventStreamEncoder::isValidFieldValue(value))
        return QStringLiteral("%1 must not contain CR, LF or NUL").arg(name);
    return {};
}

/// \a configured, or when it is 0, as many streams as the open-file limit leaves room for.
int resolvedMaxClients(int configured)
{
    if (configured > 0)
        return configured;
    // Every stream is a descriptor; keep some for the journal, the API and the panel.
    rlimit limit{};
    const rlim_t openFiles = getrlimit(RLIMIT_NOFILE, &limit) == 0 ? limit.rlim_cur : 1024;
    return int(qBound<rlim_t>(1, openFiles > ReservedDescriptors ? openFiles - ReservedDescriptors : 1, 10'000'000));
}

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

/// Compares without leaking, through timing, how much of a guess was right.
bool equalInConstantTime(const QByteArray &a, const QByteArray &b)
{
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    const qsizetype length = qMax(a.size(), b.size());
    for (qsizetype i = 0; i < length; ++i) {
        const unsigned char x = i < a.size() ? uchar(a.at(i)) : 0;
        const unsigned char y = i < b.size() ? uchar(b.at(i)) : 0;
        difference |= x ^ y;
    }
    return difference == 0 && !b.isEmpty();
}

/// 192.0.2.7 rather than ::ffff:192.0.2.7 for IPv4 peers of a dual-stack socket.
QHostAddress displayAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

QString noticeJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

HeraldService::HeraldService(const ServiceConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_history(config.historySize)
{
    qRegisterMetaType<ClientInfo>();
    qRegisterMetaType<PublishedEvent>();
    qRegisterMetaType<ServiceStats>();
    qRegisterMetaType<PublishResult>();
    auto heartbeat = std::make_shared<Event>();
    heartbeat->encoded = EventStreamEncoder::encodeComment("heartbeat");
    heartbeat->encodedJson = heartbeat->encoded;
    m_heartbeat = heartbeat;
}

HeraldService::~HeraldService()
{
    stop();
}

bool HeraldService::start(QString *errorMessage)
{
    m_uptime.start();
    m_config.maxClients = resolvedMaxClients(m_config.maxClients);

    if (!m_config.dataDirectory.isEmpty()) {
        EventJournal::Contents contents;
        QString journalError;
        if (m_journal.open(m_config.dataDirectory, &contents, &journalError)) {
            for (EventPointer &event : contents.events)
                m_history.append(std::move(event));
            m_history.setLastId(contents.lastId);
            if (contents.skippedRecords > 0) {
                qCWarning(lcJournal, "skipped %d unreadable record(s) in %s", contents.skippedRecords,
                          qPrintable(m_journal.fileName()));
            }
            qCInfo(lcJournal, "history: %d event(s) from %s, last id %llu", m_history.size(),
                   qPrintable(m_journal.fileName()), m_history.lastId());
        } else {
            reportJournalError(journalError);
        }
    }

    m_fanOut = new StreamFanOut(m_config.streamThreads, m_config.clientBufferBytes, this);
    connect(m_fanOut, &StreamFanOut::streamEnded, this, &HeraldService::onStreamEnded);
    connect(m_fanOut, &StreamFanOut::eventsPassed, this, [this] { sendPassedAnswers(); });
    if (!m_fanOut->start(errorMessage))
        return false;

    m_httpServer = new QHttpServer(this);
    setUpRoutes();

    m_tcpServer = new GatedTcpServer(StreamPaths, this);
    m_tcpServer->setLimits(gateLimits());
    connect(m_tcpServer, &GatedTcpServer::streamsRequested, this, &HeraldService::openStreams);
    if (!m_tcpServer->open(m_config.bindAddress, m_config.port, m_config.listenBacklog, errorMessage)) {
        if (m_tcpServer->isListening())
            return false; // the gate could not start; errorMessage says why
        const QString address = m_config.bindAddress.toString();
        if (m_tcpServer->serverError() == QAbstractSocket::AddressInUseError) {
            *errorMessage = QStringLiteral("port %1 is already in use on %2; choose another with --port")
                                    .arg(m_config.port).arg(address);
        } else {
            *errorMessage = QStringLiteral("cannot listen on %1 port %2: %3")
                                    .arg(address).arg(m_config.port).arg(m_tcpServer->errorString());
        }
        return false;
    }
    m_httpServer->bind(m_tcpServer);

    m_heartbeatTimer = new QTimer(this);
    m_heartbeatTimer->setInterval(qMax(1, m_config.heartbeatSeconds) * 1000);
    connect(m_heartbeatTimer, &QTimer::timeout, this, [this] { m_fanOut->publish(m_heartbeat); });
    m_heartbeatTimer->start();

    qCInfo(lcService, "listening on %s port %u", qPrintable(m_config.bindAddress.toString()), port());
    return true;
}

void HeraldService::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_heartbeatTimer)
        m_heartbeatTimer->stop();
    if (m_tcpServer)
        m_tcpServer->shutDown();
    if (m_fanOut) {
        const QByteArray farewell = EventStreamEncoder::encodeNotice(
                QStringLiteral("herald-shutdown"),
                noticeJson({{QStringLiteral("message"), QStringLiteral("Herald is shutting down")},
                            {QStringLiteral("lastId"), QString::number(m_history.lastId())}}));
        m_fanOut->closeAll(farewell, ShutdownDeadlineMs);
    }
    sendPassedAnswers(true);
    m_journal.close();
    const QList<quint64> connections = m_clients.keys();
    for (quint64 connection : connections)
        forgetClient(connection);
}

bool HeraldService::isListening() const
{
    return m_tcpServer && m_tcpServer->isListening();
}

quint16 HeraldService::port() const
{
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

void HeraldService::setUpRoutes()
{
    auto readOnlyRoute = [this](const char *path, auto &&handler) {
        m_httpServer->route(QString::fromLatin1(path), [this, handler](const QHttpServerRequest &request) {
            switch (request.method()) {
            case Method::Get:
                return readOnly(handler(request));
            case Method::Options:
                return preflight();
            default:
                return methodNotAllowed("GET, OPTIONS");
            }
        });
    };

    readOnlyRoute("/", [this](const QHttpServerRequest &request) { return handlePage(request); });
    readOnlyRoute("/client.js", [this](const QHttpServerRequest &) {
        return serveResource(QStringLiteral(":/client/client.js"), "text/javascript; charset=utf-8");
    });
    readOnlyRoute("/client.css", [this](const QHttpServerRequest &) {
        return serveResource(QStringLiteral(":/client/client.css"), "text/css; charset=utf-8");
    });
    readOnlyRoute("/favicon.svg", [this](const QHttpServerRequest &) {
        return serveResource(QStringLiteral(":/client/favicon.svg"), "image/svg+xml");
    });
    readOnlyRoute("/healthz", [](const QHttpServerRequest &) {
        return QHttpServerResponse("text/plain; charset=utf-8", "ok");
    });
    readOnlyRoute("/api/stats", [this](const QHttpServerRequest &) {
        const ServiceStats figures = stats();
        return QHttpServerResponse(QJsonObject{
                {QStringLiteral("clients"), figures.clients},
                {QStringLiteral("published"), double(figures.published)},
                {QStringLiteral("delivered"), double(figures.delivered)},
                {QStringLiteral("droppedClients"), double(figures.droppedClients)},
                {QStringLiteral("bytesSent"), double(figures.bytesSent)},
                {QStringLiteral("historySize"), figures.historySize},
                {QStringLiteral("lastId"), double(figures.lastId)},
                {QStringLiteral("uptimeSeconds"), double(figures.uptimeSeconds)},
        });
    });
    readOnlyRoute("/metrics", [this](const QHttpServerRequest &) { return handleMetrics(); });

    for (const QByteArray &path : StreamPaths) {
        m_httpServer->route(QString::fromLatin1(path),
                            [this](const QHttpServerRequest &request) {
            // A GET never gets here: the request gate hands it straight to openStream().
            if (request.method() == Method::Options)
                return preflight();
            return methodNotAllowed("GET, OPTIONS");
        });
    }

    m_httpServer->route(QStringLiteral("/publish"),
                        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        if (request.method() != Method::Post)
            return methodNotAllowed("POST").write(std::move(responder));
        GatedTcpServer::requestRead(responder.socket());
        QHttpServerResponse response = handlePublish(request);
        if (response.statusCode() != Status::Ok)
            return response.write(std::move(responder));
        answerWhenPassed(std::move(response), std::move(responder));
    });
    m_httpServer->route(QStringLiteral("/say"), [this](const QHttpServerRequest &request) {
        if (request.method() == Method::Get)
            return handleSay(request);
        return methodNotAllowed("GET");
    });
    m_httpServer->route(QStringLiteral("/api/clients"), [this](const QHttpServerRequest &request) {
        switch (request.method()) {
        case Method::Get:
            if (m_config.privateStreams && !isAuthorized(request, false)
                && !isStreamAuthorized(QByteArray(), request.value("Cookie"))) {
                return unauthorized();
            }
            return readOnly(handleClients());
        case Method::Options:
            return preflight();
        default:
            return methodNotAllowed("GET, OPTIONS");
        }
    });
    m_httpServer->route(QStringLiteral("/api/clients/<arg>"),
                        [this](const QString &id, const QHttpServerRequest &request) {
        if (request.method() == Method::Delete)
            return handleDisconnect(QUrl::fromPercentEncoding(id.toUtf8()), request);
        return methodNotAllowed("DELETE");
    });

    // Everything else: a JSON 404 (QHttpServer's own is an empty body).
    m_httpServer->route(QStringLiteral("/<arg>"), [](const QUrl &, const QHttpServerRequest &request) {
        return jsonError(Status::NotFound,
                         QStringLiteral("no such endpoint: %1").arg(request.url().path()));
    });
}

void HeraldService::openStreams(const std::vector<GatedRequest> &requests)
{
    // The shards take the whole batch at once. No publish can come between a stream's
    // replay and its subscription: both happen on this thread, in this call.
    std::vector<StreamSubscription> subscriptions;
    subscriptions.reserve(requests.size());
    for (const GatedRequest &request : requests) {
        if (std::optional<StreamSubscription> subscription = openStream(request))
            subscriptions.push_back(std::move(*subscription));
    }
    if (!subscriptions.empty())
        m_fanOut->addStreams(std::move(subscriptions));
}

std::optional<StreamSubscription> HeraldService::openStream(const GatedRequest &request)
{
    auto reject = [&](int status, const QString &message, const QByteArray &extraHeaders = QByteArray()) {
        QByteArray headers = extraHeaders;
        if (!m_config.corsOrigin.isEmpty())
            headers += "Access-Control-Allow-Origin: " + m_config.corsOrigin.toUtf8() + "\r\n";
        m_tcpServer->respondAndClose(request.fd, RequestGate::errorResponse(status, message, headers));
        return std::nullopt;
    };
    if (m_stopped)
        return reject(503, QStringLiteral("Herald is shutting down"), "Retry-After: 5\r\n");
    if (m_clients.size() >= m_config.maxClients) {
        return reject(503, QStringLiteral("Herald is serving its maximum of %1 clients (--max-clients)").arg(m_config.maxClients),
                      "Retry-After: 10\r\n");
    }
    const QUrlQuery query = formQuery(QUrl::fromEncoded(request.head.target).query(QUrl::FullyEncoded));
    if (!isStreamAuthorized(formQueryValue(query, QStringLiteral("token")).toUtf8(), request.head.value("Cookie"))) {
        return reject(401, QStringLiteral("this Herald is private: give its token as ?token=<token>, "
                                          "or open /?token=<token> once in this browser"));
    }

    // The browser sends Last-Event-ID itself when it reconnects; a page that opens a fresh
    // EventSource passes the id in the query instead.
    QByteArray lastIdText = request.head.value("Last-Event-ID").trimmed();
    if (lastIdText.isEmpty())
        lastIdText = formQueryValue(query, QStringLiteral("lastEventId")).trimmed().toUtf8();
    bool resume = false;
    quint64 lastEventId = 0;
    if (!lastIdText.isEmpty()) {
        lastEventId = lastIdText.toULongLong(&resume);
        if (!resume)
            return reject(400, QStringLiteral("the last event id must be a number Herald sent"));
    }

    QStringList topics;
    for (const QString &value : query.allQueryItemValues(QStringLiteral("topic"), QUrl::FullyDecoded)) {
        for (const QString &part : value.split(u',')) {
            const QString topic = part.trimmed();
            if (topic.isEmpty() || topics.contains(topic))
                continue;
            const QString error = checkLabel(QStringLiteral("topic"), topic);
            if (!error.isEmpty())
                return reject(400, error);
            topics.append(topic);
        }
    }
    const QString format = formQueryValue(query, QStringLiteral("format"));
    if (!format.isEmpty() && format != QLatin1String("json") && format != QLatin1String("plain"))
        return reject(400, QStringLiteral("format must be plain or json"));
    const bool json = format == QLatin1String("json");
    const QString name = formQueryValue(query, QStringLiteral("name")).trimmed();
    QString clientId = formQueryValue(query, QStringLiteral("client")).trimmed();
    for (const auto &[label, value] : {std::pair{QStringLiteral("name"), name},
                                       std::pair{QStringLiteral("client"), clientId}}) {
        const QString error = checkLabel(label, value);
        if (!error.isEmpty())
            return reject(400, error);
    }

    // From here on Herald's stream loop owns the connection.
    const int fd = request.fd;

    const quint64 connection = m_nextConnection++;
    if (clientId.isEmpty())
        clientId = QStringLiteral("anonymous-%1").arg(connection);

    ClientRecord record;
    record.info.connection = connection;
    record.info.id = clientId;
    record.info.name = name;
    record.info.address = displayAddress(QHostAddress(reinterpret_cast<const sockaddr *>(&request.peer)));
    record.info.userAgent = QString::fromUtf8(request.head.value("User-Agent")).left(512);
    record.info.topics = topics;
    record.info.connectedAt = QDateTime::currentDateTimeUtc();
    record.counters = std::make_shared<StreamCounters>();

    StreamSubscription subscription;
    subscription.connection = connection;
    subscription.fd = fd;
    subscription.clientId = clientId;
    subscription.topics = topics;
    subscription.json = json;
    subscription.counters = record.counters;

    QByteArray head = "HTTP/1.1 200 OK\r\n"
                      "Content-Type: text/event-stream; charset=utf-8\r\n"
                      "Cache-Control: no-cache\r\n"
                      "X-Accel-Buffering: no\r\n";
    if (!m_config.corsOrigin.isEmpty())
        head += "Access-Control-Allow-Origin: " + m_config.corsOrigin.toUtf8() + "\r\n";
    head += "\r\n";
    head += EventStreamEncoder::encodeRetry(m_config.retryMilliseconds);
    subscription.preamble.append({head, 0});

    if (resume) {
        const EventHistory::Replay replay = m_history.replayAfter(
                lastEventId, [&](const Event &event) { return event.isVisibleTo(clientId, topics); });
        if (replay.gap) {
            const QList<EventPointer> retained = m_history.events();
            subscription.preamble.append(
                    {EventStreamEncoder::encodeNotice(
                             QStringLiteral("herald-gap"),
                             noticeJson({{QStringLiteral("lastEventId"), QString::number(lastEventId)},
                                         {QStringLiteral("oldestRetainedId"),
                                          retained.isEmpty() ? QString() : QString::number(retained.first()->id)},
                                         {QStringLiteral("lastId"), QString::number(m_history.lastId())}})),
                     0});
        }
        for (const EventPointer &event : replay.events)
            subscription.preamble.append({event->encodedFor(json), event->id});
    }

    m_clients.insert(connection, record);
    m_connectionsById.insert(clientId, connection);
    if (topics.isEmpty())
        ++m_unfilteredSubscribers;
    for (const QString &topic : std::as_const(topics))
        ++m_subscribersByTopic[topic];
    qCDebug(lcService, "client %s connected from %s", qPrintable(clientId),
            qPrintable(record.info.address.toString()));
    return subscription;
}

HeraldService::PublishResult HeraldService::publish(const PublishRequest &request, const QString &origin)
{
    PublishResult result;
    const QString error = request.validationError();
    if (!error.isEmpty()) {
        result.status = 400;
        result.error = error;
        return result;
    }
    if (m_stopped) {
        result.status = 503;
        result.error = QStringLiteral("Herald is shutting down");
        return result;
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const EventPointer event = Event::create(m_history.lastId() + 1, request.type, request.topic,
                                             request.target, request.data, now.toMSecsSinceEpoch());
    // The record is on its way to disk before anyone hears about the event.
    if (m_journal.isOpen()) {
        QString journalError;
        if (!m_journal.append(*event, &journalError))
            reportJournalError(journalError);
    }
    m_history.append(event);
    m_fanOut->publish(event);
    ++m_published;

    result.id = event->id;
    result.delivered = countRecipients(*event);

    if (m_journal.needsCompaction(m_history.capacity())) {
        // The newest event is always kept, so the id counter survives a history size of 0.
        QList<EventPointer> retained = m_history.events();
        if (retained.isEmpty())
            retained.append(event);
        QString journalError;
        if (!m_journal.compact(retained, &journalError))
            reportJournalError(journalError);
    }

    PublishedEvent published;
    published.id = event->id;
    published.type = event->type;
    published.topic = event->topic;
    published.target = event->target;
    published.data = event->data;
    published.publishedAt = now;
    published.delivered = result.delivered;
    published.origin = origin;
    Q_EMIT eventPublished(published);
    return result;
}

bool HeraldService::disconnectClient(const QString &id)
{
    const QList<quint64> connections = m_connectionsById.values(id);
    if (connections.isEmpty())
        return false;
    const QByteArray farewell = EventStreamEncoder::encodeNotice(
            QStringLiteral("herald-kicked"),
            noticeJson({{QStringLiteral("message"), QStringLiteral("The operator disconnected this page")}}));
    for (quint64 connection : connections) {
        m_fanOut->closeStream(connection, farewell);
        forgetClient(connection);
    }
    qCInfo(lcService, "disconnected client %s", qPrintable(id));
    return true;
}

void HeraldService::applySettings(const ServiceConfig &config)
{
    m_config.token = config.token;
    m_config.corsOrigin = config.corsOrigin;
    m_config.retryMilliseconds = config.retryMilliseconds;
    m_config.maxBodyBytes = config.maxBodyBytes;
    m_config.requestTimeoutSeconds = config.requestTimeoutSeconds;
    m_config.maxClients = resolvedMaxClients(config.maxClients);
    m_config.privateStreams = config.privateStreams;
    m_config.trustedOrigins = config.trustedOrigins;
    m_config.hostNames = config.hostNames;
    if (m_tcpServer)
        m_tcpServer->setLimits(gateLimits());
    if (m_config.historySize != config.historySize) {
        m_config.historySize = config.historySize;
        m_history.setCapacity(config.historySize);
    }
    if (m_config.heartbeatSeconds != config.heartbeatSeconds) {
        m_config.heartbeatSeconds = config.heartbeatSeconds;
        if (m_heartbeatTimer)
            m_heartbeatTimer->setInterval(qMax(1, config.heartbeatSeconds) * 1000);
    }
    if (m_config.clientBufferBytes != config.clientBufferBytes) {
        m_config.clientBufferBytes = config.clientBufferBytes;
        if (m_fanOut)
            m_fanOut->setMaxQueuedBytes(config.clientBufferBytes);
    }
}

QList<ClientInfo> HeraldService::clients() const
{
    QList<ClientInfo> list;
    list.reserve(m_clients.size());
    for (const ClientRecord &record : m_clients)
        list.append(snapshot(record));
    std::sort(list.begin(), list.end(),
              [](const ClientInfo &a, const ClientInfo &b) { return a.connection < b.connection; });
    return list;
}

ServiceStats HeraldService::stats() const
{
    ServiceStats figures;
    figures.clients = int(m_clients.size());
    figures.published = m_published;
    figures.delivered = m_fanOut ? m_fanOut->deliveredTotal() : 0;
    figures.droppedClients = m_droppedClients;
    figures.bytesSent = m_bytesSentByGoneClients;
    for (const ClientRecord &record : m_clients)
        figures.bytesSent += record.counters->bytesSent.load(std::memory_order_relaxed);
    figures.historySize = m_history.size();
    figures.lastId = m_history.lastId();
    figures.uptimeSeconds = m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0;
    return figures;
}

QHttpServerResponse HeraldService::handlePublish(const QHttpServerRequest &request)
{
    if (std::optional<QHttpServerResponse> refusal = refuseAdminRequest(request, false))
        return std::move(*refusal);
    const PublishDecoding decoding = decodePublishRequest(request.value("Content-Type"), request.body(),
                                                          queryOf(request), m_config.maxBodyBytes);
    if (!decoding.isValid())
        return jsonError(Status(decoding.status), decoding.error);
    const PublishResult result = publish(decoding.request, QStringLiteral("http"));
    if (result.status != 200)
        return jsonError(Status(result.status), result.error);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("id"), double(result.id)},
                                           {QStringLiteral("delivered"), result.delivered}});
}

QHttpServerResponse HeraldService::handleSay(const QHttpServerRequest &request)
{
    if (std::optional<QHttpServerResponse> refusal = refuseAdminRequest(request, true))
        return std::move(*refusal);
    ++m_sayCount;
    const QUrlQuery query = queryOf(request);
    PublishRequest say;
    say.data = query.hasQueryItem(QStringLiteral("msg")) ? formQueryValue(query, QStringLiteral("msg"))
                                                          : QStringLiteral("hello %1").arg(m_sayCount);
    const PublishResult result = publish(say, QStringLiteral("say"));
    if (result.status != 200)
        return jsonError(Status(result.status), result.error);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("message"), say.data}});
}

QHttpServerResponse HeraldService::handlePage(const QHttpServerRequest &request) const
{
    QHttpServerResponse page = serveResource(QStringLiteral(":/client/index.html"), "text/html; charset=utf-8");
    if (!m_config.privateStreams || m_config.token.isEmpty())
        return page;
    const QByteArray queryToken = formQueryValue(queryOf(request), QStringLiteral("token")).toUtf8();
    if (!queryToken.isEmpty() && isStreamAuthorized(queryToken, QByteArray())) {
        // The browser keeps the token from here on, out of reach of scripts and other sites.
        page.setHeader("Set-Cookie", TokenCookie + '=' + queryToken.toPercentEncoding()
                                             + "; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict");
        return page;
    }
    if (isStreamAuthorized(QByteArray(), request.value("Cookie")))
        return page;
    return jsonError(Status::Unauthorized, queryToken.isEmpty()
                             ? QStringLiteral("this Herald is private: open the link with ?token=<token> once in this browser")
                             : QStringLiteral("this Herald is private, and that token is not its token"));
}

QHttpServerResponse HeraldService::handleClients() const
{
    QJsonArray list;
    for (const ClientInfo &client : clients()) {
        list.append(QJsonObject{
                {QStringLiteral("id"), client.id},
                {QStringLiteral("connection"), double(client.connection)},
                {QStringLiteral("name"), client.name},
                {QStringLiteral("address"), client.address.toString()},
                {QStringLiteral("userAgent"), client.userAgent},
                {QStringLiteral("topics"), QJsonArray::fromStringList(client.topics)},
                {QStringLiteral("connectedAt"), isoTime(client.connectedAt)},
                {QStringLiteral("lastEventId"), double(client.lastEventId)},
                {QStringLiteral("eventsSent"), double(client.eventsSent)},
                {QStringLiteral("bytesSent"), double(client.bytesSent)},
                {QStringLiteral("queuedBytes"), double(client.queuedBytes)},
        });
    }
    return QHttpServerResponse(list);
}

QHttpServerResponse HeraldService::handleDisconnect(const QString &id, const QHttpServerRequest &request)
{
    if (std::optional<QHttpServerResponse> refusal = refuseAdminRequest(request, false))
        return std::move(*refusal);
    if (!disconnectClient(id))
        return jsonError(Status::NotFound, QStringLiteral("no connected client has the id %1").arg(id));
    return QHttpServerResponse(Status::NoContent);
}

QHttpServerResponse HeraldService::handleMetrics() const
{
    const ServiceStats figures = stats();
    QByteArray text;
    auto metric = [&text](const char *name, const char *type, const char *help, double value) {
        text += QByteArray("# HELP herald_") + name + ' ' + help + '\n';
        text += QByteArray("# TYPE herald_") + name + ' ' + type + '\n';
        text += QByteArray("herald_") + name + ' ' + QByteArray::number(value, 'g', 17) + '\n';
    };
    metric("clients", "gauge", "Connected event-stream clients.", figures.clients);
    metric("published_total", "counter", "Events published.", double(figures.published));
    metric("delivered_total", "counter", "Events written in full to clients, replays included.",
           double(figures.delivered));
    metric("dropped_clients_total", "counter", "Clients disconnected for falling too far behind.",
           double(figures.droppedClients));
    metric("sent_bytes_total", "counter", "Bytes written to event-stream clients.", double(figures.bytesSent));
    metric("history_size", "gauge", "Events retained for replay.", figures.historySize);
    metric("last_id", "gauge", "The id of the newest event.", double(figures.lastId));
    metric("uptime_seconds", "gauge", "Seconds since the service started.", double(figures.uptimeSeconds));
    return QHttpServerResponse("text/plain; version=0.0.4; charset=utf-8", text);
}

QHttpServerResponse HeraldService::serveResource(const QString &path, const QByteArray &mimeType) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return jsonError(Status::InternalServerError, QStringLiteral("the page is missing from this build"));
    QHttpServerResponse response(mimeType, file.readAll());
    response.setHeader("Content-Security-Policy",
                       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-cache");
    return response;
}

QString HeraldService::refusalForHost(const QByteArray &host) const
{
    // A page on a rebinding DNS name reaches Herald with that name as its Host; a name Herald
    // does not know is refused, so such a page cannot publish or kick clients.
    if (host.isEmpty())
        return {};
    QByteArray name = host.toLower();
    if (name.startsWith('[')) {
        const qsizetype close = name.indexOf(']');
        if (close > 0 && QHostAddress(QString::fromLatin1(name.mid(1, close - 1))).protocol() == QAbstractSocket::IPv6Protocol)
            return {};
        return QStringLiteral("the Host header is malformed");
    }
    const qsizetype colon = name.lastIndexOf(':');
    if (colon >= 0)
        name.truncate(colon);
    if (name.endsWith('.'))
        name.chop(1);
    const QString text = QString::fromLatin1(name);
    if (!QHostAddress(text).isNull() || text == QLatin1String("localhost") || text.endsWith(QLatin1String(".localhost")))
        return {};
    const QString machine = QHostInfo::localHostName().toLower();
    if (!machine.isEmpty() && (text == machine || text == machine + QLatin1String(".local")))
        return {};
    for (const QString &allowed : m_config.hostNames) {
        if (text.compare(allowed, Qt::CaseInsensitive) == 0)
            return {};
    }
    return QStringLiteral("Herald does not answer to the name %1 here; add it with --host-name").arg(text);
}

QString HeraldService::refusalForOrigin(const QByteArray &origin, const QByteArray &host) const
{
    // Browsers send Origin on cross-site POSTs and DELETEs; curl and scripts send none.
    if (origin.isEmpty())
        return {};
    if (!host.isEmpty() && origin.compare("http://" + host, Qt::CaseInsensitive) == 0)
        return {};
    for (const QString &trusted : m_config.trustedOrigins) {
        if (QString::fromLatin1(origin).compare(trusted, Qt::CaseInsensitive) == 0)
            return {};
    }
    return QStringLiteral("pages from %1 may not publish or manage clients here; add the origin with --trusted-origin")
            .arg(QString::fromLatin1(origin).left(200));
}

std::optional<QHttpServerResponse> HeraldService::refuseAdminRequest(const QHttpServerRequest &request,
                                                                     bool acceptQueryToken) const
{
    const QByteArray host = request.value("Host");
    QString refusal = refusalForHost(host);
    if (refusal.isEmpty())
        refusal = refusalForOrigin(request.value("Origin"), host);
    if (!refusal.isEmpty())
        return jsonError(Status::Forbidden, refusal);
    if (!isAuthorized(request, acceptQueryToken))
        return unauthorized();
    return std::nullopt;
}

QByteArray HeraldService::cookieToken(const QByteArray &cookieHeader)
{
    for (const QByteArray &part : cookieHeader.split(';')) {
        const QByteArray pair = part.trimmed();
        if (pair.startsWith(TokenCookie + '='))
            return QByteArray::fromPercentEncoding(pair.mid(TokenCookie.size() + 1));
    }
    return {};
}

bool HeraldService::isStreamAuthorized(const QByteArray &queryToken, const QByteArray &cookieHeader) const
{
    if (!m_config.privateStreams || m_config.token.isEmpty())
        return true;
    const QByteArray expected = m_config.token.toUtf8();
    return equalInConstantTime(queryToken, expected) || equalInConstantTime(cookieToken(cookieHeader), expected);
}

bool HeraldService::isAuthorized(const QHttpServerRequest &request, bool acceptQueryToken) const
{
    if (m_config.token.isEmpty())
        return true;
    const QByteArray expected = m_config.token.toUtf8();
    const QByteArray authorization = request.value("Authorization").trimmed();
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        return equalInConstantTime(authorization.mid(7).trimmed(), expected);
    if (acceptQueryToken) {
        const QString token = formQueryValue(queryOf(request), QStringLiteral("token"));
        return equalInConstantTime(token.toUtf8(), expected);
    }
    return false;
}

QHttpServerResponse HeraldService::readOnly(QHttpServerResponse &&response) const
{
    if (!m_config.corsOrigin.isEmpty())
        response.setHeader("Access-Control-Allow-Origin", m_config.corsOrigin.toUtf8());
    return std::move(response);
}

QHttpServerResponse HeraldService::preflight() const
{
    QHttpServerResponse response(Status::NoContent);
    if (!m_config.corsOrigin.isEmpty()) {
        response.setHeader("Access-Control-Allow-Origin", m_config.corsOrigin.toUtf8());
        response.setHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", "Last-Event-ID, Cache-Control");
        response.setHeader("Access-Control-Max-Age", "86400");
    }
    return response;
}

QHttpServerResponse HeraldService::unauthorized() const
{
    QHttpServerResponse response = jsonError(
            Status::Unauthorized,
            QStringLiteral("this Herald needs its token: send \"Authorization: Bearer <token>\""));
    response.setHeader("WWW-Authenticate", "Bearer realm=\"Herald\"");
    return response;
}

ClientInfo HeraldService::snapshot(const ClientRecord &record) const
{
    ClientInfo info = record.info;
    info.eventsSent = record.counters->eventsSent.load(std::memory_order_relaxed);
    info.bytesSent = record.counters->bytesSent.load(std::memory_order_relaxed);
    info.queuedBytes = record.counters->queuedBytes.load(std::memory_order_relaxed);
    info.lastEventId = record.counters->lastEventId.load(std::memory_order_relaxed);
    return info;
}

void HeraldService::onStreamEnded(quint64 connection, StreamEnd reason)
{
    if (reason == StreamEnd::TooSlow) {
        ++m_droppedClients;
        const auto it = m_clients.constFind(connection);
        const QString who = it == m_clients.cend() ? QString::number(connection) : it->info.id;
        const QString message = QStringLiteral("disconnected client %1: it fell more than %2 bytes behind")
                                        .arg(who).arg(m_config.clientBufferBytes);
        qCWarning(lcService, "%s", qPrintable(message));
        Q_EMIT warningRaised(message);
    }
    forgetClient(connection);
}

void HeraldService::forgetClient(quint64 connection)
{
    const auto it = m_clients.constFind(connection);
    if (it == m_clients.cend())
        return;
    const ClientInfo info = it->info;
    m_bytesSentByGoneClients += it->counters->bytesSent.load(std::memory_order_relaxed);
    m_clients.erase(it);
    m_connectionsById.remove(info.id, connection);
    if (info.topics.isEmpty())
        --m_unfilteredSubscribers;
    for (const QString &topic : info.topics) {
        if (--m_subscribersByTopic[topic] == 0)
            m_subscribersByTopic.remove(topic);
    }
}

int HeraldService::countRecipients(const Event &event) const
{
    if (!event.target.isEmpty()) {
        int count = 0;
        for (auto it = m_connectionsById.constFind(event.target);
             it != m_connectionsById.cend() && it.key() == event.target; ++it) {
            const auto record = m_clients.constFind(it.value());
            if (record != m_clients.cend() && event.isVisibleTo(record->info.id, record->info.topics))
                ++count;
        }
        return count;
    }
    if (event.topic.isEmpty())
        return int(m_clients.size());
    return m_unfilteredSubscribers + m_subscribersByTopic.value(event.topic);
}

void HeraldService::answerWhenPassed(QHttpServerResponse &&response, QHttpServerResponder &&responder)
{
    // The event is in the journal; the publisher hears back once every stream has been offered
    // the event published PublishLead before it. So a publisher that waits for its answers
    // stays at most that many events ahead of the sockets and cannot pile up latency for
    // everyone, yet the next pass over the streams already has a couple of events to send in
    // one write each, which more than halves what a delivery costs. An event still waits at most one pass.
    PendingAnswer answer;
    const quint64 published = m_fanOut->publishedCount();
    answer.afterEvents = published > PublishLead ? published - PublishLead : 0;
    answer.socket = responder.socket();
    answer.response = std::make_unique<QHttpServerResponse>(std::move(response));
    answer.responder = std::make_unique<QHttpServerResponder>(std::move(responder));
    m_pendingAnswers.push_back(std::move(answer));
    sendPassedAnswers();
}

void HeraldService::sendPassedAnswers(bool all)
{
    const quint64 passed = m_fanOut ? m_fanOut->passedCount() : 0;
    while (!m_pendingAnswers.empty() && (all || m_pendingAnswers.front().afterEvents <= passed)) {
        PendingAnswer &answer = m_pendingAnswers.front();
        if (answer.socket) // the publisher may have hung up meanwhile
            answer.response->write(std::move(*answer.responder));
        m_pendingAnswers.pop_front();
    }
}

RequestGate::Limits HeraldService::gateLimits() const
{
    RequestGate::Limits limits;
    limits.maxBodyBytes = m_config.maxBodyBytes;
    limits.requestTimeoutMs = qMax(1, m_config.requestTimeoutSeconds) * 1000;
    return limits;
}

void HeraldService::reportJournalError(const QString &message)
{
    if (m_journalFailed)
        return;
    m_journalFailed = true;
    const QString text = QStringLiteral("history is not being saved (%1); Herald keeps serving from memory")
                                 .arg(message);
    qCCritical(lcJournal, "%s", qPrintable(text));
    Q_EMIT warningRaised(text);
    Q_EMIT historyFailed(text);
}
