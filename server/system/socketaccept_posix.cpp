// SocketCalls::acceptConnection() with what every POSIX system has (HERALD_PORTABLE): accept(),
// then the flags.
#include "socketcalls.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

static_assert(sizeof(sockaddr_storage) <= sizeof(SocketCalls::PeerAddress::bytes));

int SocketCalls::acceptConnection(int listening, PeerAddress *peer)
{
    socklen_t length = sizeof peer->bytes;
    const int fd = ::accept(listening, peer->address(), &length);
    if (fd < 0)
        return fd;
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}
