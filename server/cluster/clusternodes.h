#pragma once

#include "redisconnection.h"
#include "servicetypes.h"

#include <QObject>
#include <QTimer>

#include <functional>

/// The cluster's registry of nodes: every node keeps an entry in Redis that expires unless it is
/// renewed, with its name and its streams, so that any node can count the nodes and list every
/// node's streams (/api/clients?scope=cluster, the window's "All nodes"). A node that stops
/// takes its entry out on the way.
class ClusterNodes : public QObject
{
    Q_OBJECT

public:
    /// What this node says of itself at each heartbeat: its streams.
    using Report = std::function<QList<StreamInfo>()>;

    ClusterNodes(const RedisEndpoint &endpoint, const QString &prefix, const QString &nodeName, Report report,
                 QObject *parent = nullptr);

    void start();
    /// Takes this node's entry out of the registry, so the others stop counting it at once.
    void stop();

    const QString &nodeName() const { return m_nodeName; }
    /// Nodes with a live entry, this one included; at least 1.
    int nodeCount() const { return m_nodeCount; }

    using StreamsDone = std::function<void(const QList<StreamInfo> &streams, const QString &error)>;
    /// Every node's streams, as each last reported them; this node's as they are now.
    void clusterStreams(StreamsDone done);

    /// A node lists at most this many of its streams in the registry.
    static constexpr int MaxListedStreams = 10000;

private:
    void heartbeat();
    QByteArray key(const QByteArray &what) const;

    const RedisEndpoint m_endpoint;
    const QString m_prefix;
    const QString m_nodeName;
    const Report m_report;
    RedisConnection *m_connection;
    QTimer m_heartbeat;
    int m_nodeCount = 1;
    bool m_stopped = false;
};
