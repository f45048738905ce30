#pragma once

#include "serviceconfig.h"
#include "settingranges.h"

#include <QStringList>
#include <QVariant>

#include <type_traits>

struct Setting;

/// When a new value of a setting reaches a service that is running.
enum class Applies {
    Live, ///< at once: ServiceConfig::takeLiveSettings takes it
    /// at once as well, but while Herald is private it changes the links the audience joins with,
    /// so the window restarts the service to give out the new ones
    RestartWhilePrivate,
    Restart, ///< at the next start: the window restarts the service for it
};

/// How one kind of value is read from its flag and from herald.ini, written back and shown. A
/// value travels as a QVariant of the type its ServiceConfig member has.
struct SettingKind
{
    /// The value that the flag's \a texts give (each one given for a repeatable flag, none for a
    /// switch); or an invalid QVariant, and in \a error what is wrong, for after "--flag: ".
    QVariant (*fromFlag)(const Setting &setting, const QStringList &texts, QString *error);
    /// What herald.ini holds for \a value; null for a kind that is never saved.
    QVariant (*toSaved)(const Setting &setting, const QVariant &value);
    /// The value that \a saved in herald.ini stands for; invalid when the setting does not take it.
    QVariant (*fromSaved)(const Setting &setting, const QVariant &saved);
    /// How --help shows \a value as the default; empty when there is nothing to show.
    QString (*shown)(const Setting &setting, const QVariant &value);
};

/// The kinds of value Herald's settings have (settingstable.cpp says how each is read).
namespace SettingKinds {
extern const SettingKind Integer; ///< within the row's range, saved in its unit
extern const SettingKind Switch; ///< on when its flag is given
extern const SettingKind NonEmptyText; ///< a flag may not give an empty one; herald.ini may hold one
extern const SettingKind CorsOrigin; ///< an origin, * or none (saved empty)
extern const SettingKind RedisUrl; ///< redis://HOST:PORT[/DB], checked when given as a flag
extern const SettingKind KeyPrefix; ///< see ServiceConfig::isClusterPrefix(), wherever it comes from
extern const SettingKind BindAddress; ///< an IP address, localhost or all
extern const SettingKind DurabilityMode; ///< process or disk
extern const SettingKind Origins; ///< web origins, one a flag
extern const SettingKind HostNames; ///< DNS names, one a flag
extern const SettingKind Addresses; ///< IP addresses, one a flag
extern const SettingKind Secret; ///< bytes kept in herald.ini as they are, with no flag
} // namespace SettingKinds

/// One of Herald's settings, whole: its flag and the help --help prints for it, the member of
/// ServiceConfig it sets and the kind of value that has, its range, its herald.ini key, and when
/// a new value applies. The command line, herald.ini, the window and the service all read it
/// from the table below, so a setting is written once. A row is built in steps, such as
/// Setting("port", "N", "...").sets<&ServiceConfig::port>(...).within(0, 65535).
struct Setting
{
    const char *flag; ///< without its dashes; null for the cluster's password, which no flag gives
    const char *valueName; ///< what --help calls its value ("N"); null for a switch such as --private
    const char *help; ///< for --help; "%1" stands for the default
    const SettingKind *kind = nullptr; ///< null for --headless, which is how Herald runs, not a service setting
    const char *valueKind = nullptr; ///< how an error names the value: "a port number", "the token"
    SettingRange range; ///< for an integer
    const char *settingsKey = nullptr; ///< in herald.ini; null: never saved, always from the command line
    Applies applies = Applies::Live;
    /// Read in place of the flag when the flag is not given, and taken as it is: HERALD_TOKEN
    /// keeps the token out of ps.
    const char *environmentVariable = nullptr;
    /// The value when the flag is not given, read as if it were; null for ServiceConfig's default.
    QString (*fallback)() = nullptr;
    /// The member of ServiceConfig it sets, read and written as a QVariant of the member's type,
    /// and compared; made by sets(), null for --headless.
    QVariant (*get)(const ServiceConfig &config) = nullptr;
    void (*set)(ServiceConfig &config, const QVariant &value) = nullptr;
    bool (*same)(const ServiceConfig &one, const ServiceConfig &other) = nullptr;

