#pragma once

#include "attachmentstore.h"
#include "clusternodes.h"
#include "messageschedule.h"
#include "serviceconfig.h"
#include "servicetypes.h"

#include <QObject>

#include <functional>

class ClusterFiles;
class ClusterSchedule;
class EventStore;
class RedisEventStore;

/// Cluster mode as the service sees it (--cluster): the shared event stream in Redis, which is
/// the service's event store, and the registry of nodes. What the service asks of the cluster as
/// a whole, such as disconnecting a client wherever it is, is answered here.
class ServiceCluster : public QObject
{
    Q_OBJECT

public:
    /// The cluster of --cluster and its settings, or null, with \a errorMessage, when its URL
    /// cannot be used.
    static ServiceCluster *create(const ServiceConfig &config, QObject *parent, QString *errorMessage);

    /// The shared stream; the service opens and closes it as it would any store.
    EventStore *store() const;
    /// Joins the registry of nodes as \a nodeName; \a report gives this node's streams.
    void startNodes(const QString &nodeName, ClusterNodes::Report report);
    /// Leaves the cluster: the registry, so the others stop counting this node at once, the
    /// schedule, so this node sends nothing more, and the files.
    void leave();
    /// Nodes with a live entry, this one included.
    int nodeCount() const { return m_nodes ? m_nodes->nodeCount() : 1; }
    /// The files that every node serves, within \a limits.
    ClusterFiles *openFiles(const AttachmentStore::Limits &limits);
    /// The schedule every node shares; \a publish sends a message when its time comes.
    ClusterSchedule *openSchedule(MessageSchedule::Publish publish);
    /// Every node's streams.
    void clusterStreams(ClusterNodes::StreamsDone done);

    /// Has every node disconnect \a clientId. \a here says whether this node had it: if so, it is
    /// disconnected once the other nodes have been told; if not, once some node lists it.
    void disconnectEverywhere(const QString &clientId, bool here, std::function<void(DisconnectOutcome)> done);

Q_SIGNALS:
    /// Some node (this one too) asked every node to disconnect this client.
    void disconnectRequested(const QString &clientId);

private:
    ServiceCluster(const RedisEndpoint &endpoint, const ServiceConfig &config, QObject *parent);

    const RedisEndpoint m_endpoint;
    const QString m_prefix;
    RedisEventStore *m_store;
    ClusterNodes *m_nodes = nullptr;
    ClusterSchedule *m_schedule = nullptr;
    ClusterFiles *m_files = nullptr;
};
