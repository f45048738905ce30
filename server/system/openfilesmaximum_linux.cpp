// How far root may raise the open-file limit on Linux: the kernel names its maximum in
// /proc/sys/fs/nr_open.
#include "openfiles.h"

#include "openfilesearch_posix.h"

#include <QFile>

std::uint64_t raiseHardOpenFileLimit(std::uint64_t hard, long *refused)
{
    QFile file(QStringLiteral("/proc/sys/fs/nr_open"));
    const std::uint64_t maximum = file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toULongLong() : 0;
    if (maximum <= hard)
        return hard;
    if (OpenFileSearch::apply(rlim_t(maximum), rlim_t(maximum)))
        return maximum;
    *refused = long(maximum); // a container without CAP_SYS_RESOURCE
    return hard;
}
