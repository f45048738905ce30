#pragma once

#include <QHostAddress>
#include <QStringList>

/// The URLs a browser can use to reach a Herald bound to \a bindAddress on \a port:
/// http://127.0.0.1:PORT/ first (when reachable), then one per non-loopback interface address;
/// https:// ones with \a https.
QStringList browserUrls(const QHostAddress &bindAddress, quint16 port, bool https = false);
/// browserUrls() without the loopback ones: those another device can use.
QStringList lanUrls(const QHostAddress &bindAddress, quint16 port, bool https = false);
/// This machine's addresses a browser can use: the loopback ones, and every address of an
/// interface that is up, but link-local IPv6 ones (which need a zone).
QList<QHostAddress> machineAddresses();
