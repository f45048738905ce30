#pragma once

#include "messageschedule.h"
#include "redisconnection.h"

#include <QTimer>

/// The messages that wait for their time, shared by the nodes of a cluster in Redis: whichever
/// node took a message, exactly one node sends it at its time, also when the one that took it is
/// gone.
///
/// Each message is kept as JSON in a hash by id, and its id in a sorted set by its time. Every
/// node looks at the soonest time each second and sets a clock for it; when it comes, one Lua
/// script claims what is due, moving each into a second sorted set scored with when the claim
/// lapses. The node that claimed a message publishes it with its deliveryKey() and then takes it
/// off; a node that stops before that leaves a claim that lapses, and another node publishes the
/// message again under the same key, which the cluster's idempotency keys turn into the first
/// event rather than a second one. A message being sent can no longer be changed or cancelled.
///
/// Used on the service's thread.
class ClusterSchedule : public MessageSchedule
{
    Q_OBJECT

public:
    /// How long a node's claim on a message lasts: another node sends it once this has passed.
    static constexpr int ClaimMs = 15'000;
    /// How often a node looks at the soonest time.
    static constexpr int LookMs = 1000;

    ClusterSchedule(const RedisEndpoint &endpoint, const QString &prefix, Publish publish, QObject *parent = nullptr);

    /// Connects (and again whenever Redis is lost) and starts looking. Always true: while Redis is
    /// away, what waits there waits.
    bool open(QString *errorMessage) override;
    void close();

    void add(const PublishRequest &request, qint64 dueAtMs, qint64 nowMs, const QString &origin, AddDone done) override;
    void cancel(const QString &id, CancelDone done) override;
    void change(const ScheduledMessage &changed, ChangeDone done) override;
    void find(const QString &id, FindDone done) override;
    void list(ListDone done) override;

private:
    /// Reads the schedule's version (telling of changes made by any node) and its soonest time.
    void look();
    /// Claims what is due and sends it.
    void sendDue();
    void sent(const QString &id);
    /// Runs \a script with the schedule's keys and \a arguments.
    void run(const QByteArray &script, const QList<QByteArray> &arguments, RedisConnection::ReplyHandler handler);
    QByteArray key(const QByteArray &what) const;

    const QString m_prefix;
    const Publish m_publish;
    RedisConnection *m_redis;
    QTimer m_look;
    QTimer m_clock;
    QByteArray m_version;
};
