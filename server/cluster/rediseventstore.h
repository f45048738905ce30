#pragma once

#include "eventstore.h"
#include "redisconnection.h"

#include <QHash>
#include <QMap>
#include <QTimer>

/// The event store of a cluster: several Heralds share one Redis Stream.
///
/// A publish runs one Lua script that numbers the event with a counter and appends it to the
/// stream under that number (XADD N-0, trimmed to about the history size), so ids are dense,
/// the same on every node, and assigned by Redis, never by a node's clock. Every node reads the
/// whole stream on a connection of its own (XREAD BLOCK) from the last id it has, keeps the
/// newest events in memory for replays, and commits each event as it arrives; its own publishes
/// are answered then. Retractions, edits and disconnects travel on a second stream; the newest
/// version of each edited event is kept in a hash beside the events, for nodes that start later.
///
/// While Redis is unreachable, publishing is refused (engineStatus()), open streams stay open,
/// and the store reconnects with backoff and reads on from its last id, so nothing is missed. A
/// Redis that comes back empty has its counter raised past the highest id this node has seen
/// (kept in the data folder too) before it takes the next publish, so ids never repeat.
class RedisEventStore : public EventStore
{
    Q_OBJECT

public:
    struct Settings
    {
        RedisEndpoint endpoint;
        QString prefix = QStringLiteral("herald"); ///< of every key, so sites can share a Redis
        HistoryLimits limits;
        QString dataDirectory; ///< where the highest id seen is kept across restarts; may be empty
    };

    explicit RedisEventStore(const Settings &settings, QObject *parent = nullptr);
    ~RedisEventStore() override;

    bool open(QString *errorMessage) override;
    void close() override;
    void append(const PublishRequest &request, qint64 publishedAtMs, AppendDone done) override;
    /// One script, one round trip: the batch's ids are consecutive in the cluster's order.
    void appendBatch(const QList<PublishRequest> &requests, qint64 publishedAtMs, AppendBatchDone done) override;
    void retract(quint64 id, RetractDone done) override;
    void edit(EventPointer edited, EditDone done) override;

    EngineStatus engineStatus() const override;

    /// Asks every node (this one too) to disconnect the streams of \a clientId; \a done says
    /// whether the order went out.
    void disconnectEverywhere(const QString &clientId, std::function<void(bool sent)> done);
    /// The key of \a what under the cluster's prefix, as every node spells it.
    QByteArray key(const QByteArray &what) const;

Q_SIGNALS:
    /// Some node asked every node to disconnect this client.
    void disconnectRequested(const QString &clientId);

private:
    /// A publish of this node's, numbered by Redis and waiting to come back through the reader.
    struct PendingAppend
    {
        PublishRequest request;
        qint64 publishedAtMs;
        AppendDone done;

        /// The event Redis numbered \a id, as this node asked for it.
        EventPointer eventAs(quint64 id) const
        {
            return Event::create(id, request.type, request.topic, request.target, request.data, publishedAtMs,
                                 request.fields);
        }
    };

    /// Why a publish was not taken, for \a reply that does not say it was.
    static Appended notTaken(const RedisReply &reply);
    /// Completes \a append, which Redis numbered \a id: at once when it was a
    /// \a duplicate or has been read back, else once the reader reads it.
    void settle(quint64 id, bool duplicate, PendingAppend append);
    void connectNow();
    void onConnectionReady();
    void onConnectionLost(const QString &reason);
    void setUp();
    void loadHistory();
    /// Puts the newest version of each edited event in its place, then goes on (raiseCounter()).
    void loadEdits();
    /// Puts \a version (the cluster's JSON of a new version) of the event \a id in its place,
    /// unless this node has that version or a later one.
    void takeEdit(quint64 id, const QByteArray &version);
    void raiseCounter();
    /// Whether the events between this node's last id and the next one it read were trimmed away
    /// before it could read them; if so, eventsMissed(). Then \a then.
    void checkForMissedEvents(std::function<void()> then);
    void positionControl();
    void goLive();
    /// Whether \a reply failed; an error reply (LOADING after a restart, BUSY, ...) drops both
    /// connections and tries again later, as a lost connection does.
    bool failed(const RedisReply &reply);
    void read();
    /// The id of the first event in an XREAD reply, 0 when it has none.
    quint64 firstEventId(const RedisReply &reply) const;
    void take(const RedisReply &reply);
    void takeEvent(quint64 id, const QHash<QByteArray, QByteArray> &fields);
    void takeControl(const QHash<QByteArray, QByteArray> &fields);
    void persistLastId();
    quint64 floorId() const { return qMax(history().lastId(), m_persistedLastId); }
    QString unreachableMessage() const;

    const Settings m_settings;
    RedisConnection *m_commands = nullptr;
    RedisConnection *m_reader = nullptr;
    QMap<quint64, PendingAppend> m_pendingAppends; ///< by id, the lowest first
    QByteArray m_lastControlId = "0-0";
    bool m_controlPositioned = false; ///< m_lastControlId says where this node is on the control stream
    quint64 m_newestId = 0; ///< the counter, as last read: what lag is measured against
    quint64 m_persistedLastId = 0;
    quint64 m_savedLastId = 0;
    bool m_loaded = false; ///< history was read from Redis once
    bool m_reachable = false;
    bool m_closed = false;
    int m_backoffMs = 0;
    QTimer m_reconnect;
    QTimer m_housekeeping; ///< reads the counter for the lag, and keeps the highest id on disk
    QString m_lostReason;
};
