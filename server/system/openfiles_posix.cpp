// The open-file limit, the same on every system with setrlimit(); how far root may raise the hard
// limit differs per system (openfilesmaximum_linux.cpp, openfilesmaximum_posix.cpp).
#include "openfiles.h"

#include "openfilesearch_posix.h"

#include <climits>

#include <sys/resource.h>
#include <unistd.h>

namespace {

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
    if (geteuid() == 0 && limit.rlim_max != RLIM_INFINITY) {
        const rlim_t hard = rlim_t(raiseHardOpenFileLimit(limit.rlim_max, &result.kernelMaximum));
        if (hard != limit.rlim_max)
            limit = {hard, hard};
    }
    // macOS, for one, refuses a soft limit above kern.maxfilesperproc even under an unlimited
    // hard limit: then the most it accepts.
    if (limit.rlim_cur < limit.rlim_max && !OpenFileSearch::apply(limit.rlim_max, limit.rlim_max)) {
        const rlim_t hard = limit.rlim_max;
        OpenFileSearch::largestAccepted(limit.rlim_cur, hard == RLIM_INFINITY ? OpenFileSearch::Ceiling : hard,
                                        [hard](rlim_t v) { return OpenFileSearch::apply(v, hard); });
    }
    result.now = openFileLimit();
    return result;
}

long openFileLimit()
{
    rlimit limit{};
    return getrlimit(RLIMIT_NOFILE, &limit) == 0 ? asLong(limit.rlim_cur) : 1024;
}
