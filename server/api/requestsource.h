#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>

#include <functional>

/// Who made a request, as Herald believes it: the peer of the connection; or, when that peer is
/// a proxy given with --trusted-proxy, the client and the name it used, as the proxy reports them
/// (X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto). Anyone else's forwarding headers are
/// ignored, so a client cannot pose as another address or as this computer.
struct RequestSource
{
    QHostAddress address;
    QByteArray host; ///< what the Host checks read
    QByteArray scheme = "http"; ///< what the Origin check reads

    /// \a header gives a request header's value by name.
    static RequestSource of(const QHostAddress &peer, const std::function<QByteArray(const char *)> &header,
                            const QList<QHostAddress> &trustedProxies);
};

/// 192.0.2.7 rather than ::ffff:192.0.2.7 for IPv4 peers of a dual-stack socket.
QHostAddress plainAddress(const QHostAddress &address);
