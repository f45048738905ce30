#include "clusternodes.h"

#include "logging.h"
#include "streamjson.h"

#include <QJsonDocument>

#include <memory>

namespace {
constexpr int HeartbeatMs = 2000;
constexpr int EntrySeconds = 6; // three heartbeats missed and a node is gone
constexpr int RetryMs = 1000;
} // namespace

ClusterNodes::ClusterNodes(const RedisEndpoint &endpoint, const QString &prefix, const QString &nodeName,
                           Report report, QObject *parent)
    : QObject(parent)
    , m_prefix(prefix)
    , m_nodeName(nodeName)
    , m_report(std::move(report))
    , m_connection(new RedisConnection(endpoint, QStringLiteral("Registry"), this))
{
    connect(m_connection, &RedisConnection::ready, this, &ClusterNodes::heartbeat);
    connect(m_connection, &RedisConnection::lost, this, [this] {
        if (!m_stopped)
            QTimer::singleShot(RetryMs, m_connection, &RedisConnection::open);
    });
    m_heartbeat.setInterval(HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &ClusterNodes::heartbeat);
}

void ClusterNodes::start()
{
    m_connection->open();
    m_heartbeat.start();
}

void ClusterNodes::stop()
{
    m_stopped = true;
    m_heartbeat.stop();
    m_connection->close();
}

QByteArray ClusterNodes::key(const QByteArray &what) const
{
    return m_prefix.toUtf8() + ':' + what;
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
    m_connection->command({"SET", key("streams:" + name), QJsonDocument(streamsToJson(streams)).toJson(QJsonDocument::Compact),
                           "EX", QByteArray::number(EntrySeconds)},
                          [](const RedisReply &) {});
    m_connection->command({"SET", key("node:" + name),
                           QJsonDocument(QJsonObject{{QStringLiteral("name"), m_nodeName},
                                                     {QStringLiteral("streams"), total}})
                                   .toJson(QJsonDocument::Compact),
                           "EX", QByteArray::number(EntrySeconds)},
                          [](const RedisReply &) {});
    // The nodes alive are the entries not yet expired.
    m_connection->command({"KEYS", key("node:*")}, [this](const RedisReply &reply) {
        if (reply.type == RedisReply::Type::Array)
            m_nodeCount = qMax(1, int(reply.elements.size()));
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
    m_connection->command({"KEYS", key("streams:*")}, [this, own, done](const RedisReply &keys) {
        if (keys.type != RedisReply::Type::Array || keys.elements.isEmpty()) {
            done(own, keys.isError() ? keys.errorText() : QString());
            return;
        }
        QList<QByteArray> mget{"MGET"};
        for (const RedisReply &name : keys.elements)
            mget.append(name.string);
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
