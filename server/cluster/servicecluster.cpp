#include "servicecluster.h"

#include "clusterfiles.h"
#include "clusterschedule.h"
#include "rediseventstore.h"

#include <algorithm>

ServiceCluster *ServiceCluster::create(const ServiceConfig &config, QObject *parent, QString *errorMessage)
{
    QString error;
    RedisEndpoint endpoint = RedisEndpoint::fromUrl(config.clusterUrl, &error);
    if (!error.isEmpty()) {
        *errorMessage = QStringLiteral("--cluster: %1").arg(error);
        return nullptr;
    }
    // The settings' password serves when neither the URL nor HERALD_REDIS_PASSWORD gives one.
    if (endpoint.password.isEmpty())
        endpoint.password = config.clusterPassword;
    return new ServiceCluster(endpoint, config, parent);
}

ServiceCluster::ServiceCluster(const RedisEndpoint &endpoint, const ServiceConfig &config, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_prefix(config.clusterPrefix)
{
    RedisEventStore::Settings settings;
    settings.endpoint = endpoint;
    settings.prefix = config.clusterPrefix;
    settings.limits = config.history;
    settings.dataDirectory = config.dataDirectory;
    m_store = new RedisEventStore(settings, this);
    connect(m_store, &RedisEventStore::disconnectRequested, this, &ServiceCluster::disconnectRequested);
}

EventStore *ServiceCluster::store() const
{
    return m_store;
}

void ServiceCluster::startNodes(const QString &nodeName, ClusterNodes::Report report)
{
    m_nodes = new ClusterNodes(m_endpoint, m_prefix, nodeName, std::move(report), this);
    m_nodes->start();
}

void ServiceCluster::leave()
{
    if (m_nodes)
        m_nodes->stop();
    if (m_schedule)
        m_schedule->close();
    if (m_files)
        m_files->close();
}

ClusterFiles *ServiceCluster::openFiles(const AttachmentStore::Limits &limits)
{
    m_files = new ClusterFiles(m_endpoint, m_prefix, limits, this);
    m_files->open();
    return m_files;
}

ClusterSchedule *ServiceCluster::openSchedule(MessageSchedule::Publish publish)
{
    m_schedule = new ClusterSchedule(m_endpoint, m_prefix, std::move(publish), this);
    return m_schedule;
}

void ServiceCluster::clusterStreams(ClusterNodes::StreamsDone done)
{
    if (!m_nodes) {
        done({}, QStringLiteral("this node has not joined the cluster yet"));
        return;
    }
    m_nodes->clusterStreams(std::move(done));
}

void ServiceCluster::disconnectEverywhere(const QString &clientId, bool here,
                                          std::function<void(DisconnectOutcome)> done)
{
    // The others close theirs when they read this; whether any had one, their lists say.
    m_store->disconnectEverywhere(clientId, [this, here, clientId, done = std::move(done)](bool sent) {
        // Disconnected here but not elsewhere is not done: the operator should try again.
        if (!sent || here) {
            done(sent ? DisconnectOutcome::Disconnected : DisconnectOutcome::Unavailable);
            return;
        }
        clusterStreams([clientId, done](const QList<StreamInfo> &streams, const QString &) {
            const bool listed = std::any_of(streams.cbegin(), streams.cend(), [&clientId](const StreamInfo &stream) {
                return stream.clientId == clientId;
            });
            done(listed ? DisconnectOutcome::Disconnected : DisconnectOutcome::NotFound);
        });
    });
}
