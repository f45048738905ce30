// Signals on Windows, as libuv reports the console's events: Ctrl+C (SIGINT), Ctrl+Break
// (SIGBREAK) and closing the console (SIGHUP, after which Windows ends the process within a few
// seconds: five by its default) all stop Herald. Windows sends no SIGTERM and has no signal for a reload: the
// certificate is read again from the window, or by restarting Herald.
#include "signalmeanings.h"

#include <uv.h> // SIGHUP, which Windows' own headers lack

#include <csignal>

std::vector<SignalMeanings::Watched> SignalMeanings::watched()
{
    return {{SIGINT, Meaning::Stop}, {SIGBREAK, Meaning::Stop}, {SIGHUP, Meaning::Stop}};
}

void SignalMeanings::surviveFailedWrites()
{
    // Windows has neither SIGPIPE nor SIGXFSZ: such a write only fails.
}
