#pragma once

#include <vector>

/// What each signal Herald watches asks of it on this system. One file per system, which CMake
/// picks: signalmeanings_posix.cpp (Linux, macOS) or signalmeanings_windows.cpp (Windows, where
/// libuv reports the console's Ctrl+C, Ctrl+Break and closing as SIGINT, SIGBREAK and SIGHUP).
namespace SignalMeanings {

enum class Meaning {
    Stop, ///< shut down as the window's Quit does
    Reload, ///< read the HTTPS certificate's files again
};

struct Watched
{
    int number;
    Meaning meaning;
};

/// The signals Herald turns into requests, and what each asks.
std::vector<Watched> watched();

/// Keeps the system from ending Herald for what only makes one call fail, where it would: a
/// write to a peer that went away, or to a journal at the file-size limit (ulimit -f). That
/// call fails, and Herald says so (see EventJournal).
void surviveFailedWrites();

} // namespace SignalMeanings
