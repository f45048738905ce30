// SocketCalls on Linux (the default there): accept4() takes the flags in the same call.
#include "socketcalls.h"

int SocketCalls::acceptConnection(int listeningFd, sockaddr_storage *peer)
{
    socklen_t length = sizeof *peer;
    return accept4(listeningFd, reinterpret_cast<sockaddr *>(peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

ssize_t SocketCalls::sendPieces(int fd, const iovec *pieces, int count)
{
    if (count == 1)
        return ::send(fd, pieces[0].iov_base, pieces[0].iov_len, MSG_NOSIGNAL);
    msghdr message{};
    message.msg_iov = const_cast<iovec *>(pieces);
    message.msg_iovlen = size_t(count);
    return ::sendmsg(fd, &message, MSG_NOSIGNAL);
}
