// SocketCalls that every system Herald builds for has in the same form.
#include "socketcalls.h"

ssize_t SocketCalls::sendPieces(int fd, const iovec *pieces, int count)
{
#ifdef MSG_NOSIGNAL
    constexpr int flags = MSG_NOSIGNAL;
#else
    constexpr int flags = 0; // Herald ignores SIGPIPE (see UnixSignals)
#endif
    if (count == 1)
        return ::send(fd, pieces[0].iov_base, pieces[0].iov_len, flags);
    msghdr message{};
    message.msg_iov = const_cast<iovec *>(pieces);
    message.msg_iovlen = decltype(message.msg_iovlen)(count);
    return ::sendmsg(fd, &message, flags);
}
