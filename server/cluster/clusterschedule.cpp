#include "clusterschedule.h"

#include "logging.h"
#include "rediskeys.h"
#include "textrules.h"

#include <QDateTime>
#include <QJsonDocument>

#include <algorithm>

namespace {

/// The most messages one claim takes; more due go in the next.
constexpr int ClaimedAtOnce = 100;

// The keys of every script, in this order: the ids that wait (a sorted set by time, in ms), the
// messages (a hash of JSON by id), the ids by idempotency key, the version (raised by every
// change), and the ids being sent (a sorted set by when the claim lapses).

// ARGV: id, message, time, idempotency key or "", the most that wait. Returns {} when added, or
// {id, message} of the one that waits with the same key.
const QByteArray AddScript = R"lua(
if ARGV[4] ~= '' then
  local existing = redis.call('HGET', KEYS[3], ARGV[4])
  local message = existing and redis.call('HGET', KEYS[2], existing)
  if message then return {existing, message} end
end
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[5]) then
  return redis.error_reply('FULL')
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], ARGV[4], ARGV[1]) end
redis.call('INCR', KEYS[4])
return {}
)lua";

// ARGV: id, "1" to take it off only while it waits (not while it is being sent). Returns the
// message taken off, or nil.
const QByteArray RemoveScript = R"lua(
if ARGV[2] == '1' and not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return false end
local message = redis.call('HGET', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
if not message then return false end
redis.call('HDEL', KEYS[2], ARGV[1])
local readable, decoded = pcall(cjson.decode, message)
local key = readable and decoded.key
if key and redis.call('HGET', KEYS[3], key) == ARGV[1] then redis.call('HDEL', KEYS[3], key) end
redis.call('INCR', KEYS[4])
return message
)lua";

// ARGV: id, message, time. Returns 1, or 0 when it does not wait (gone, or being sent).
const QByteArray ChangeScript = R"lua(
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('INCR', KEYS[4])
return 1
)lua";

// Returns {version, the soonest time, the soonest lapse of a claim}; each may be "".
const QByteArray LookScript = R"lua(
local soonest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local lapse = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
return {redis.call('GET', KEYS[4]) or '', soonest[2] or '', lapse[2] or ''}
)lua";

// ARGV: now, when the claim lapses, the most to claim, the prefix of a message's idempotency key in
// the event store. Returns {id, message, ...} of those claimed: those due, and those whose claim
// lapsed (the node that claimed them stopped before it took them off), unless the event store has
// the event of their key: then they went out, and are taken off here.
const QByteArray ClaimScript = R"lua(
local claimed = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])) do
  if redis.call('EXISTS', ARGV[4] .. id) == 1 then
    redis.call('ZREM', KEYS[5], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('INCR', KEYS[4])
  else
    table.insert(claimed, id)
  end
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])) do
  redis.call('ZREM', KEYS[1], id)
  table.insert(claimed, id)
end
local messages = {}
for _, id in ipairs(claimed) do
  local message = redis.call('HGET', KEYS[2], id)
  if message then
    redis.call('ZADD', KEYS[5], ARGV[2], id)
    table.insert(messages, id)
    table.insert(messages, message)
  else
    redis.call('ZREM', KEYS[5], id)
  end
end
return messages
)lua";

std::optional<ScheduledMessage> messageIn(const QByteArray &json)
{
    return ScheduledMessage::fromJson(QJsonDocument::fromJson(json).object());
}

QByteArray jsonOf(const ScheduledMessage &message)
{
    return QJsonDocument(message.toJson()).toJson(QJsonDocument::Compact);
}

QString unreachable(const RedisReply &reply)
{
    return QStringLiteral("the cluster's Redis cannot keep the schedule now: %1").arg(reply.errorText());
}

} // namespace

ClusterSchedule::ClusterSchedule(const RedisEndpoint &endpoint, const QString &prefix, Publish publish, QObject *parent)
    : MessageSchedule(parent)
    , m_prefix(prefix)
    , m_publish(std::move(publish))
    , m_redis(new RedisConnection(endpoint, QStringLiteral("Schedule"), this))
{
    m_look.setInterval(LookMs);
    connect(&m_look, &QTimer::timeout, this, &ClusterSchedule::look);
    connect(m_redis, &RedisConnection::ready, this, &ClusterSchedule::look);
    m_clock.setSingleShot(true);
    m_clock.setTimerType(Qt::PreciseTimer);
    connect(&m_clock, &QTimer::timeout, this, &ClusterSchedule::sendDue);
}

bool ClusterSchedule::open(QString *)
{
    m_redis->keepOpen();
    m_look.start();
    return true;
}

void ClusterSchedule::close()
{
    m_look.stop();
    m_clock.stop();
    m_redis->close();
}

QByteArray ClusterSchedule::key(const QByteArray &what) const
{
    return redisKey(m_prefix, what);
}

void ClusterSchedule::run(const QByteArray &script, const QList<QByteArray> &arguments,
                          RedisConnection::ReplyHandler handler)
{
    m_redis->command(QList<QByteArray>{"EVAL", script, "5", key("scheduled"), key("schedule"), key("schedule-keys"),
                                       key("schedule-version"), key("schedule-sending")}
                         + arguments,
                     std::move(handler));
}

