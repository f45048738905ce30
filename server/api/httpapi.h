#pragma once

#include "accesspolicy.h"
#include "deliverytime.h"
#include "httpanswer.h"
#include "publishdecoding.h"
#include "requestgate.h"
#include "servicetypes.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class GatedTcpServer;
class HeraldService;
class QHttpServer;
class QTcpSocket;
struct ApiRequest;

/// Where an answer goes once it is made: a connection QHttpServer reads, where it is dropped if
/// the client has hung up meanwhile (the request's time limit stops once this is made), or a
/// connection the request gate holds for a request it read whole.
class LaterAnswer
{
public:
    explicit LaterAnswer(QHttpServerResponder &&responder);
    LaterAnswer(GatedTcpServer *server, int fd);
    /// Sends \a answer; on the service thread. Through the gate its body is not copied, so an
    /// answer shared by many requests is held once.
    void operator()(const HttpAnswer &answer) const;
    /// Sends \a answer from any thread; through QHttpServer, on \a context's thread.
    void sendFromAnyThread(const HttpAnswer &answer, QObject *context) const;
    bool isWanted() const;
    /// The same place, for a HEAD request: every answer goes without its body.
    LaterAnswer forHead() const;

private:
    QPointer<QTcpSocket> m_socket;
    std::shared_ptr<QHttpServerResponder> m_responder;
    /// Outlives every answer: the service stops its gate and its stream threads before it goes.
    GatedTcpServer *m_gatedServer = nullptr;
    int m_gatedFd = -1;
    bool m_withoutBody = false;
};

/// Herald's HTTP API, as the README documents it: the routes and their handlers, the door of
/// the event streams, JSON errors, Prometheus metrics and the page. HTTP status codes live here
/// (and in the request gate) and nowhere else: the service answers in plain values.
///
/// Requests come in three ways, and one router (serve()) serves them whichever: event streams
/// from the request gate (openStreams), every other request whose head and body fit in the
/// gate's buffer read whole by the gate (serveWholeRequests), and larger ones through QHttpServer.
class HttpApi : public QObject
{
    Q_OBJECT

public:
    /// Serves \a service through \a httpServer and what \a tcpServer's gate hands over.
    HttpApi(HeraldService *service, QHttpServer *httpServer, GatedTcpServer *tcpServer, QObject *parent = nullptr);
    ~HttpApi() override;

    /// What the request gate takes off QHttpServer's hands: the stream paths, and with
    /// \a wholeRequests, every request it can read whole.
    static RequestGate::Routes gateRoutes(bool wholeRequests);

    /// Takes the service's settings again: who may do what, and the request gate's limits.
    void applySettings();
    /// Serves \a pem, the certificate of Herald's own authority (--tls-cert auto), at
    /// AuthorityPath, for devices to trust; without one that path is not found.
    void setAuthorityCertificate(const QByteArray &pem) { m_authorityPem = pem; }

    /// Where the certificate of Herald's own authority is, on both ports, --tls-only or not.
    static constexpr char AuthorityPath[] = "/herald-ca.crt";

    /// /api/clients lists this many streams when not asked for fewer or more (?limit=).
    static constexpr int DefaultClientPage = 1000;
    static constexpr int MaxClientPage = 10'000;

private:
    /// Ends a read-only request: its answer, before the route's CORS and HEAD rules apply; at once,
    /// or later on the service's thread.
    using Finish = std::function<void(HttpAnswer answer)>;
    /// One route: a method and a path (one ending in "/*" takes an id in place of the star).
    struct Route
    {
        enum Kind {
            ReadOnly, ///< GET, also answered to HEAD and to CORS preflights; open to other origins
            Stream, ///< an event stream: the gate opens its GETs, and preflights are answered here
            Action, ///< publishing and the operator's actions, by exactly this method
        };
        const char *method;
        const char *path;
        Kind kind;
        void (HttpApi::*read)(const ApiRequest &request, const Finish &finish) = nullptr; ///< ReadOnly
        void (HttpApi::*act)(const ApiRequest &request, LaterAnswer answer) = nullptr; ///< Action
    };
    static const Route Routes[];

    void setUpRoutes();
    void openStreams(const std::vector<GatedRequest> &requests);
    void serveWholeRequests(const std::vector<GatedRequest> &requests);
    /// Finds \a request's route and serves it: the one router, whichever way the request came.
    void serve(const ApiRequest &request, LaterAnswer answer);

