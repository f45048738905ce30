#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

/// Everything that shapes a running Herald service. The defaults are Herald's documented ones.
struct ServiceConfig
{
    QHostAddress bindAddress = QHostAddress::Any; ///< all interfaces: LAN browsers are the point
    quint16 port = 8080; ///< 0 picks a free port
    QString token; ///< empty: publishing needs no token
    int historySize = 1000;
    int heartbeatSeconds = 15;
    int retryMilliseconds = 3000;
    QString dataDirectory; ///< empty: history lives in memory only
    QString corsOrigin = QStringLiteral("*");
    bool privateStreams = false; ///< streams and the client list need the token too
    QStringList trustedOrigins; ///< besides Herald's own, origins whose pages may publish
    QStringList hostNames; ///< besides IP literals, localhost and this machine's name, for DNS-rebinding checks
    qint64 maxBodyBytes = 1024 * 1024;
    int maxClients = 0; ///< streams past this get 503; 0: what the open-file limit allows, less a reserve
    int requestTimeoutSeconds = 10; ///< for a request's head and body, not for open streams
    qint64 clientBufferBytes = 1024 * 1024;
    int streamThreads = 0; ///< 0: one per core but one
    int listenBacklog = 4096;
};
