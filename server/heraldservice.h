#pragma once

#include "attachmentstore.h"
#include "event.h"
#include "eventstore.h"
#include "messageschedule.h"
#include "publishrequest.h"
#include "serviceconfig.h"
#include "servicetypes.h"
#include "streamadmission.h"
#include "streamregistry.h"
#include "streamshard.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class AttachmentFiles;
class LocalAttachmentFiles;
class EventStore;
class QTemporaryDir;
class ServiceCluster;
class QTimer;
class StreamFanOut;

/// The Herald push service: it wires the event parts together and carries an event from a
/// publish to the sockets. The store numbers and keeps events (EventStore), the registry knows
/// the streams (StreamRegistry), and the fan-out writes to them (StreamFanOut). It knows no HTTP:
/// HttpApi speaks it and calls the service (HeraldServer puts the two together).
///
/// It lives on one thread (see ServiceHost); call it from others only through queued
/// invocations, and listen to its signals.
class HeraldService : public QObject
{
    Q_OBJECT

public:
    explicit HeraldService(const ServiceConfig &config, QObject *parent = nullptr);
    ~HeraldService() override;

    /// Loads the history and starts the stream threads. Returns false with a message a person
    /// can act on.
    bool start(QString *errorMessage);
    /// In a cluster, joins the registry of nodes as \a nodeName (where browsers reach this node);
    /// alone, does nothing. Once the port is known, after start().
    void joinCluster(const QString &nodeName);
    /// Sends every stream a herald-shutdown event, closes them, and makes history durable.
    void stop();
    bool isStopped() const { return m_stopped; }
    const ServiceConfig &config() const { return m_config; }

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
    /// What a batch of publishes came to: each one's result in their order, or, when refused,
    /// why none was published.
    struct PublishedBatch
    {
        QList<PublishResult> results;
        PublishResult refusal; ///< accepted unless the batch was refused
        bool isAccepted() const { return refusal.isAccepted(); }
    };
    using BatchDone = std::function<void(const PublishedBatch &batch)>;
    /// Publishes \a requests as events with consecutive ids, all or none, with one journal write
    /// (one sync with --durability disk, one round trip in a cluster) and one hand-over to the
    /// streams. \a done is called once, perhaps before this returns.
    void publishBatch(const QList<PublishRequest> &requests, const QString &origin, BatchDone done);
    /// Puts \a request on the schedule for \a dueAtMs; \a done gets a result naming the schedule
    /// (duplicate when its idempotency key is one that waits), or why not: Invalid (a request that
    /// breaks a rule), Unavailable (it cannot be written now). Perhaps before this returns.
    void schedule(const PublishRequest &request, qint64 dueAtMs, const QString &origin, PublishDone done);
    /// What a change of a scheduled message came to: the message as it is now when Done, and for
    /// Invalid, why.
    struct ScheduleChange
    {
        MessageSchedule::Outcome outcome = MessageSchedule::Outcome::NotFound;
        QString error;
        std::optional<ScheduledMessage> message;
    };
    /// Gives \a waiting, a scheduled message as the schedule found it, \a request (its words and
    /// fields) and the time \a dueAtMs, and its file the lifetime from then.
    void changeScheduled(const ScheduledMessage &waiting, const PublishRequest &request, qint64 dueAtMs,
                         std::function<void(const ScheduleChange &change)> done);
    /// Takes \a id off the schedule, and lets its file go.
    void cancelScheduled(const QString &id, std::function<void(MessageSchedule::Outcome outcome)> done);
    /// Keeps \a content as the file \a name that \a request carries from now on, served under
    /// \a baseUrl ("http://HOST:PORT"), kept for its lifetime from \a shownFromMs (its message's
    /// time) when that is later. \a done gets the request carrying the file, or an error for a person
    /// and why the file was refused; perhaps before this returns.
    using AttachDone
        = std::function<void(const PublishRequest &request, const QString &error, AttachmentStore::Refusal refusal)>;
    void attachFile(const PublishRequest &request, const QByteArray &content, const QString &name,
                    const QString &baseUrl, qint64 shownFromMs, AttachDone done);
    /// The file \a id, as a request for it now finds it; perhaps before this returns.
    void readFile(const QString &id, std::function<void(const AttachmentStore::Read &read)> done);
    /// Lets go of the file a message with \a fields carries: one that made no event of its own,
    /// was retracted or cancelled.
    void letFileGo(const MessageFields &fields);
    /// Lets go of the file of a publish that \a result says made no event of its own: refused, or a
    /// retry of one that did. One the cluster's Redis did not answer may have been taken: its file
    /// stays, and expires.
    void settleFile(const MessageFields &fields, const PublishResult &result);
    /// Disconnects every stream of the client \a clientId after a herald-kicked event, on every
    /// node of a cluster. \a done says whether any node had such a client, perhaps later.
    void disconnectClient(const QString &clientId, std::function<void(DisconnectOutcome outcome)> done);
    /// Takes the retained event \a id back: it leaves history, and every stream that could see it
    /// gets a herald-retract event. \a done is called once, perhaps before this returns.
    void retract(quint64 id, std::function<void(RetractOutcome outcome)> done);
    /// The retained event \a id, or null.
    EventPointer findEvent(quint64 id) const;
    /// Puts \a edited, a new version of a retained event (Event::edited()), in its place: replays
    /// give only it from now on, and every stream that could see the event gets a herald-edit event
    /// (ntfy's streams, the new version as a message naming the one it replaces). \a done is called
    /// once, perhaps before this returns.
    void edit(EventPointer edited, std::function<void(EditOutcome outcome)> done);
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
    /// The messages that wait for their time: in a file of this Herald's, or the cluster's in Redis.
    MessageSchedule *scheduled() const { return m_scheduled; }
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
    /// A retained event was edited: \a edited is its new version (its queuedTo and origin unset).
    void eventEdited(const PublishedEvent &edited);
    void warningRaised(const QString &message);
    /// History stopped reaching the disk (a full disk, an unwritable folder): publishing and
    /// retracting are refused meanwhile.
    void historyFailed(const QString &message);
    /// History reaches the disk again after historyFailed(): publishing works again.
    void historyRecovered();
    /// applySettings() took new settings: whoever serves the service reads config() again.
    void settingsApplied();

private:
    /// What \a appended, the store's answer to \a request, means to its publisher; a new event is
    /// told to the service's listeners as published by \a origin at \a publishedAt.
    PublishResult resultOf(const EventStore::Appended &appended, const PublishRequest &request, const QString &origin,
                           const QDateTime &publishedAt);
    void onEventCommitted(const EventPointer &event);
    void onEventRetracted(const EventPointer &event);
    void onEventEdited(const EventPointer &edited);
    static PublishedEvent publishedEventOf(const Event &event, const QString &text, const QDateTime &publishedAt,
                                           int queuedTo, const QString &origin);
    /// Makes \a event's encodings for every stream format in use.
    void prepareForStreams(const Event &event) const;
    void onStreamEnded(quint64 connection, StreamEnd reason);
    /// Closes this node's streams of \a clientId; false when it has none.
    bool disconnectHere(const QString &clientId);
    bool createStore(QString *errorMessage);
    /// Opens the files: the cluster's, attachments/ in the data folder, or a temporary folder.
    /// One that cannot be used refuses uploads, saying why, and the rest of Herald goes on.
    void openAttachments();
    /// Opens the schedule: the cluster's, scheduled.json in the data folder, or memory alone.
    bool openSchedule(QString *errorMessage);
    /// Why \a dueAtMs is no time to schedule a message for, or empty.
    QString scheduleTimeError(qint64 dueAtMs) const;
    StreamSubscription subscribe(StreamAdmission &admission);

    ServiceConfig m_config;
    EventStore *m_store = nullptr;
    ServiceCluster *m_cluster = nullptr; ///< with --cluster; then m_store is its shared stream
    StreamRegistry m_registry;
    StreamFanOut *m_fanOut = nullptr;
    QTimer *m_heartbeatTimer = nullptr;
    std::unique_ptr<QTemporaryDir> m_attachmentFolder; ///< without a data folder
    std::unique_ptr<LocalAttachmentFiles> m_localFiles; ///< in the folder above, out of a cluster
    /// Where files are kept: m_localFiles, or the cluster's; null when they cannot be.
    AttachmentFiles *m_files = nullptr;
    QString m_attachmentsProblem; ///< why files cannot be kept (the folder cannot be used), or empty
    MessageSchedule *m_scheduled = nullptr;

    quint64 m_nextConnection = 1;
    quint64 m_published = 0;
    quint64 m_retracted = 0;
    quint64 m_edited = 0;
    quint64 m_droppedStreams = 0;
    QElapsedTimer m_uptime;
    bool m_stopped = false;
};
