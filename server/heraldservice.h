#pragma once

#include "accesspolicy.h"
#include "clientregistry.h"
#include "event.h"
#include "eventstore.h"
#include "publishrequest.h"
#include "serviceconfig.h"
#include "servicetypes.h"
#include "streamrequest.h"
#include "streamshard.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <vector>

class EventStore;
class ServiceCluster;
class GatedTcpServer;
class HttpApi;
class QHttpServer;
class QTimer;
class StreamFanOut;

/// A stream whose request HttpApi has accepted, ready to be handed to the shards.
struct StreamAdmission
{
    int fd = -1; ///< the service owns it from here on
    StreamRequest request;
    StreamInfo info; ///< who connected: its address and user agent
    QByteArray responseHead; ///< the answer's status line and headers, written first
};

/// The Herald push service: it wires the parts together and carries an event from a publish
/// to the sockets. The store numbers and keeps events (EventStore), the registry knows the
/// streams (ClientRegistry), the fan-out writes to them (StreamFanOut), and HttpApi speaks HTTP.
///
/// It lives on one thread (see ServiceHost); call it from others only through queued
/// invocations, and listen to its signals.
class HeraldService : public QObject
{
    Q_OBJECT

public:
    explicit HeraldService(const ServiceConfig &config, QObject *parent = nullptr);
    ~HeraldService() override;

    /// Loads the history and starts listening. Returns false with a message a person can act on.
    bool start(QString *errorMessage);
    /// Sends every stream a herald-shutdown event, closes them, and makes history durable.
    void stop();
    bool isListening() const;
    bool isStopped() const { return m_stopped; }
    quint16 port() const;
    const ServiceConfig &config() const { return m_config; }
    const AccessPolicy &accessPolicy() const { return m_accessPolicy; }

    /// Publishes that arrive together, handled as one: until the batch ends, the store may share
    /// one journal write among them, and the streams get their events in one hand-over. Each of
    /// them completes when the batch ends, at the latest.
    class Batch
    {
    public:
        explicit Batch(HeraldService *service);
        ~Batch();
        Batch(const Batch &) = delete;
        Batch &operator=(const Batch &) = delete;

    private:
        HeraldService *m_service;
    };

    using PublishDone = std::function<void(const PublishResult &result)>;
    /// Publishes one event from any source (the HTTP API, /say or the panel). \a done is called
    /// once the event is committed or refused, perhaps before this returns.
    void publish(const PublishRequest &request, const QString &origin, PublishDone done);
    /// Disconnects every stream of the client \a clientId after a herald-kicked event, on every
    /// node of a cluster. \a done says whether any node had such a client, perhaps later.
    void disconnectClient(const QString &clientId, std::function<void(DisconnectOutcome outcome)> done);
    /// Takes the retained event \a id back: it leaves history, and every stream that could see it
    /// gets a herald-retract event. \a done is called once, perhaps before this returns.
    void retract(quint64 id, std::function<void(RetractOutcome outcome)> done);
    /// Takes over accepted streams: each gets its response head and what it asked to replay,
    /// and then every event committed after this call, with no gap and no duplicate.
    void admitStreams(std::vector<StreamAdmission> admissions);

    /// Takes the settings that can change while running (see ServiceHost::applySettings).
    void applySettings(const ServiceConfig &config);

    int streamCount() const { return m_registry.streamCount(); }
    QList<StreamInfo> streams() const { return m_registry.snapshot(); }
    /// \a limit of the open streams from the one at \a offset, in the order they opened.
    QList<StreamInfo> streams(qsizetype offset, qsizetype limit) const { return m_registry.snapshot(offset, limit); }
    /// Every node's streams in a cluster (this node's alone otherwise); \a error says what is missing.
    void clusterStreams(std::function<void(const QList<StreamInfo> &streams, const QString &error)> done);
    /// The store's engine: local, or the cluster's Redis and whether it can be reached.
    EngineStatus engineStatus() const;
    /// Why history is not being saved, so that publishing is refused; empty while it is.
    QString storageProblem() const;
    ServiceStats stats() const;

    /// Events committed and handed to the streams so far (see StreamFanOut).
    quint64 fannedOutCount() const;
    /// Runs \a action once every stream has been offered the first \a events of them: on the
    /// stream thread that sees it, or at once on this thread when they already have, or when
    /// the service stops. \a action must be safe to run on any thread.
    void whenPassed(quint64 events, std::function<void()> action);

Q_SIGNALS:
    void eventPublished(const PublishedEvent &event);
    void eventRetracted(quint64 id);
    void warningRaised(const QString &message);
    /// History stopped reaching the disk (a full disk, an unwritable folder): publishing and
    /// retracting are refused meanwhile.
    void historyFailed(const QString &message);
    /// History reaches the disk again after historyFailed(): publishing works again.
    void historyRecovered();

private:
    void onEventCommitted(const EventPointer &event);
    void onEventRetracted(const EventPointer &event);
    void onStreamEnded(quint64 connection, StreamEnd reason);
    /// Closes this node's streams of \a clientId; false when it has none.
    bool disconnectHere(const QString &clientId);
    bool createStore(QString *errorMessage);
    StreamSubscription subscribe(StreamAdmission &admission);

    ServiceConfig m_config;
    AccessPolicy m_accessPolicy;
    EventStore *m_store = nullptr;
    ServiceCluster *m_cluster = nullptr; ///< with --cluster; then m_store is its shared stream
    ClientRegistry m_registry;
    StreamFanOut *m_fanOut = nullptr;
    QHttpServer *m_httpServer = nullptr;
    GatedTcpServer *m_tcpServer = nullptr;
    HttpApi *m_api = nullptr;
    QTimer *m_heartbeatTimer = nullptr;
    EventPointer m_heartbeat;

    quint64 m_nextConnection = 1;
    quint64 m_published = 0;
    quint64 m_retracted = 0;
    quint64 m_droppedStreams = 0;
    QElapsedTimer m_uptime;
    bool m_stopped = false;
};
