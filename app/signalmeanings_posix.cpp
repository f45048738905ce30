// Signals on Linux and macOS: SIGTERM (systemd, launchd, kill) and SIGINT (Ctrl+C) stop Herald,
// SIGHUP reloads its certificate, as daemons take it.
#include "signalmeanings.h"

#include <csignal>

std::vector<SignalMeanings::Watched> SignalMeanings::watched()
{
    return {{SIGTERM, Meaning::Stop}, {SIGINT, Meaning::Stop}, {SIGHUP, Meaning::Reload}};
}

void SignalMeanings::surviveFailedWrites()
{
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);
}
