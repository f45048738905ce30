#include "redisendpoint.h"

#include <QUrl>

RedisEndpoint RedisEndpoint::fromUrl(const QString &url, QString *error)
{
    RedisEndpoint endpoint;
    const QUrl parsed(url.trimmed(), QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme() != QLatin1String("redis") || parsed.host().isEmpty()) {
        // Said without the URL itself, which may hold a password.
        *error = QStringLiteral("--cluster needs a Redis URL such as redis://127.0.0.1:6379/0");
        return endpoint;
    }
    endpoint.host = parsed.host();
    const int port = parsed.port(6379);
    if (port <= 0 || port > 65535) {
        *error = QStringLiteral("the Redis port must be 1 to 65535");
        return endpoint;
    }
    endpoint.port = quint16(port);
    const QString path = parsed.path();
    if (!path.isEmpty() && path != QLatin1String("/")) {
        bool isNumber = false;
        endpoint.database = path.mid(1).toInt(&isNumber);
        if (!isNumber || endpoint.database < 0) {
            *error = QStringLiteral("the Redis database must be a number, as in redis://HOST:PORT/0");
            return endpoint;
        }
    }
    endpoint.user = parsed.userName(QUrl::FullyDecoded).toUtf8();
    endpoint.password = parsed.password(QUrl::FullyDecoded).toUtf8();
    const QByteArray fromEnvironment = qgetenv("HERALD_REDIS_PASSWORD");
    if (!fromEnvironment.isEmpty())
        endpoint.password = fromEnvironment;
    return endpoint;
}

QString RedisEndpoint::displayUrl() const
{
    QString url = QStringLiteral("redis://");
    if (!user.isEmpty())
        url += QString::fromUtf8(user) + u'@';
    url += host.contains(u':') ? u'[' + host + u']' : host;
    return url + QStringLiteral(":%1/%2").arg(port).arg(database);
}