    constexpr Setting(const char *flag, const char *valueName, const char *help)
        : flag(flag)
        , valueName(valueName)
        , help(help)
    {}

    /// This row with the ServiceConfig member it sets, reached through \a Path
    /// (&ServiceConfig::history, &HistoryLimits::maxEvents), of \a kind.
    template<auto... Path>
    constexpr Setting sets(const SettingKind &kind, const char *valueKind) const
    {
        Setting row = *this;
        row.kind = &kind;
        row.valueKind = valueKind;
        row.get = [](const ServiceConfig &config) {
            return QVariant::fromValue((config.*....*Path));
        };
        row.set = [](ServiceConfig &config, const QVariant &value) {
            auto &member = (config.*....*Path);
            member = value.value<std::decay_t<decltype(member)>>();
        };
        row.same = [](const ServiceConfig &one, const ServiceConfig &other) {
            return (one.*....*Path) == (other.*....*Path);
        };
        return row;
    }
    /// This integer row taking \a minimum to \a maximum.
    constexpr Setting within(qint64 minimum, qint64 maximum) const
    {
        Setting row = *this;
        row.range.minimum = minimum;
        row.range.maximum = maximum;
        return row;
    }
    /// This integer row with 0 too where it is saved and in the dialog, for "let Herald decide".
    constexpr Setting orAutomatic() const
    {
        Setting row = *this;
        row.range.zeroIsAutomatic = true;
        return row;
    }
    /// This row saved in herald.ini under \a key, an integer in units of \a unit.
    constexpr Setting savedAs(const char *key, qint64 unit = 1) const
    {
        Setting row = *this;
        row.settingsKey = key;
        row.range.savedUnit = unit;
        return row;
    }
    /// This row with a new value reaching a running service \a when.
    constexpr Setting appliesWhen(Applies when) const
    {
        Setting row = *this;
        row.applies = when;
        return row;
    }
    /// This row read from \a variable when its flag is not given.
    constexpr Setting orFromEnvironment(const char *variable) const
    {
        Setting row = *this;
        row.environmentVariable = variable;
        return row;
    }
    /// This row read from what \a value gives when neither its flag nor its variable is given.
    constexpr Setting orElse(QString (*value)()) const
    {
        Setting row = *this;
        row.fallback = value;
        return row;
    }

    /// The flag without its dashes, as QCommandLineParser names it.
    QString name() const { return QLatin1String(flag); }
    bool isInteger() const { return kind == &SettingKinds::Integer; }
    /// Whether ServiceConfig holds it: every setting but --headless.
    bool inServiceConfig() const { return get != nullptr; }
    /// Whether a running service takes a new value (ServiceConfig::takeLiveSettings).
    bool takenLive() const { return inServiceConfig() && applies != Applies::Restart; }
    /// What --help says of it, with its default.
    QString helpText() const;
    /// Copies this setting's value from \a from to \a to.
    void copy(const ServiceConfig &from, ServiceConfig &to) const { set(to, get(from)); }
    /// Reads what herald.ini holds into \a config; a value it does not take leaves \a config as it was.
    void load(const QVariant &saved, ServiceConfig &config) const;
    /// What herald.ini holds for the value in \a config.
    QVariant saved(const ServiceConfig &config) const { return kind->toSaved(*this, get(config)); }
    /// Whether a change from \a now to \a next needs the service started again (see Applies).
    bool restartsService(const ServiceConfig &now, const ServiceConfig &next) const;
};

/// The platform's folder for Herald's data (history), used when --data-dir is not given.
QString defaultDataDirectory();

