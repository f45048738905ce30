#pragma once

#include <QByteArray>
#include <QString>

/// Where Herald's cluster keeps its events: a Redis server, as given by --cluster.
struct RedisEndpoint
{
    QString host;
    quint16 port = 6379;
    int database = 0;
    QByteArray user; ///< for Redis 6 ACLs; empty for the default user
    QByteArray password;

    /// Reads redis://[[user]:password@]HOST[:PORT][/DB]. HERALD_REDIS_PASSWORD, when set, wins
    /// over a password in the URL, so that it stays out of ps and of settings files.
    static RedisEndpoint fromUrl(const QString &url, QString *error);
    /// The URL without its password, for logs and the window.
    QString displayUrl() const;
};
