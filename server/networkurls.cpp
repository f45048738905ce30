#include "networkurls.h"

#include <QNetworkInterface>
#include <QUrl>

namespace {

QString urlFor(const QHostAddress &address, quint16 port, bool https)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(address.toString())
        : address.toString();
    return QStringLiteral("%1://%2:%3/").arg(QLatin1String(https ? "https" : "http"), host).arg(port);
}

bool coversAllInterfaces(const QHostAddress &address)
{
    return address == QHostAddress::Any || address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6;
}

} // namespace

QList<QHostAddress> machineAddresses()
{
    QList<QHostAddress> addresses{QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)};
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces()) {
        if (!(interface.flags() & QNetworkInterface::IsUp) || (interface.flags() & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            QHostAddress address = entry.ip();
            if (address.isLoopback() || (address.isLinkLocal() && address.protocol() == QAbstractSocket::IPv6Protocol))
                continue;
            address.setScopeId(QString());
            if (!addresses.contains(address))
                addresses.append(address);
        }
    }
    return addresses;
}

QStringList browserUrls(const QHostAddress &bindAddress, quint16 port, bool https)
{
    QStringList urls;
    const bool all = coversAllInterfaces(bindAddress);
    if (all || bindAddress.isLoopback()) {
        urls.append(
            urlFor(bindAddress.isLoopback() ? bindAddress : QHostAddress(QHostAddress::LocalHost), port, https));
    }
    if (!all) {
        if (!bindAddress.isLoopback())
            urls.append(urlFor(bindAddress, port, https));
        return urls;
    }

    const bool ipv4 = bindAddress != QHostAddress::AnyIPv6;
    const bool ipv6 = bindAddress != QHostAddress::AnyIPv4;
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces()) {
        const auto flags = interface.flags();
        if (!(flags & QNetworkInterface::IsUp) || (flags & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            const QHostAddress address = entry.ip();
            if (address.isLoopback() || address.isLinkLocal())
                continue; // link-local addresses need a zone id no browser takes in a URL
            const bool isV4 = address.protocol() == QAbstractSocket::IPv4Protocol;
            if ((isV4 && ipv4) || (!isV4 && ipv6))
                urls.append(urlFor(address, port, https));
        }
    }
    return urls;
}

QStringList lanUrls(const QHostAddress &bindAddress, quint16 port, bool https)
{
    QStringList urls = browserUrls(bindAddress, port, https);
    urls.removeIf([](const QString &url) { return QHostAddress(QUrl(url).host()).isLoopback(); });
    return urls;
}
