#pragma once

#include <cstdint>

/// What raising the open-file limit achieved; every stream holds a descriptor.
struct OpenFileLimit
{
    long before = -1; ///< the soft limit Herald was started with
    long now = -1; ///< the soft limit in force now
    long kernelMaximum = -1; ///< what root could have raised it to, when root tried and was refused
};

/// Raises the soft open-file limit as far as the hard one (or, where the system caps it lower,
/// as far as the system accepts) and, for root, the hard limit too, up to what the system allows
/// a process (raiseHardOpenFileLimit()).
OpenFileLimit raiseOpenFileLimit();

/// The soft open-file limit in force, or 1,024 when the system does not say; on Windows, where
/// a socket counts against no such limit, LONG_MAX.
long openFileLimit();

/// For root: raises the hard open-file limit, \a hard now, and the soft one with it, as far as
/// the system lets one process have, and returns the hard limit in force. Where the system names
/// a maximum it refused, that is in \a *refused. One file per way, which CMake picks:
/// openfilesmaximum_linux.cpp by default on Linux (the kernel's maximum, from
/// /proc/sys/fs/nr_open), openfilesmaximum_posix.cpp with HERALD_PORTABLE (no /proc: the most
/// setrlimit() accepts). Windows has no setrlimit(): openfiles_windows.cpp takes the place of
/// openfiles_posix.cpp and these.
std::uint64_t raiseHardOpenFileLimit(std::uint64_t hard, long *refused);
