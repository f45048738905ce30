#pragma once

#include <future>
#include <thread>
#include <utility>

/// Names the calling thread as the system's tools show it (top -H, perf, a debugger), in at most
/// 15 characters. One file per system, which CMake picks: namedthread_linux.cpp,
/// namedthread_macos.cpp, namedthread_windows.cpp.
void nameThisThread(const char *name);

/// Starts a thread that the system's tools show as \a name (a literal, at most 15 characters).
/// The thread names itself, which every system allows (macOS lets a thread name only itself), and
/// this returns once it has: until then it would show its creator's name.
template<typename Body>
std::thread startNamedThread(const char *name, Body &&body)
{
    std::promise<void> named;
    std::future<void> done = named.get_future();
    std::thread thread([name, &named, body = std::forward<Body>(body)]() mutable {
        nameThisThread(name);
        named.set_value(); // the last this thread touches of its creator's
        body();
    });
    done.wait();
    return thread;
}
