#pragma once
// Shared by the benchmark's tools, which each hold thousands of sockets.

#include <fstream>
#include <sys/resource.h>

/// Raises this process's open-file limit to its hard limit, and first the hard limit itself to
/// \a wanted when it is lower (up to the kernel's fs.nr_open; only root with CAP_SYS_RESOURCE
/// may, and anyone else keeps the hard limit they have). Returns the limit then in force.
inline rlim_t raiseOpenFileLimit(rlim_t wanted = 0)
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted) {
        rlim_t ceiling = wanted;
        std::ifstream nrOpen("/proc/sys/fs/nr_open");
        if (unsigned long long most = 0; nrOpen >> most && most < ceiling)
            ceiling = rlim_t(most);
        const rlimit raised{ceiling, ceiling};
        if (ceiling > limit.rlim_max && setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}
