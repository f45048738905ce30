#pragma once

/// What raising the open-file limit achieved; every stream holds a descriptor.
struct OpenFileLimit
{
    long before = -1; ///< the soft limit Herald was started with
    long now = -1; ///< the soft limit in force now
    long kernelMaximum = -1; ///< what root could have raised it to, when root tried and was refused
};

/// Raises the soft open-file limit as far as the hard one (or, where the system caps it lower,
/// as far as the system accepts) and, for root, the hard limit too, up to what the system allows
/// a process. One file per way, which CMake picks: openfiles_linux.cpp by default on Linux (the
/// kernel's maximum read from /proc/sys/fs/nr_open), openfiles_posix.cpp with HERALD_PORTABLE
/// (no /proc: the most setrlimit() accepts, as macOS caps the soft limit below an unlimited hard one).
OpenFileLimit raiseOpenFileLimit();

/// The soft open-file limit in force, or 1,024 when the system does not say.
long openFileLimit();
