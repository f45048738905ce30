#include "commandline.h"

#include <QCommandLineParser>

namespace {

/// Gives \a parser Herald's description, --help, --version and a flag for each row of the
/// settings table that has one.
void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QStringLiteral("Herald pushes what you type to every browser connected to it, with Server-Sent Events."));
    parser.addHelpOption();
    parser.addVersionOption();
    for (const Setting *setting : SettingsTable::All) {
        if (!setting->flag)
            continue;
        parser.addOption(setting->valueName ? QCommandLineOption(setting->name(), setting->helpText(),
                                                                 QLatin1String(setting->valueName))
                                            : QCommandLineOption(setting->name(), setting->helpText()));
    }
}

} // namespace

QString readTokenError(const ServiceConfig &config)
{
    if (!config.readToken.isEmpty() && config.readToken == config.token)
        return QStringLiteral("--read-token: the reader token must differ from the token, or every reader could "
                              "publish; choose another");
    return {};
}

QString commandLineHelp()
{
    QCommandLineParser parser;
    describe(parser);
    return parser.helpText();
}

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine result;
    ServiceConfig &config = result.config;

    QCommandLineParser parser;
    describe(parser);

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

    result.headless = parser.isSet(SettingsTable::Headless.name());
    for (const Setting *setting : SettingsTable::All) {
        if (!setting->flag || !setting->inServiceConfig())
            continue; // --headless, read above, and the cluster's password, which no flag gives
        const QString flag = setting->name();
        QStringList texts = parser.values(flag);
        if (!parser.isSet(flag)) {
            const QString variable
                = setting->environmentVariable ? qEnvironmentVariable(setting->environmentVariable) : QString();
            if (!variable.isEmpty()) {
                setting->set(config, variable);
                result.givenOptions.append(flag);
                continue;
            }
            if (!setting->fallback)
                continue; // ServiceConfig's default stands
            texts = QStringList{setting->fallback()};
        }
        QString error;
        const QVariant value = setting->kind->fromFlag(*setting, texts, &error);
        if (!value.isValid())
            return fail(QStringLiteral("--%1: %2").arg(flag, error));
        setting->set(config, value);
    }
    // Rules between two settings.
    if (const QString error = readTokenError(config); !error.isEmpty())
        return fail(error);
    if (config.privateStreams && config.token.isEmpty())
        return fail(QStringLiteral("--private: give the token with --token or HERALD_TOKEN"));
    return result;
}
