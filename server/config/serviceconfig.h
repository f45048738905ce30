#pragma once

#include "historylimits.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

/// How far an acknowledged publish is kept safe (--durability).
enum class Durability {
    Process, ///< written to the kernel before the answer: survives a crash or kill -9 of Herald
    Disk, ///< synced to the disk before the answer: survives a power cut too
};

/// "process" or "disk", as the flag and the saved settings spell it.
inline QString durabilityName(Durability durability)
{
    return durability == Durability::Disk ? QStringLiteral("disk") : QStringLiteral("process");
}

inline std::optional<Durability> durabilityFromName(const QString &name)
{
    const QString trimmed = name.trimmed().toLower();
    if (trimmed == QLatin1String("process"))
        return Durability::Process;
    if (trimmed == QLatin1String("disk"))
        return Durability::Disk;
    return std::nullopt;
}

/// Everything that shapes a running Herald service. The defaults are Herald's documented ones,
/// written here once: --help shows them from here (settingstable.h).
struct ServiceConfig
{
    QHostAddress bindAddress = QHostAddress::Any; ///< all interfaces: LAN browsers are the point
    quint16 port = 8080; ///< 0 picks a free port
    /// HTTPS beside the plain port, with this PEM certificate and key; empty: plain HTTP only.
    QString tlsCertificateFile;
    QString tlsKeyFile;
    quint16 tlsPort = 8443; ///< of HTTPS; 0 picks a free port
    bool tlsOnly = false; ///< the plain port answers every request with a redirect to HTTPS
    QString token; ///< empty: publishing needs no token
    /// What the audience of a private Herald reads with, in place of the token: it opens the
    /// page, the streams and the client list, and nothing else. Unused unless private.
    QString readToken;
    HistoryLimits history; ///< events kept for replay, by count and by bytes of text
    int pageHistory = 20; ///< recent events Herald's page shows when it opens
    Durability durability = Durability::Process;
    int heartbeatSeconds = 15;
    int retryMilliseconds = 3000;
    QString dataDirectory; ///< empty: history lives in memory only
    QString corsOrigin = QStringLiteral("*");
    bool privateStreams = false; ///< streams and the client list need the token too
    QStringList trustedOrigins; ///< besides Herald's own, origins whose pages may publish
    QStringList hostNames; ///< besides IP literals, localhost and this machine's name, for DNS-rebinding checks
    qint64 maxBodyBytes = 1024 * 1024;
    int maxBatchLines = 1000; ///< (--max-batch) the most events one batch publish carries
    qint64 attachmentMaxBytes = 15 * 1024 * 1024; ///< (--attachment-max) the largest file a message may carry
    qint64 attachmentTotalBytes = 512 * 1024 * 1024; ///< (--attachment-bytes) every file kept; the oldest go first
    int attachmentExpirySeconds = 24 * 3600; ///< (--attachment-expiry) how long a file is kept
    int maxStreams
        = 0; ///< (--max-clients) streams past this get 503; 0: what the open-file limit allows, less a reserve
    int requestTimeoutSeconds = 10; ///< for a request's head and body, not for open streams
    int maxTopics = 64; ///< a stream asking for more topics gets 400: each one costs memory while it is open
    qint64 streamBufferBytes = 1024 * 1024; ///< (--client-buffer) a stream with more unsent bytes is dropped
    int streamThreads = 0; ///< 0: one per core but one
    QString clusterUrl; ///< redis://HOST:PORT[/DB]: share one event stream with other Heralds; empty: alone
    QByteArray clusterPassword; ///< the cluster's Redis password when not in the URL or HERALD_REDIS_PASSWORD
    QString clusterPrefix = QStringLiteral("herald"); ///< of the cluster's Redis keys
    QList<QHostAddress> trustedProxies; ///< peers whose X-Forwarded-* headers are believed
    /// The most bytes of answers that may wait for clients that do not read them; past it,
    /// read-only requests get 503 with Retry-After (not a flag: the tests make it small).
    qint64 maxUnsentAnswerBytes = 64 * 1024 * 1024;
    /// A scheduled message goes out at least this long after it was sent, as ntfy's at least 10
    /// seconds (not a flag: the tests make it small).
    qint64 minimumDelayMs = 10'000;
    int listenBacklog
        = 65535; ///< for a hundred thousand browsers arriving at once; the kernel caps it (net.core.somaxconn)
    /// The request gate reads publishes (and /say) whole and hands them to HttpApi without
    /// QHttpServer. Off, they take QHttpServer's way, as a body too large for the gate's buffer
    /// does: the tests compare the two.
    bool gateReadsPublishes = true;

    /// Takes from \a other the settings a running service can change: those the settings table
    /// (settingstable.h) does not mark Applies::Restart. The address, port, data folder,
    /// durability, stream threads, trusted proxies and cluster stay as they were started.
    void takeLiveSettings(const ServiceConfig &other);
    /// Gives a private Herald a reader token of its own when it has none, or one equal to the
    /// token: \a previous when that will do, else a new one. A reader must never hold the token.
    void settleReadToken(const QString &previous = QString());
    /// Whether readToken is in force: private, with a token, and a reader token that is not it.
    bool hasReadToken() const;
    /// A random token of 32 URL-safe characters.
    static QString generateToken();
    /// maxStreams, or when it is 0, as many streams as the open-file limit leaves room for.
    int streamsAllowed() const;
    /// Whether \a prefix can start the cluster's Redis keys: not empty, and no space or '*'.
    static bool isClusterPrefix(const QString &prefix);
};
