#include "commandline.h"

#include "redisconnection.h"
#include "settingranges.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStandardPaths>
#include <QUrl>

namespace {

bool parseInteger(const QString &text, qint64 minimum, qint64 maximum, qint64 *value)
{
    bool ok = false;
    *value = text.trimmed().toLongLong(&ok);
    return ok && *value >= minimum && *value <= maximum;
}

/// Reads the integer flag of \a setting into \a target when it is given. False, with \a error
/// naming the flag, what it counts and its range, when the value is not such a number.
template<typename T>
bool readInteger(const QCommandLineParser &parser, const IntegerSetting &setting, T *target, QString *error)
{
    const QString flag = QString::fromLatin1(setting.flag);
    if (!parser.isSet(flag))
        return true;
    qint64 number = 0;
    if (!parseInteger(parser.value(flag), setting.minimum, setting.maximum, &number)) {
        *error = QStringLiteral("--%1: \"%2\" is not %3 (%4 to %5)")
                         .arg(flag, parser.value(flag), QLatin1String(setting.valueKind))
                         .arg(setting.minimum)
                         .arg(setting.maximum);
        return false;
    }
    *target = T(number);
    return true;
}

/// A command-line option for the integer \a setting.
QCommandLineOption integerOption(const IntegerSetting &setting, const QString &description, const QString &valueName)
{
    return QCommandLineOption(QString::fromLatin1(setting.flag), description, valueName);
}

bool parseBindAddress(const QString &text, QHostAddress *address)
{
    const QString value = text.trimmed().toLower();
    if (value == QLatin1String("all") || value == QLatin1String("any") || value == QLatin1String("*")) {
        *address = QHostAddress::Any;
        return true;
    }
    if (value == QLatin1String("localhost")) {
        *address = QHostAddress::LocalHost;
        return true;
    }
    return address->setAddress(value);
}

/// Herald's flags, declared once for parsing and for the help text.
struct Flags
{
    QCommandLineOption headless {QStringLiteral("headless"),
                                 QStringLiteral("Run the service without a window.")};
    QCommandLineOption port = integerOption(
        Setting::Port,
        QStringLiteral("The TCP port to listen on (default 8080; 0 picks a free one)."),
        QStringLiteral("N"));
    QCommandLineOption bind {
        QStringLiteral("bind"),
        QStringLiteral("The address to listen on: an IP address, localhost, or all (default all)."),
        QStringLiteral("ADDR")};
    QCommandLineOption token {
        QStringLiteral("token"),
        QStringLiteral("Require this bearer token to publish and to disconnect clients "
                       "(also read from HERALD_TOKEN)."),
        QStringLiteral("T")};
    QCommandLineOption readToken {
        QStringLiteral("read-token"),
        QStringLiteral("With --private, the token the audience reads with, which its links carry: it "
                       "cannot publish, and must differ from --token (also read from HERALD_READ_TOKEN). "
                       "Herald makes one when it is missing. Unused without --private."),
        QStringLiteral("R")};
    QCommandLineOption history
        = integerOption(Setting::History,
                        QStringLiteral("How many recent events to keep for replay (default 1000)."),
                        QStringLiteral("N"));
    QCommandLineOption historyBytes = integerOption(
        Setting::HistoryBytes,
        QStringLiteral(
            "The most event text to keep for replay, in bytes (default 67108864, 64 MiB); "
            "the oldest events go first."),
        QStringLiteral("BYTES"));
    QCommandLineOption pageHistory = integerOption(
        Setting::PageHistory,
        QStringLiteral("How many recent messages Herald's page shows when it opens (default 20; 0 for none)."),
        QStringLiteral("N"));
    QCommandLineOption durability {
        QStringLiteral("durability"),
        QStringLiteral("When a publish is answered: once its event is written for the "
                       "system (process, the default: it survives a crash of Herald) "
                       "or synced to the disk (disk: it survives a power cut)."),
        QStringLiteral("process|disk")};
    QCommandLineOption heartbeat = integerOption(
        Setting::Heartbeat,
        QStringLiteral("Seconds between keep-alive comments on each stream (default 15)."),
        QStringLiteral("SECONDS"));
    QCommandLineOption retry = integerOption(
        Setting::Retry,
        QStringLiteral("How long browsers wait before reconnecting, in ms (default 3000)."),
        QStringLiteral("MS"));
    QCommandLineOption dataDir {
        QStringLiteral("data-dir"),
        QStringLiteral("Where history is kept across restarts (default: %1).")
            .arg(defaultDataDirectory()),
        QStringLiteral("DIR")};
    QCommandLineOption corsOrigin {
        QStringLiteral("cors-origin"),
        QStringLiteral("The Access-Control-Allow-Origin sent on streams and read-only "
                       "endpoints (default *; \"none\" sends none)."),
        QStringLiteral("ORIGIN")};
    QCommandLineOption maxBody = integerOption(
        Setting::MaxBody,
        QStringLiteral("The largest publish body accepted, in bytes (default 1048576)."),
        QStringLiteral("BYTES"));
    QCommandLineOption clientBuffer = integerOption(
        Setting::ClientBuffer,
        QStringLiteral(
            "Disconnect a stream once this many bytes are waiting for it (default 1048576)."),
        QStringLiteral("BYTES"));
    QCommandLineOption streamThreads = integerOption(
        Setting::StreamThreads,
        QStringLiteral(
            "Threads that write event streams (default: one per core but one, at least one)."),
        QStringLiteral("N"));
    QCommandLineOption maxClients = integerOption(
        Setting::MaxClients,
        QStringLiteral(
            "The most event streams served at once; past it a new one gets 503 (default: what the "
            "open-file limit allows)."),
        QStringLiteral("N"));
    QCommandLineOption requestTimeout = integerOption(
        Setting::RequestTimeout,
        QStringLiteral(
            "Seconds a request may take to arrive in full before it gets 408 (default 10; open "
            "streams are not affected)."),
        QStringLiteral("SECONDS"));
    QCommandLineOption maxTopics = integerOption(
        Setting::MaxTopics,
        QStringLiteral("The most topics one stream may ask for; past it the stream gets 400 (default 64)."),
        QStringLiteral("N"));
    QCommandLineOption privateStreams {
        QStringLiteral("private"),
        QStringLiteral("Streams, the page and the client list need a token too: the reader token "
                       "(see --read-token), which the printed links carry, or the token.")};
    QCommandLineOption trustedOrigin {
        QStringLiteral("trusted-origin"),
        QStringLiteral("A web origin whose pages may publish, besides Herald's own "
                       "(repeatable)."),
        QStringLiteral("ORIGIN")};
    QCommandLineOption cluster {
        QStringLiteral("cluster"),
        QStringLiteral("Share one event stream with other Heralds through this Redis "
                       "(redis://HOST:PORT[/DB]; the password from HERALD_REDIS_PASSWORD or the URL)."),
        QStringLiteral("URL")};
    QCommandLineOption clusterPrefix {
        QStringLiteral("cluster-prefix"),
        QStringLiteral("The prefix of the cluster's Redis keys, so that several sites can share one Redis "
                       "(default herald)."),
        QStringLiteral("NAME")};
    QCommandLineOption trustedProxy {
        QStringLiteral("trusted-proxy"),
        QStringLiteral("A proxy's address whose X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Proto "
                       "Herald believes (repeatable)."),
        QStringLiteral("ADDR")};
    QCommandLineOption hostName {
        QStringLiteral("host-name"),
        QStringLiteral("A DNS name Herald answers to for publishing, besides IP "
                       "addresses, localhost and this machine's name (repeatable)."),
        QStringLiteral("NAME")};
};

/// Gives \a parser Herald's description, --help, --version and every flag in \a flags.
void describe(QCommandLineParser &parser, const Flags &flags)
{
    parser.setApplicationDescription(QStringLiteral(
        "Herald pushes what you type to every browser connected to it, with Server-Sent Events."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({flags.headless, flags.port, flags.bind, flags.token, flags.readToken, flags.history,
                       flags.historyBytes, flags.pageHistory, flags.durability, flags.heartbeat, flags.retry,
                       flags.dataDir, flags.corsOrigin, flags.maxBody, flags.clientBuffer,
                       flags.streamThreads, flags.maxClients, flags.requestTimeout, flags.maxTopics,
                       flags.privateStreams, flags.trustedOrigin, flags.hostName, flags.cluster,
                       flags.clusterPrefix, flags.trustedProxy});
}

} // namespace

QString readTokenError(const ServiceConfig &config)
{
    if (!config.readToken.isEmpty() && config.readToken == config.token)
        return QStringLiteral("--read-token: the reader token must differ from the token, or every reader could "
                              "publish; choose another");
    return {};
}

QString defaultDataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString commandLineHelp()
{
    QCommandLineParser parser;
    describe(parser, Flags());
    return parser.helpText();
}

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine result;
    ServiceConfig &config = result.config;

    const Flags flags;
    QCommandLineParser parser;
    describe(parser, flags);

    auto fail = [&result](const QString &message) {
        result.action = CommandLine::Action::Fail;
        result.error = message;
        return result;
    };

    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument \"%1\"; see --help").arg(parser.positionalArguments().first()));
    if (parser.isSet(QStringLiteral("help"))) {
        result.action = CommandLine::Action::ShowHelp;
        return result;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        result.action = CommandLine::Action::ShowVersion;
        return result;
    }

    for (const QString &name : parser.optionNames()) {
        if (!result.givenOptions.contains(name))
            result.givenOptions.append(name);
    }

    result.headless = parser.isSet(flags.headless);
    QString error;
    if (!readInteger(parser, Setting::Port, &config.port, &error)
        || !readInteger(parser, Setting::History, &config.history.maxEvents, &error)
        || !readInteger(parser, Setting::HistoryBytes, &config.history.maxBytes, &error)
        || !readInteger(parser, Setting::PageHistory, &config.pageHistory, &error)
        || !readInteger(parser, Setting::Heartbeat, &config.heartbeatSeconds, &error)
        || !readInteger(parser, Setting::Retry, &config.retryMilliseconds, &error)
        || !readInteger(parser, Setting::MaxBody, &config.maxBodyBytes, &error)
        || !readInteger(parser, Setting::ClientBuffer, &config.streamBufferBytes, &error)
        || !readInteger(parser, Setting::StreamThreads, &config.streamThreads, &error)
        || !readInteger(parser, Setting::MaxClients, &config.maxStreams, &error)
        || !readInteger(parser, Setting::RequestTimeout, &config.requestTimeoutSeconds, &error)
        || !readInteger(parser, Setting::MaxTopics, &config.maxTopics, &error)) {
        return fail(error);
    }
    if (parser.isSet(flags.durability)) {
        const std::optional<Durability> mode = durabilityFromName(parser.value(flags.durability));
        if (!mode)
            return fail(QStringLiteral("--durability: \"%1\" is not process or disk").arg(parser.value(flags.durability)));
        config.durability = *mode;
    }
    if (parser.isSet(flags.bind) && !parseBindAddress(parser.value(flags.bind), &config.bindAddress)) {
        return fail(QStringLiteral("--bind: \"%1\" is not an IP address, localhost or all")
                            .arg(parser.value(flags.bind)));
    }
    config.token = parser.isSet(flags.token) ? parser.value(flags.token) : qEnvironmentVariable("HERALD_TOKEN");
    if (parser.isSet(flags.token) && config.token.trimmed().isEmpty())
        return fail(QStringLiteral("--token: the token must not be empty"));
    config.readToken = parser.isSet(flags.readToken) ? parser.value(flags.readToken)
                                                     : qEnvironmentVariable("HERALD_READ_TOKEN");
    if (parser.isSet(flags.readToken) && config.readToken.trimmed().isEmpty())
        return fail(QStringLiteral("--read-token: the reader token must not be empty"));
    if (const QString error = readTokenError(config); !error.isEmpty())
        return fail(error);
    config.dataDirectory = parser.isSet(flags.dataDir) ? parser.value(flags.dataDir) : defaultDataDirectory();
    if (config.dataDirectory.trimmed().isEmpty())
        return fail(QStringLiteral("--data-dir: the folder name must not be empty"));
    if (parser.isSet(flags.corsOrigin)) {
        const QString origin = parser.value(flags.corsOrigin).trimmed();
        if (origin.isEmpty() || origin.contains(u'\r') || origin.contains(u'\n'))
            return fail(QStringLiteral("--cors-origin: give an origin such as https://example.com, * or none"));
        config.corsOrigin = origin == QLatin1String("none") ? QString() : origin;
    }
    config.privateStreams = parser.isSet(flags.privateStreams);
    if (config.privateStreams && config.token.isEmpty())
        return fail(QStringLiteral("--private: give the token with --token or HERALD_TOKEN"));
    for (const QString &origin : parser.values(flags.trustedOrigin)) {
        const QUrl url(origin.trimmed());
        if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.path().isEmpty())
            return fail(QStringLiteral("--trusted-origin: \"%1\" is not an origin such as https://example.com").arg(origin));
        config.trustedOrigins.append(origin.trimmed());
    }
    for (const QString &name : parser.values(flags.hostName)) {
        if (name.trimmed().isEmpty() || name.contains(u' ') || name.contains(u'/'))
            return fail(QStringLiteral("--host-name: \"%1\" is not a host name").arg(name));
        config.hostNames.append(name.trimmed());
    }
    if (parser.isSet(flags.cluster)) {
        QString clusterError;
        RedisEndpoint::fromUrl(parser.value(flags.cluster), &clusterError);
        if (!clusterError.isEmpty())
            return fail(QStringLiteral("--cluster: %1").arg(clusterError));
        config.clusterUrl = parser.value(flags.cluster).trimmed();
    }
    if (parser.isSet(flags.clusterPrefix)) {
        const QString prefix = parser.value(flags.clusterPrefix).trimmed();
        if (!ServiceConfig::isClusterPrefix(prefix))
            return fail(QStringLiteral("--cluster-prefix: \"%1\" is not a key prefix such as herald").arg(prefix));
        config.clusterPrefix = prefix;
    }
    for (const QString &proxy : parser.values(flags.trustedProxy)) {
        const QHostAddress address(proxy.trimmed());
        if (address.isNull())
            return fail(QStringLiteral("--trusted-proxy: \"%1\" is not an IP address").arg(proxy));
        config.trustedProxies.append(address);
    }
    return result;
}