void ClusterSchedule::add(const PublishRequest &request, qint64 dueAtMs, qint64 nowMs, const QString &origin,
                          AddDone done)
{
    ScheduledMessage message;
    message.id = randomLettersAndDigits(ScheduledMessage::IdLength);
    message.request = request;
    message.dueAtMs = dueAtMs;
    message.createdAtMs = nowMs;
    message.origin = origin;
    run(AddScript,
        {message.id.toLatin1(), jsonOf(message), QByteArray::number(dueAtMs), request.idempotencyKey,
         QByteArray::number(MaxMessages)},
        [this, message, done = std::move(done)](const RedisReply &reply) {
            Added added;
            if (reply.isError()) {
                added.error = reply.string.endsWith("FULL") ? fullError() : unreachable(reply);
                return done(added);
            }
            added.duplicate = reply.elements.size() == 2;
            added.message = added.duplicate ? messageIn(reply.elements.at(1).string) : message;
            if (!added.message)
                added.error = QStringLiteral("the message scheduled before with this idempotency key cannot be read");
            done(added);
            if (!added.duplicate)
                look(); // its clock, if it is the soonest
        });
}

void ClusterSchedule::cancel(const QString &id, CancelDone done)
{
    run(RemoveScript, {id.toLatin1(), "1"}, [this, done = std::move(done)](const RedisReply &reply) {
        if (reply.isError())
            return done(Outcome::Unwritable, std::nullopt);
        const std::optional<ScheduledMessage> cancelled = messageIn(reply.string);
        done(reply.type == RedisReply::Type::String ? Outcome::Done : Outcome::NotFound, cancelled);
        look();
    });
}

void ClusterSchedule::change(const ScheduledMessage &changed, ChangeDone done)
{
    run(ChangeScript, {changed.id.toLatin1(), jsonOf(changed), QByteArray::number(changed.dueAtMs)},
        [this, done = std::move(done)](const RedisReply &reply) {
            if (reply.isError())
                return done(Outcome::Unwritable);
            done(reply.integer == 1 ? Outcome::Done : Outcome::NotFound);
            look();
        });
}

void ClusterSchedule::find(const QString &id, FindDone done)
{
    m_redis->command({"HGET", key("schedule"), id.toLatin1()}, [done = std::move(done)](const RedisReply &reply) {
        const std::optional<ScheduledMessage> message = messageIn(reply.string);
        done(message, reply.isError() ? Outcome::Unwritable : message ? Outcome::Done : Outcome::NotFound);
    });
}

void ClusterSchedule::list(ListDone done)
{
    m_redis->command({"HVALS", key("schedule")}, [done = std::move(done)](const RedisReply &reply) {
        QList<ScheduledMessage> messages;
        for (const RedisReply &element : reply.elements) {
            if (std::optional<ScheduledMessage> message = messageIn(element.string))
                messages.append(*message);
        }
        std::stable_sort(messages.begin(), messages.end(),
                         [](const ScheduledMessage &a, const ScheduledMessage &b) { return a.dueAtMs < b.dueAtMs; });
        done(messages, reply.isError() ? unreachable(reply) : QString());
    });
}

void ClusterSchedule::look()
{
    if (!m_redis->isReady())
        return;
    run(LookScript, {}, [this](const RedisReply &reply) {
        if (reply.isError() || reply.elements.size() != 3)
            return;
        if (reply.elements.at(0).string != m_version) {
            m_version = reply.elements.at(0).string;
            Q_EMIT changed();
        }
        qint64 next = -1;
        for (int i = 1; i < 3; ++i) {
            bool ok = false;
            const qint64 at = reply.elements.at(i).string.toLongLong(&ok);
            if (ok && (next < 0 || at < next))
                next = at;
        }
        const qint64 wait = next - QDateTime::currentMSecsSinceEpoch();
        // Further off than the next look, the next look sets the clock.
        if (next >= 0 && wait <= LookMs && (!m_clock.isActive() || m_clock.remainingTime() > wait))
            m_clock.start(int(qMax<qint64>(0, wait)));
    });
}

void ClusterSchedule::sendDue()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // The key every message is published with (ScheduledMessage::deliveryKey()), as the store keeps it.
    const QByteArray deliveryKeys = key(IdempotencyKeys) + ScheduledMessage().deliveryKey();
    run(ClaimScript,
        {QByteArray::number(now), QByteArray::number(now + ClaimMs), QByteArray::number(ClaimedAtOnce), deliveryKeys},
        [this](const RedisReply &reply) {
            if (reply.isError())
                return; // the next look tries again
            for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2) {
                const QString id = QString::fromLatin1(reply.elements.at(i).string);
                const std::optional<ScheduledMessage> message = messageIn(reply.elements.at(i + 1).string);
                if (!message) {
                    qCWarning(lcCluster, "scheduled message %s cannot be read, and is dropped", qPrintable(id));
                    sent(id);
                    continue;
                }
                ScheduledMessage delivery = *message;
                delivery.request.idempotencyKey = message->deliveryKey();
                m_publish(delivery, [this, id](bool published) {
                    // Not published: its claim lapses, and this node or another tries again.
                    if (published)
                        sent(id);
                });
            }
            if (reply.elements.size() >= 2 * ClaimedAtOnce)
                sendDue();
        });
}

void ClusterSchedule::sent(const QString &id)
{
    // Not taken off (Redis is lost): its claim lapses, and the publish made again gives the same event.
    run(RemoveScript, {id.toLatin1(), "0"}, [this](const RedisReply &) { look(); });
}
