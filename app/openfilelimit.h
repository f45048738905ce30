#pragma once

/// What raising the open-file limit achieved; every stream holds a descriptor.
struct OpenFileLimit
{
    long before = -1; ///< the soft limit Herald was started with
    long now = -1; ///< the soft limit in force now
    long kernelMaximum = -1; ///< what root could have raised it to (fs.nr_open), when root tried and was refused
};

/// Raises the soft open-file limit to the hard one and, for root, the hard limit too, up to
/// what the kernel allows a process (/proc/sys/fs/nr_open).
OpenFileLimit raiseOpenFileLimit();
