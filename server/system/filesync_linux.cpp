// syncFileData() on Linux (the default there): fdatasync(), which skips metadata the data does
// not need.
#include "filesync.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

QString syncFileData(int fd)
{
    if (::fdatasync(fd) == 0)
        return QString();
    return QString::fromLocal8Bit(strerror(errno));
}
