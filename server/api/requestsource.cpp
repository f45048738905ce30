#include "requestsource.h"

QHostAddress plainAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

RequestSource RequestSource::of(const QHostAddress &peer, const std::function<QByteArray(const char *)> &header,
                                const QList<QHostAddress> &trustedProxies)
{
    RequestSource source;
    source.address = plainAddress(peer);
    source.host = header("Host");
    if (!trustedProxies.contains(source.address))
        return source;
    // The proxy appends the address it saw to whatever the client sent: the last one is true.
    // When it says nothing usable, the sender is unknown: never the proxy's own address, which
    // may be this computer's, which may publish without a token.
    const QList<QByteArray> hops = header("X-Forwarded-For").split(',');
    const QHostAddress client(QString::fromLatin1(hops.last().trimmed()));
    source.address = client.isNull() ? QHostAddress() : plainAddress(client);
    const QByteArray host = header("X-Forwarded-Host").split(',').first().trimmed();
    if (!host.isEmpty())
        source.host = host;
    const QByteArray scheme = header("X-Forwarded-Proto").split(',').first().trimmed().toLower();
    if (scheme == "https" || scheme == "http")
        source.scheme = scheme;
    return source;
}
