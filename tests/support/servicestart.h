#pragma once

#include "servicehost.h"

#include <QDebug>
#include <QHostAddress>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

/// Replaces \a host with a new ServiceHost and starts it with \a config; false, with a warning
/// that says why, when it does not start. For the tests that run the service in their process.
inline bool startHost(std::unique_ptr<ServiceHost> &host, const ServiceConfig &config)
{
    host = std::make_unique<ServiceHost>();
    QString error;
    if (host->start(config, &error))
        return true;
    qWarning() << "service did not start:" << error;
    return false;
}

/// A service run in the test's process on a free port of the loopback, with a data folder of its
/// own that a restart (start() again) finds as it was left, until this goes.
class LoopbackService
{
public:
    /// Starts the service with \a config, on a free port of the loopback and in this data folder,
    /// stopping the one running first; false, with a warning, when it does not start.
    bool start(ServiceConfig config = {})
    {
        m_host.reset();
        config.port = 0;
        config.bindAddress = QHostAddress::LocalHost;
        config.dataDirectory = m_dataDir.path();
        return startHost(m_host, config);
    }
    void stop() { m_host.reset(); }
    ServiceHost *host() const { return m_host.get(); }
    quint16 port() const { return m_host->port(); }
    /// \a pathAndQuery ("/publish?topic=a") at the running service.
    QUrl url(const QString &pathAndQuery) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_host->port()).arg(pathAndQuery));
    }
    /// The data folder, or \a name in it.
    QString dataPath(const QString &name = QString()) const
    {
        return name.isEmpty() ? m_dataDir.path() : m_dataDir.filePath(name);
    }

private:
    QTemporaryDir m_dataDir;
    std::unique_ptr<ServiceHost> m_host;
};
