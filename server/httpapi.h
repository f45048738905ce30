#pragma once

#include "accesspolicy.h"
#include "servicetypes.h"

#include <QObject>
#include <QPointer>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

class GatedTcpServer;
class HeraldService;
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QHttpServerResponse;
class QTcpSocket;
struct GatedRequest;

/// An answer that is written later: it keeps the responder, and is dropped if the client has hung
/// up meanwhile. The request's time limit stops once it is made.
class LaterAnswer
{
public:
    explicit LaterAnswer(QHttpServerResponder &&responder);
    void operator()(QHttpServerResponse &&response) const;
    bool isWanted() const { return !m_socket.isNull(); }

private:
    QPointer<QTcpSocket> m_socket;
    std::shared_ptr<QHttpServerResponder> m_responder;
};

/// Herald's HTTP API, as the README documents it: the routes and their handlers, the door of
/// the event streams, JSON errors, Prometheus metrics and the page. HTTP status codes live here
/// (and in the request gate) and nowhere else: the service answers in plain values.
class HttpApi : public QObject
{
    Q_OBJECT

public:
    /// Serves \a service through \a httpServer and the streams \a tcpServer's gate hands over.
    HttpApi(HeraldService *service, QHttpServer *httpServer, GatedTcpServer *tcpServer);
    ~HttpApi() override;

    /// Passes the service's request limits (body size, timeout) to the request gate.
    void applyLimits();
    /// Sends every publish answer still held back, as the service stops.
    void answerEveryPublish();

private:
    void setUpRoutes();
    void openStreams(const std::vector<GatedRequest> &requests);

    void handlePublish(const QHttpServerRequest &request, LaterAnswer answer);
    void handleSay(const QHttpServerRequest &request, LaterAnswer answer);
    QHttpServerResponse handlePage(const QHttpServerRequest &request) const;
    void handleClients(const QHttpServerRequest &request, LaterAnswer answer);
    void handleDisconnect(const QString &clientId, const QHttpServerRequest &request, LaterAnswer answer);
    void handleRetract(const QString &idText, const QHttpServerRequest &request, LaterAnswer answer);
    QHttpServerResponse handleHealth() const;
    QHttpServerResponse handleStats() const;
    QHttpServerResponse handleMetrics() const;

    AccessPolicy::Credentials credentialsOf(const QHttpServerRequest &request) const;
    /// Sends \a response once the streams have caught up with the publish (see answerWhenPassed).
    void answerWhenPassed(QHttpServerResponse &&response, LaterAnswer answer);
    void sendPassedAnswers(bool all = false);

    std::optional<QHttpServerResponse> refusal(const AccessPolicy::Decision &decision) const;
    QHttpServerResponse readOnly(QHttpServerResponse &&response) const;
    QHttpServerResponse preflight() const;

    HeraldService *m_service;
    QHttpServer *m_httpServer;
    GatedTcpServer *m_tcpServer;

    /// A publish answer held back until the streams have been offered the events before it.
    struct PendingAnswer
    {
        quint64 afterEvents = 0; ///< sent once the fan-out has passed this many events
        std::unique_ptr<QHttpServerResponse> response;
        std::optional<LaterAnswer> answer;
    };
    std::deque<PendingAnswer> m_pendingAnswers;
    quint64 m_sayCount = 0;
};
