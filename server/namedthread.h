#pragma once

#include <pthread.h>

#include <thread>
#include <utility>

/// Starts a thread that top -H and perf show as \a name (at most 15 characters). The name is
/// given before this returns: a thread names itself only once it first runs, and until then it
/// would show its creator's name.
template<typename Body>
std::thread startNamedThread(const char *name, Body &&body)
{
    std::thread thread(std::forward<Body>(body));
    pthread_setname_np(thread.native_handle(), name);
    return thread;
}
