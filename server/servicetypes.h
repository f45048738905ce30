#pragma once

#include "messagefields.h"
#include "serviceconfig.h"
#include "settingranges.h"

#include <QDateTime>
#include <QHostAddress>
#include <QMetaType>
#include <QString>
#include <QStringList>

// The plain values the service and its host exchange, safe to copy across threads: its
// configuration (serviceconfig.h, with the ranges of settingranges.h), and what it reports.
// The window includes only this header and servicehost.h from the server.

/// A snapshot of one stream: one connection of one client (a browser, known by its id).
struct StreamInfo
{
    quint64 connection = 0; ///< unique for the life of the service
    QString clientId; ///< the stable id the page sends; one browser keeps it across reconnects
    QString name;
    QHostAddress address;
    QString userAgent;
    QString tlsProtocol; ///< on the HTTPS port, such as "TLSv1.3"; empty on plain HTTP
    bool kernelTls = false; ///< on the HTTPS port: the kernel encrypts, not OpenSSL in user space
    QStringList topics; ///< empty: every topic
    QDateTime connectedAt;
    quint64 lastEventId = 0;
    quint64 eventsSent = 0;
    quint64 bytesSent = 0;
    quint64 queuedBytes = 0;
    QString node; ///< in a cluster: the name of the node that holds the stream
};

/// What the service reports about each published event.
struct PublishedEvent
{
    quint64 id = 0;
    QString type;
    QString topic;
    QString target;
    QString data;
    MessageFields fields;
    quint32 revision = 0; ///< how many times it was edited
    QDateTime publishedAt;
    int queuedTo = 0; ///< streams it was queued to (the API calls it "delivered")
    QString origin; ///< "http" for the publish API, "say" for /say, or what the caller named
};

/// Figures for /api/stats, /metrics and the panel's status bar.
struct ServiceStats
{
    int streams = 0;
    int clients = 0; ///< distinct client ids among the streams
    quint64 published = 0;
    quint64 retracted = 0;
    quint64 edited = 0; ///< edits of retained events, on this node or, in a cluster, any
    quint64 delivered = 0; ///< events written in full to streams, replays included
    quint64 droppedStreams = 0; ///< streams disconnected for falling too far behind
    quint64 bytesSent = 0; ///< written to streams, response heads included, since start
    int historySize = 0;
    qint64 historyBytes = 0; ///< the text of the retained events
    quint64 lastId = 0;
    qint64 uptimeSeconds = 0;
    QString engine = QStringLiteral("local"); ///< or the cluster's Redis URL, without its password
    bool engineReachable = true;
    QString storageProblem; ///< why history is not being saved, and publishing is refused; empty when it is
    int nodes = 1; ///< Heralds sharing the stream, this one included
    quint64 lag = 0; ///< events published on other nodes that this one has not read yet
};

/// What anything refused because Herald is stopping is told.
inline const QString ShuttingDownMessage = QStringLiteral("Herald is shutting down");

/// Why a publish was not accepted.
enum class PublishError {
    None,
    Invalid, ///< the request breaks a rule of the API (see PublishRequest::validationError)
    ShuttingDown, ///< the service is stopping
    Unavailable, ///< the event store cannot take it now; the message says when to retry
};

/// The outcome of retracting an event.
enum class DisconnectOutcome {
    Disconnected, ///< the client had streams here, or on a node of the cluster that lists it
    NotFound, ///< no node lists a client with that id
    Unavailable, ///< the cluster's Redis cannot pass the order on now
};

enum class RetractOutcome {
    Retracted,
    NotFound, ///< no retained event has that id
    Unavailable, ///< the store cannot record it now
};

enum class EditOutcome {
    Edited,
    NotFound, ///< no retained event has that id
    Unavailable, ///< the store cannot record it now
    Conflict, ///< another node edited it meanwhile: the edit was made on a version that is gone
};

/// The outcome of one publish.
struct PublishResult
{
    quint64 id = 0;
    int queuedTo = 0; ///< streams the event was queued to (the API's "delivered")
    PublishError error = PublishError::None;
    QString message; ///< for a person: what went wrong and what to do
    bool duplicate = false; ///< an earlier publish with the same idempotency key made the event
    /// Of a publish that waits for its time (it has no id yet): its schedule's id, and the time.
    QString scheduleId = {};
    qint64 scheduledAtMs = 0;

    bool isAccepted() const { return error == PublishError::None; }
};

Q_DECLARE_METATYPE(StreamInfo)
Q_DECLARE_METATYPE(PublishedEvent)
Q_DECLARE_METATYPE(ServiceStats)
Q_DECLARE_METATYPE(PublishResult)
