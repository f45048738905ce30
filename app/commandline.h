#pragma once

#include "serviceconfig.h"

#include <QStringList>

/// What the command line asked for.
struct CommandLine
{
    enum class Action { Run, ShowHelp, ShowVersion, Fail };

    Action action = Action::Run;
    ServiceConfig config;
    bool headless = false;
    QString error; ///< one line, for stderr, when action is Fail
    /// Options given explicitly, so that they can override saved settings.
    QStringList givenOptions;
};

/// Parses Herald's command line (arguments[0] is the program). Never exits the process.
CommandLine parseCommandLine(const QStringList &arguments);

/// Herald's --help text. Its usage line names the program as it was started, which Qt knows only
/// once an application object exists.
QString commandLineHelp();

/// Why \a config's reader token cannot be used (it is the token), or empty.
QString readTokenError(const ServiceConfig &config);

/// The platform's folder for Herald's data (history), used when --data-dir is not given.
QString defaultDataDirectory();
