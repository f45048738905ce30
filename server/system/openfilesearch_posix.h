#pragma once

#include <sys/resource.h>

/// Finding the most open files the system accepts by asking setrlimit(), for systems that do not
/// name their maximum.
namespace OpenFileSearch {

/// Beyond any system's most open files for one process (Linux's is just under it).
constexpr rlim_t Ceiling = rlim_t(1) << 30;

/// Puts \a soft and \a hard in force for this process's open files when the system accepts them.
inline bool apply(rlim_t soft, rlim_t hard)
{
    const rlimit limit{soft, hard};
    return setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

/// The largest value in [low, high] that \a accepted takes, where it takes \a low and every
/// value up to some point and none beyond; the last value it took is the one in force.
template<typename Accepted>
rlim_t largestAccepted(rlim_t low, rlim_t high, Accepted accepted)
{
    while (low < high) {
        const rlim_t middle = low + (high - low + 1) / 2;
        if (accepted(middle))
            low = middle;
        else
            high = middle - 1;
    }
    return low;
}

} // namespace OpenFileSearch
