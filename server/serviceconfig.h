#pragma once

#include <QHostAddress>
#include <QString>

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
    qint64 maxBodyBytes = 1024 * 1024;
    int maxClients = 10'000; ///< streams past this get 503; the app derives it from the file limit
    int requestTimeoutSeconds = 10; ///< for a request's head and body, not for open streams
    qint64 clientBufferBytes = 1024 * 1024;
    int streamThreads = 0; ///< 0: one per core
    int listenBacklog = 4096;
};
