#pragma once
// Shared by the benchmark's tools, which each hold thousands of sockets.

#include <sys/resource.h>

/// Raises this process's open-file limit to its hard limit; returns the limit then in force.
inline rlim_t raiseOpenFileLimit()
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}
