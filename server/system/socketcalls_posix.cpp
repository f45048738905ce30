// SocketCalls with what every POSIX system has (HERALD_PORTABLE): accept(), then the flags.
#include "socketcalls.h"

#include <fcntl.h>
#include <unistd.h>

int SocketCalls::acceptConnection(int listeningFd, sockaddr_storage *peer)
{
    socklen_t length = sizeof *peer;
    const int fd = ::accept(listeningFd, reinterpret_cast<sockaddr *>(peer), &length);
    if (fd < 0)
        return fd;
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}
