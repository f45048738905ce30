#pragma once

#include <QDateTime>
#include <QHostAddress>
#include <QMetaType>
#include <QString>
#include <QStringList>

/// A snapshot of one connected event stream, as the API and the control panel show it.
struct ClientInfo
{
    quint64 connection = 0; ///< unique for the life of the service
    QString id; ///< the stable id the page sends; one browser keeps it across reconnects
    QString name;
    QHostAddress address;
    QString userAgent;
    QStringList topics; ///< empty: every topic
    QDateTime connectedAt;
    quint64 lastEventId = 0;
    quint64 eventsSent = 0;
    quint64 bytesSent = 0;
    quint64 queuedBytes = 0;
};

/// What the service reports about each published event.
struct PublishedEvent
{
    quint64 id = 0;
    QString type;
    QString topic;
    QString target;
    QString data;
    QDateTime publishedAt;
    int delivered = 0; ///< connected clients it was queued to
    QString origin; ///< "http" for the publish API, "say" for /say, or what the caller named
};

Q_DECLARE_METATYPE(ClientInfo)
Q_DECLARE_METATYPE(PublishedEvent)
