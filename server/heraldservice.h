#pragma once

#include "clientinfo.h"
#include "eventhistory.h"
#include "eventjournal.h"
#include "publishrequest.h"
#include "requestgate.h"
#include "serviceconfig.h"
#include "streamshard.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMultiHash>
#include <QObject>
#include <QPointer>

#include <deque>
#include <memory>
#include <optional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QHttpServerResponse;
class GatedTcpServer;
class QTcpSocket;
class QTimer;
class StreamFanOut;

/// Figures for /api/stats, /metrics and the panel's status bar.
struct ServiceStats
{
    int clients = 0;
    quint64 published = 0;
    quint64 delivered = 0; ///< events written in full to client sockets, replays included
    quint64 droppedClients = 0; ///< clients disconnected for falling too far behind
    quint64 bytesSent = 0; ///< written to stream sockets, response heads included, since start
    int historySize = 0;
    quint64 lastId = 0;
    qint64 uptimeSeconds = 0;
};
Q_DECLARE_METATYPE(ServiceStats)

/// The Herald push service: the HTTP API on QHttpServer, history, the journal and the
/// stream fan-out. It lives on one thread (see ServiceHost); call it from others only through
/// queued invocations, and listen to its signals.
class HeraldService : public QObject
{
    Q_OBJECT

public:
    explicit HeraldService(const ServiceConfig &config, QObject *parent = nullptr);
    ~HeraldService() override;

    /// Loads the history and starts listening. Returns false with a message a person can act on.
    bool start(QString *errorMessage);
    /// Sends every stream a herald-shutdown event, closes them, and flushes the journal.
    void stop();
    bool isListening() const;
    quint16 port() const;
    const ServiceConfig &config() const { return m_config; }

    struct PublishResult
    {
        quint64 id = 0;
        int delivered = 0;
        int status = 200;
        QString error;
    };
    /// Publishes one event from any source (the HTTP API, /say or the panel).
    PublishResult publish(const PublishRequest &request, const QString &origin);
    /// Disconnects every stream of the client \a id after a herald-kicked event.
    /// Returns false when no such client is connected.
    bool disconnectClient(const QString &id);

    /// Takes the settings that can change while running (see ServiceHost::applySettings).
    void applySettings(const ServiceConfig &config);

    QList<ClientInfo> clients() const;
    ServiceStats stats() const;
    QList<EventPointer> history() const { return m_history.events(); }

Q_SIGNALS:
    void eventPublished(const PublishedEvent &event);
    void warningRaised(const QString &message);
    /// History stopped reaching the disk (a full disk, an unwritable folder); events are
    /// still served from memory.
    void historyFailed(const QString &message);

private:
    struct ClientRecord
    {
        ClientInfo info;
        std::shared_ptr<StreamCounters> counters;
    };

    void setUpRoutes();
    void openStreams(const std::vector<GatedRequest> &requests);
    /// Answers \a request, or returns its subscription for the stream loop.
    std::optional<StreamSubscription> openStream(const GatedRequest &request);
    QHttpServerResponse handlePublish(const QHttpServerRequest &request);
    QHttpServerResponse handleSay(const QHttpServerRequest &request);
    QHttpServerResponse handleClients() const;
    QHttpServerResponse handleDisconnect(const QString &id, const QHttpServerRequest &request);
    QHttpServerResponse handleMetrics() const;
    QHttpServerResponse serveResource(const QString &path, const QByteArray &mimeType) const;

    bool isAuthorized(const QHttpServerRequest &request, bool acceptQueryToken) const;
    /// 403 for a foreign Host (DNS rebinding) or Origin (CSRF), 401 without the token; else nothing.
    std::optional<QHttpServerResponse> refuseAdminRequest(const QHttpServerRequest &request, bool acceptQueryToken) const;
    QString refusalForHost(const QByteArray &host) const;
    QString refusalForOrigin(const QByteArray &origin, const QByteArray &host) const;
    bool isStreamAuthorized(const QByteArray &queryToken, const QByteArray &cookieHeader) const;
    static QByteArray cookieToken(const QByteArray &cookieHeader);
    QHttpServerResponse handlePage(const QHttpServerRequest &request) const;
    QHttpServerResponse readOnly(QHttpServerResponse &&response) const;
    QHttpServerResponse preflight() const;
    QHttpServerResponse unauthorized() const;
    ClientInfo snapshot(const ClientRecord &record) const;

    void onStreamEnded(quint64 connection, StreamEnd reason);
    void forgetClient(quint64 connection);
    int countRecipients(const Event &event) const;
    void reportJournalError(const QString &message);
    RequestGate::Limits gateLimits() const;
    void answerWhenPassed(QHttpServerResponse &&response, QHttpServerResponder &&responder);
    void sendPassedAnswers(bool all = false);

    ServiceConfig m_config;
    QHttpServer *m_httpServer = nullptr;
    GatedTcpServer *m_tcpServer = nullptr;
    StreamFanOut *m_fanOut = nullptr;
    QTimer *m_heartbeatTimer = nullptr;
    EventHistory m_history;
    EventJournal m_journal;
    bool m_journalFailed = false;
    EventPointer m_heartbeat;

    struct PendingAnswer
    {
        quint64 afterEvents = 0; ///< sent once the fan-out has passed this many events
        QPointer<QTcpSocket> socket;
        std::unique_ptr<QHttpServerResponse> response;
        std::unique_ptr<QHttpServerResponder> responder;
    };
    std::deque<PendingAnswer> m_pendingAnswers;

    QHash<quint64, ClientRecord> m_clients;
    QMultiHash<QString, quint64> m_connectionsById;
    QHash<QString, int> m_subscribersByTopic;
    int m_unfilteredSubscribers = 0;
    quint64 m_nextConnection = 1;

    quint64 m_published = 0;
    quint64 m_droppedClients = 0;
    quint64 m_bytesSentByGoneClients = 0;
    quint64 m_sayCount = 0;
    QElapsedTimer m_uptime;
    bool m_stopped = false;
};
Q_DECLARE_METATYPE(HeraldService::PublishResult)
