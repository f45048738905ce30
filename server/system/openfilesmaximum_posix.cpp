// How far root may raise the open-file limit where no /proc names the system's maximum
// (HERALD_PORTABLE): the most setrlimit() accepts, found by asking it. (On macOS root's ceiling
// is kern.maxfiles, which may be more than one process can really open; the streams' ceiling
// then errs high, and at the real limit the gate stops accepting for a moment, as it does
// whenever descriptors run out.)
#include "openfiles.h"

#include "openfilesearch_posix.h"

std::uint64_t raiseHardOpenFileLimit(std::uint64_t hard, long *)
{
    // Refused at once, the hard limit is either the system's maximum already or root may not
    // raise it (a container); nothing here tells which, so no maximum is named.
    if (hard >= OpenFileSearch::Ceiling || !OpenFileSearch::apply(rlim_t(hard) + 1, rlim_t(hard) + 1))
        return hard;
    return OpenFileSearch::largestAccepted(rlim_t(hard) + 1, OpenFileSearch::Ceiling,
                                           [](rlim_t v) { return OpenFileSearch::apply(v, v); });
}
