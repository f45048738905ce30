#include "clusternodes.h"

#include "logging.h"
#include "rediskeys.h"
#include "streamjson.h"

#include <QJsonDocument>

#include <memory>

namespace {
constexpr int HeartbeatMs = 2000;
constexpr int EntrySeconds = 6; // three heartbeats missed and a node is gone
constexpr int GoodbyeTimeoutMs = 500;

// The registry is a sorted set of node names, each scored with when its entry expires by
// Redis's clock (never a node's: theirs may differ), beside each node's entry and stream list.
// No KEYS, which would stop a Redis that other sites share while it walks every key.
// KEYS: nodes, node entry, stream list. ARGV: name, seconds, entry, stream list.
// Returns the number of nodes alive.
const QByteArray HeartbeatScript = R"lua(
local now = tonumber(redis.call('TIME')[1])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[2])
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[2])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
)lua";
} // namespace

ClusterNodes::ClusterNodes(const RedisEndpoint &endpoint, const QString &prefix, const QString &nodeName, Report report,
                           QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_prefix(prefix)
    , m_nodeName(nodeName)
    , m_report(std::move(report))
    , m_connection(new RedisConnection(endpoint, QStringLiteral("Registry"), this))
{
    connect(m_connection, &RedisConnection::ready, this, &ClusterNodes::heartbeat);
    m_heartbeat.setInterval(HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &ClusterNodes::heartbeat);
}

void ClusterNodes::start()
{
    m_connection->keepOpen();
    m_heartbeat.start();
}

void ClusterNodes::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_heartbeat.stop();
    const bool wasConnected = m_connection->isReady();
    m_connection->close();
    if (!wasConnected)
        return; // its entry expires on its own
    const QByteArray name = m_nodeName.toUtf8();
    RedisConnection::runNow(m_endpoint,
                            {{"ZREM", key("nodes"), name}, {"DEL", key("node:" + name), key("streams:" + name)}},
                            GoodbyeTimeoutMs);
}

QByteArray ClusterNodes::key(const QByteArray &what) const
{
    return redisKey(m_prefix, what);
}

void ClusterNodes::heartbeat()
{
    if (!m_connection->isReady())
        return;
    QList<StreamInfo> streams = m_report();
    const int total = int(streams.size());
    streams = streams.mid(0, MaxListedStreams);
    for (StreamInfo &stream : streams)
        stream.node = m_nodeName;
    const QByteArray name = m_nodeName.toUtf8();
    const QByteArray entry
        = QJsonDocument(QJsonObject{{QStringLiteral("name"), m_nodeName}, {QStringLiteral("streams"), total}})
              .toJson(QJsonDocument::Compact);
    m_connection->command({"EVAL", HeartbeatScript, "3", key("nodes"), key("node:" + name), key("streams:" + name),
                           name, QByteArray::number(EntrySeconds), entry,
                           QJsonDocument(streamsToJson(streams)).toJson(QJsonDocument::Compact)},
                          [this](const RedisReply &reply) {
                              if (reply.type == RedisReply::Type::Integer)
                                  m_nodeCount = qMax(1, int(reply.integer));
                          });
}

void ClusterNodes::clusterStreams(StreamsDone done)
{
    QList<StreamInfo> own = m_report();
    for (StreamInfo &stream : own)
        stream.node = m_nodeName;
    if (!m_connection->isReady()) {
        done(own, QStringLiteral("the cluster's Redis is unreachable: only this node's streams are listed"));
        return;
    }
    m_connection->command({"ZRANGE", key("nodes"), "0", "-1"}, [this, own, done](const RedisReply &names) {
        if (names.type != RedisReply::Type::Array || names.elements.isEmpty()) {
            done(own, names.isError() ? names.errorText() : QString());
            return;
        }
        QList<QByteArray> mget{"MGET"};
        for (const RedisReply &name : names.elements)
            mget.append(key("streams:" + name.string)); // gone once expired, even if still in the set
        m_connection->command(mget, [this, own, done](const RedisReply &lists) {
            QList<StreamInfo> all = own;
            for (const RedisReply &list : lists.elements) {
                for (const QJsonValue &value : QJsonDocument::fromJson(list.string).array()) {
                    StreamInfo stream = streamFromJson(value.toObject());
                    if (stream.node != m_nodeName) // this node's own are listed as they are now
                        all.append(stream);
                }
            }
            done(all, lists.isError() ? lists.errorText() : QString());
        });
    });
}