    void handlePublish(const ApiRequest &request, LaterAnswer answer);
    /// A publish as ntfy's clients send it (isNtfyPublish), answered with ntfy's message JSON.
    void handleNtfyPublish(const ApiRequest &request, LaterAnswer answer);
    /// POST /message as Gotify's clients send it, answered with Gotify's message JSON.
    void handleGotifyPublish(const ApiRequest &request, LaterAnswer answer);
    /// Publishes what \a decoding holds, once access is checked, and answers with what \a answerOf
    /// makes of the result and the request as published.
    /// \a settled, when given, hears the result first, whatever it is (a refusal before the
    /// service saw the request included).
    void publishDecoded(const ApiRequest &request, PublishDecoding decoding, LaterAnswer answer,
                        std::function<HttpAnswer(const PublishResult &, const PublishRequest &)> answerOf,
                        std::function<void(const PublishResult &)> settled = {});
    /// A publish whose body is the file \a fileName (see uploadFileName): its text and fields are
    /// decoded by \a decode from what the request says besides the body, the file is kept, and the
    /// event carries it; a publish that is not accepted lets the file go.
    void publishUpload(const ApiRequest &request, const QString &fileName,
                       const std::function<PublishDecoding(const QByteArray &text)> &decode, LaterAnswer answer,
                       std::function<HttpAnswer(const PublishResult &, const PublishRequest &)> answerOf);
    /// Puts what \a decoding holds on the schedule for the time its delay names, and answers with
    /// what \a answerOf makes of a result that names the schedule.
    void scheduleDecoded(PublishDecoding decoding, LaterAnswer answer,
                         const std::function<HttpAnswer(const PublishResult &, const PublishRequest &)> &answerOf,
                         const std::function<void(const PublishResult &)> &settled);
    /// The moment a publish's \a delay names, now, within the service's bounds.
    DeliveryTime::Parsed deliveryTimeOf(const QString &delay) const;
    void handleSay(const ApiRequest &request, LaterAnswer answer);
    void handleDisconnect(const ApiRequest &request, LaterAnswer answer);
    void handleRetract(const ApiRequest &request, LaterAnswer answer);
    void handleEdit(const ApiRequest &request, LaterAnswer answer);
    /// POST /publish of application/x-ndjson: one event per line, all or none.
    void publishBatch(const ApiRequest &request, LaterAnswer answer);
    /// DELETE /api/scheduled/<id>: the message never goes out, and its file goes.
    void handleCancelScheduled(const ApiRequest &request, LaterAnswer answer);
    /// PUT /api/scheduled/<id>: a new text, fields or time.
    void handleChangeScheduled(const ApiRequest &request, LaterAnswer answer);
    void handleScheduled(const ApiRequest &request, const Finish &finish);
    void handlePage(const ApiRequest &request, const Finish &finish);
    void handleScript(const ApiRequest &request, const Finish &finish);
    void handleStyle(const ApiRequest &request, const Finish &finish);
    void handleIcon(const ApiRequest &request, const Finish &finish);
    void handleAuthority(const ApiRequest &request, const Finish &finish);
    /// GET /file/<id>: a file a message carries, under the rules of the streams.
    void handleFile(const ApiRequest &request, const Finish &finish);
    void handleManifest(const ApiRequest &request, const Finish &finish);
    void handleClients(const ApiRequest &request, const Finish &finish);
    void handleHealth(const ApiRequest &request, const Finish &finish);
    void handleStats(const ApiRequest &request, const Finish &finish);
    void handleMetrics(const ApiRequest &request, const Finish &finish);

    AccessPolicy::Credentials credentialsOf(const ApiRequest &request) const;
    /// Sends \a response once the streams have caught up with the publish (see answerWhenPassed).
    void answerWhenPassed(HttpAnswer &&response, LaterAnswer answer);

    std::optional<HttpAnswer> refusal(const AccessPolicy::Decision &decision) const;
    /// 503: \a change (a retraction, an edit) cannot be recorded now, and why, when the store says.
    HttpAnswer cannotRecord(const QString &change) const;
    HttpAnswer readOnly(HttpAnswer &&response) const;
    HttpAnswer preflight() const;
    /// The body made by \a make, or the one made for \a key before while it is still on its way
    /// to another client: concurrent requests for the same snapshot share one encoded copy.
    QByteArray sharedBody(const QString &key, const std::function<QByteArray()> &make);

    HeraldService *m_service;
    QHttpServer *m_httpServer;
    GatedTcpServer *m_tcpServer;
    AccessPolicy m_accessPolicy;
    QByteArray m_authorityPem;
    QHash<QString, QByteArray> m_sharedBodies;

    quint64 m_sayCount = 0;
};
