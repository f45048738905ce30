// The open-file limit where no /proc names the system's maximum (HERALD_PORTABLE): the most
// setrlimit() accepts is found by asking it. macOS, for one, refuses a soft limit above
// kern.maxfilesperproc even under an unlimited hard limit (for root, kern.maxfiles, which may be
// more than one process can really open; the streams' ceiling then errs high, and at the real
// limit the gate stops accepting for a moment, as it does whenever descriptors run out).
#include "openfiles.h"

#include <climits>

#include <sys/resource.h>
#include <unistd.h>

namespace {

/// Beyond any system's most open files for one process (Linux's is just under it).
constexpr rlim_t Ceiling = rlim_t(1) << 30;

/// Puts \a limit in force for this process's open files when the system accepts it.
bool apply(rlim_t soft, rlim_t hard)
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

long asLong(rlim_t value)
{
    return value == RLIM_INFINITY || value > rlim_t(LONG_MAX) ? LONG_MAX : long(value);
}

} // namespace

OpenFileLimit raiseOpenFileLimit()
{
    OpenFileLimit result;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return result;
    result.before = asLong(limit.rlim_cur);
    // Refused at once, the hard limit is either the system's maximum already or root may not
    // raise it (a container); nothing here tells which, so kernelMaximum stays unknown.
    if (geteuid() == 0 && limit.rlim_max < Ceiling && apply(limit.rlim_max + 1, limit.rlim_max + 1)) {
        const rlim_t hard = largestAccepted(limit.rlim_max + 1, Ceiling, [](rlim_t v) { return apply(v, v); });
        limit = {hard, hard};
    }
    if (limit.rlim_cur < limit.rlim_max && !apply(limit.rlim_max, limit.rlim_max)) {
        const rlim_t hard = limit.rlim_max;
        largestAccepted(limit.rlim_cur, hard == RLIM_INFINITY ? Ceiling : hard,
                        [hard](rlim_t v) { return apply(v, hard); });
    }
    result.now = openFileLimit();
    return result;
}

long openFileLimit()
{
    rlimit limit{};
    return getrlimit(RLIMIT_NOFILE, &limit) == 0 ? asLong(limit.rlim_cur) : 1024;
}
