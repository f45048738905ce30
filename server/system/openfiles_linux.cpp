// The open-file limit on Linux: the kernel names its maximum in /proc/sys/fs/nr_open.
#include "openfiles.h"

#include <QFile>

#include <sys/resource.h>
#include <unistd.h>

namespace {

/// The most descriptors the kernel lets one process have, or 0 when it cannot be read.
rlim_t kernelMaximum()
{
    QFile file(QStringLiteral("/proc/sys/fs/nr_open"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return rlim_t(file.readAll().trimmed().toULongLong());
}

} // namespace

OpenFileLimit raiseOpenFileLimit()
{
    OpenFileLimit result;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return result;
    result.before = long(limit.rlim_cur);
    if (geteuid() == 0) {
        const rlim_t maximum = kernelMaximum();
        if (maximum > limit.rlim_max) {
            const rlimit raised{maximum, maximum};
            if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
                limit = raised;
            else
                result.kernelMaximum = long(maximum); // a container without CAP_SYS_RESOURCE
        }
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    result.now = openFileLimit();
    return result;
}

long openFileLimit()
{
    rlimit limit{};
    return getrlimit(RLIMIT_NOFILE, &limit) == 0 ? long(limit.rlim_cur) : 1024;
}
