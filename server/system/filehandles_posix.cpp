#include "filehandles.h"

#include <fcntl.h>
#include <unistd.h>

int duplicateFile(int fd)
{
    return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

void closeFile(int fd)
{
    ::close(fd);
}