/// Herald's settings, in the order --help lists them. A default is ServiceConfig's (or
/// HistoryLimits'), written once there; --help shows it from there.
namespace SettingsTable {
inline constexpr Setting Headless = Setting("headless", nullptr, "Run the service without a window.");
inline constexpr Setting Port = Setting("port", "N", "The TCP port to listen on (default %1; 0 picks a free one).")
                                    .sets<&ServiceConfig::port>(SettingKinds::Integer, "a port number")
                                    .within(0, 65535)
                                    .savedAs("service/port")
                                    .appliesWhen(Applies::Restart);
inline constexpr Setting Bind
    = Setting("bind", "ADDR", "The address to listen on: an IP address, localhost, or all (default %1).")
          .sets<&ServiceConfig::bindAddress>(SettingKinds::BindAddress, "an IP address, localhost or all")
          .savedAs("service/bind")
          .appliesWhen(Applies::Restart);
inline constexpr Setting TlsCert
    = Setting("tls-cert", "FILE",
              "Serve HTTPS too, with this PEM certificate (the chain may follow it) and the key in --tls-key.")
          .sets<&ServiceConfig::tlsCertificateFile>(SettingKinds::NonEmptyText, "a file name")
          .savedAs("tls/certificate")
          .appliesWhen(Applies::Restart);
inline constexpr Setting TlsKey = Setting("tls-key", "FILE", "The PEM private key (RSA or EC) of --tls-cert.")
                                      .sets<&ServiceConfig::tlsKeyFile>(SettingKinds::NonEmptyText, "a file name")
                                      .savedAs("tls/key")
                                      .appliesWhen(Applies::Restart);
inline constexpr Setting TlsPort
    = Setting("tls-port", "N", "The TCP port of HTTPS, with --tls-cert (default %1; 0 picks a free one).")
          .sets<&ServiceConfig::tlsPort>(SettingKinds::Integer, "a port number")
          .within(0, 65535)
          .savedAs("tls/port")
          .appliesWhen(Applies::Restart);
inline constexpr Setting TlsOnly
    = Setting("tls-only", nullptr,
              "With --tls-cert, the HTTP port answers every request with a redirect (308) to HTTPS.")
          .sets<&ServiceConfig::tlsOnly>(SettingKinds::Switch, nullptr)
          .savedAs("tls/only")
          .appliesWhen(Applies::Restart);
inline constexpr Setting Token
    = Setting("token", "T", "Require this bearer token to publish and to disconnect clients.")
          .sets<&ServiceConfig::token>(SettingKinds::NonEmptyText, "the token")
          .savedAs("service/token")
          .orFromEnvironment("HERALD_TOKEN");
inline constexpr Setting ReadToken
    = Setting("read-token", "R",
              "With --private, the token the audience reads with, which its links carry: it cannot publish, "
              "and must differ from --token. Herald makes one when it is missing. Unused without --private.")
          .sets<&ServiceConfig::readToken>(SettingKinds::NonEmptyText, "the reader token")
          .savedAs("service/readToken")
          .appliesWhen(Applies::RestartWhilePrivate)
          .orFromEnvironment("HERALD_READ_TOKEN");
inline constexpr Setting History
    = Setting("history", "N", "How many recent events to keep for replay (default %1).")
          .sets<&ServiceConfig::history, &HistoryLimits::maxEvents>(SettingKinds::Integer, "a number of events")
          .within(0, 1'000'000)
          .savedAs("service/history");
inline constexpr Setting HistoryBytes
    = Setting("history-bytes", "BYTES",
              "The most event text to keep for replay, in bytes (default %1); the oldest events go first.")
          .sets<&ServiceConfig::history, &HistoryLimits::maxBytes>(SettingKinds::Integer, "a number of bytes")
          .within(0, qint64(1) << 36)
          .savedAs("service/historyKiB", 1024);
inline constexpr Setting PageHistory
    = Setting("page-history", "N",
              "How many recent messages Herald's page shows when it opens (default %1; 0 for none).")
          .sets<&ServiceConfig::pageHistory>(SettingKinds::Integer, "a number of events")
          .within(0, 1000)
          .savedAs("page/history");
inline constexpr Setting Durability
    = Setting("durability", "process|disk",
              "When a publish is answered: once its event is written for the system (process: it survives a "
              "crash of Herald) or synced to the disk (disk: it survives a power cut); default %1.")
          .sets<&ServiceConfig::durability>(SettingKinds::DurabilityMode, "process or disk")
          .savedAs("service/durability")
          .appliesWhen(Applies::Restart);
inline constexpr Setting Heartbeat
    = Setting("heartbeat", "SECONDS", "Seconds between keep-alive comments on each stream (default %1).")
          .sets<&ServiceConfig::heartbeatSeconds>(SettingKinds::Integer, "a number of seconds")
          .within(1, 3600)
          .savedAs("service/heartbeat");
inline constexpr Setting Retry
    = Setting("retry", "MS", "How long browsers wait before reconnecting, in ms (default %1).")
          .sets<&ServiceConfig::retryMilliseconds>(SettingKinds::Integer, "a number of milliseconds")
          .within(0, 3'600'000)
          .savedAs("service/retry");
inline constexpr Setting DataDir
    = Setting("data-dir", "DIR", "Where history is kept across restarts (default: %1).")
          .sets<&ServiceConfig::dataDirectory>(SettingKinds::NonEmptyText, "the folder name")
          .orElse(&defaultDataDirectory)
          .appliesWhen(Applies::Restart);
inline constexpr Setting CorsOrigin
    = Setting("cors-origin", "ORIGIN",
              "The Access-Control-Allow-Origin sent on streams and read-only endpoints (default %1; \"none\" "
              "sends none).")
          .sets<&ServiceConfig::corsOrigin>(SettingKinds::CorsOrigin,
                                            "an origin such as https://example.com, * or none")
          .savedAs("service/corsOrigin");
inline constexpr Setting MaxBody
    = Setting("max-body", "BYTES", "The largest publish body accepted, in bytes (default %1).")
          .sets<&ServiceConfig::maxBodyBytes>(SettingKinds::Integer, "a number of bytes")
          .within(1, qint64(1) << 30)
          .savedAs("service/maxBodyKiB", 1024);
inline constexpr Setting MaxBatch
    = Setting("max-batch", "N", "The most events one batch publish (NDJSON) carries (default %1).")
          .sets<&ServiceConfig::maxBatchLines>(SettingKinds::Integer, "a number of events")
          .within(1, 100'000)
          .savedAs("service/maxBatch");
inline constexpr Setting AttachmentMax
    = Setting("attachment-max", "BYTES",
              "The largest file a message may carry, in bytes (default %1); a larger upload gets 413.")
          .sets<&ServiceConfig::attachmentMaxBytes>(SettingKinds::Integer, "a number of bytes")
          .within(1, qint64(1) << 30)
          .savedAs("attachments/maxKiB", 1024);
inline constexpr Setting AttachmentBytes
    = Setting("attachment-bytes", "BYTES",
              "The most bytes of files to keep for messages (default %1); the oldest files go first.")
          .sets<&ServiceConfig::attachmentTotalBytes>(SettingKinds::Integer, "a number of bytes")
          .within(1, qint64(1) << 40)
          .savedAs("attachments/totalKiB", 1024);
inline constexpr Setting AttachmentExpiry
    = Setting("attachment-expiry", "SECONDS", "How long a message's file is kept, in seconds (default %1).")
          .sets<&ServiceConfig::attachmentExpirySeconds>(SettingKinds::Integer, "a number of seconds")
          .within(1, 30 * 24 * 3600)
          .savedAs("attachments/expiry");
inline constexpr Setting ClientBuffer
    = Setting("client-buffer", "BYTES", "Disconnect a stream once this many bytes are waiting for it (default %1).")
          .sets<&ServiceConfig::streamBufferBytes>(SettingKinds::Integer, "a number of bytes")
          .within(1024, qint64(1) << 30)
          .savedAs("service/clientBufferKiB", 1024);
inline constexpr Setting StreamThreads
    = Setting("stream-threads", "N", "Threads that write event streams (default: one per core but one, at least one).")
          .sets<&ServiceConfig::streamThreads>(SettingKinds::Integer, "a number of threads")
          .within(1, 64)
          .appliesWhen(Applies::Restart);
inline constexpr Setting MaxClients
    = Setting("max-clients", "N",
              "The most event streams served at once; past it a new one gets 503 (default: what the open-file "
              "limit allows).")
          .sets<&ServiceConfig::maxStreams>(SettingKinds::Integer, "a number of clients")
          .within(1, 10'000'000)
          .orAutomatic()
          .savedAs("service/maxClients");
inline constexpr Setting RequestTimeout
    = Setting("request-timeout", "SECONDS",
              "Seconds a request may take to arrive in full before it gets 408 (default %1; open streams are not "
              "affected).")
          .sets<&ServiceConfig::requestTimeoutSeconds>(SettingKinds::Integer, "a number of seconds")
          .within(1, 3600)
          .savedAs("service/requestTimeout");
inline constexpr Setting MaxTopics
    = Setting("max-topics", "N", "The most topics one stream may ask for; past it the stream gets 400 (default %1).")
          .sets<&ServiceConfig::maxTopics>(SettingKinds::Integer, "a number of topics")
          // A request line of at most 8 KiB leaves room for about 4,000 one-letter topics: no
          // more can be asked for.
          .within(1, 4096)
          .savedAs("service/maxTopics");
inline constexpr Setting Private
    = Setting("private", nullptr,
              "Streams, the page and the client list need a token too: the reader token (see --read-token), "
              "which the printed links carry, or the token.")
          .sets<&ServiceConfig::privateStreams>(SettingKinds::Switch, nullptr)
          .savedAs("service/private")
          .appliesWhen(Applies::RestartWhilePrivate);
inline constexpr Setting TrustedOrigin
    = Setting("trusted-origin", "ORIGIN", "A web origin whose pages may publish, besides Herald's own (repeatable).")
          .sets<&ServiceConfig::trustedOrigins>(SettingKinds::Origins, "an origin such as https://example.com");
inline constexpr Setting HostName
    = Setting("host-name", "NAME",
              "A DNS name Herald answers to for publishing, besides IP addresses, localhost and this machine's "
              "name (repeatable).")
          .sets<&ServiceConfig::hostNames>(SettingKinds::HostNames, "a host name");
inline constexpr Setting Cluster
    = Setting("cluster", "URL",
              "Share one event stream with other Heralds through this Redis (redis://HOST:PORT[/DB]; the "
              "password from HERALD_REDIS_PASSWORD or the URL).")
          .sets<&ServiceConfig::clusterUrl>(SettingKinds::RedisUrl, nullptr)
          .savedAs("cluster/url")
          .appliesWhen(Applies::Restart);
// No flag: a headless Herald takes it from HERALD_REDIS_PASSWORD or the URL (RedisEndpoint::fromUrl).
inline constexpr Setting ClusterPassword = Setting(nullptr, nullptr, nullptr)
                                               .sets<&ServiceConfig::clusterPassword>(SettingKinds::Secret, nullptr)
                                               .savedAs("cluster/password")
                                               .appliesWhen(Applies::Restart);
inline constexpr Setting ClusterPrefix
    = Setting("cluster-prefix", "NAME",
              "The prefix of the cluster's Redis keys, so that several sites can share one Redis (default %1).")
          .sets<&ServiceConfig::clusterPrefix>(SettingKinds::KeyPrefix, "a key prefix such as herald")
          .savedAs("cluster/prefix")
          .appliesWhen(Applies::Restart);
inline constexpr Setting TrustedProxy
    = Setting("trusted-proxy", "ADDR",
              "A proxy's address whose X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Proto Herald believes "
              "(repeatable).")
          .sets<&ServiceConfig::trustedProxies>(SettingKinds::Addresses, "an IP address")
          .appliesWhen(Applies::Restart);

inline constexpr const Setting *All[] = {&Headless,
                                         &Port,
                                         &Bind,
                                         &TlsCert,
                                         &TlsKey,
                                         &TlsPort,
                                         &TlsOnly,
                                         &Token,
                                         &ReadToken,
                                         &History,
                                         &HistoryBytes,
                                         &PageHistory,
                                         &Durability,
                                         &Heartbeat,
                                         &Retry,
                                         &DataDir,
                                         &CorsOrigin,
                                         &MaxBody,
                                         &MaxBatch,
                                         &AttachmentMax,
                                         &AttachmentBytes,
                                         &AttachmentExpiry,
                                         &ClientBuffer,
                                         &StreamThreads,
                                         &MaxClients,
                                         &RequestTimeout,
                                         &MaxTopics,
                                         &Private,
                                         &TrustedOrigin,
                                         &HostName,
                                         &Cluster,
                                         &ClusterPassword,
                                         &ClusterPrefix,
                                         &TrustedProxy};

/// Every flag of the table, with its dashes ("--port"), in its order: what --help, the man page
/// and the bash completion must name, besides Qt's --help, --help-all and --version.
QStringList flags();
} // namespace SettingsTable
