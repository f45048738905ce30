#pragma once

#include "accesspolicy.h"
#include "httpanswer.h"
#include "requestgate.h"
#include "servicetypes.h"

#include <QHttpServerRequest>
#include <QObject>
#include <QPointer>

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
    /// Sends \a answer; on the service thread.
    void operator()(const HttpAnswer &answer) const;
    /// Sends \a answer from any thread; through QHttpServer, on \a context's thread.
    void sendFromAnyThread(const HttpAnswer &answer, QObject *context) const;
    bool isWanted() const;

private:
    QPointer<QTcpSocket> m_socket;
    std::shared_ptr<QHttpServerResponder> m_responder;
    /// Outlives every answer: the service stops its gate and its stream threads before it goes.
    GatedTcpServer *m_gatedServer = nullptr;
    int m_gatedFd = -1;
};

/// Herald's HTTP API, as the README documents it: the routes and their handlers, the door of
/// the event streams, JSON errors, Prometheus metrics and the page. HTTP status codes live here
/// (and in the request gate) and nowhere else: the service answers in plain values.
///
/// Requests come in three ways, and each route is served one way whichever: event streams from
/// the request gate (openStreams), publishes and /say read whole by the gate when they fit in
/// its buffer (serveWholeRequests), and everything else through QHttpServer.
class HttpApi : public QObject
{
    Q_OBJECT

public:
    /// Serves \a service through \a httpServer and what \a tcpServer's gate hands over.
    HttpApi(HeraldService *service, QHttpServer *httpServer, GatedTcpServer *tcpServer);
    ~HttpApi() override;

    /// What the request gate takes off QHttpServer's hands: the stream paths, and with
    /// \a wholeRequests, the routes it reads whole.
    static RequestGate::Routes gateRoutes(bool wholeRequests);

    /// Passes the service's request limits (body size, timeout) to the request gate.
    void applyLimits();

private:
    void setUpRoutes();
    void openStreams(const std::vector<GatedRequest> &requests);
    void serveWholeRequests(const std::vector<GatedRequest> &requests);

    void handlePublish(const ApiRequest &request, LaterAnswer answer);
    void handleSay(const ApiRequest &request, LaterAnswer answer);
    HttpAnswer handlePage(const ApiRequest &request) const;
    void handleClients(const ApiRequest &request, LaterAnswer answer);
    void handleDisconnect(const QString &clientId, const ApiRequest &request, LaterAnswer answer);
    void handleRetract(const QString &idText, const ApiRequest &request, LaterAnswer answer);
    HttpAnswer handleHealth() const;
    HttpAnswer handleStats() const;
    HttpAnswer handleMetrics() const;

    AccessPolicy::Credentials credentialsOf(const ApiRequest &request) const;
    /// Sends \a response once the streams have caught up with the publish (see answerWhenPassed).
    void answerWhenPassed(HttpAnswer &&response, LaterAnswer answer);

    std::optional<HttpAnswer> refusal(const AccessPolicy::Decision &decision) const;
    HttpAnswer readOnly(HttpAnswer &&response) const;
    HttpAnswer preflight() const;

    /// A route the request gate may read whole, and its handler.
    struct WholeRoute
    {
        const char *method;
        QHttpServerRequest::Method qtMethod; ///< the same, as QHttpServer names it
        const char *path;
        void (HttpApi::*handle)(const ApiRequest &request, LaterAnswer answer);
    };
    static const WholeRoute WholeRoutes[];

    HeraldService *m_service;
    QHttpServer *m_httpServer;
    GatedTcpServer *m_tcpServer;

    quint64 m_sayCount = 0;
};
