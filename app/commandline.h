#pragma once

#include "serviceconfig.h"
#include "settingstable.h"

#include <QStringList>

/// What the command line asked for.
struct CommandLine
{
    enum class Action { Run, ShowHelp, ShowVersion, Fail };

    Action action = Action::Run;
    ServiceConfig config;
    bool headless = false;
    QString error; ///< one line, for stderr, when action is Fail
    /// Options given explicitly, or through their environment variable (HERALD_TOKEN), so that
    /// they can override saved settings.
    QStringList givenOptions;

    /// Whether \a setting was given, so that it wins over its saved value.
    bool gave(const Setting &setting) const { return setting.flag && givenOptions.contains(setting.name()); }
};

/// Parses Herald's command line (arguments[0] is the program). Never exits the process.
CommandLine parseCommandLine(const QStringList &arguments);

/// Herald's --help text, a line for each flag of the settings table. Its usage line names the
/// program as it was started, which Qt knows only once an application object exists.
QString commandLineHelp();

/// Why \a config's reader token cannot be used (it is the token), or empty.
QString readTokenError(const ServiceConfig &config);
