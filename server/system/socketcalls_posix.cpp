// SocketCalls on Linux and macOS: the POSIX calls, and errno for why one failed.
#include "socketcalls.h"

#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static_assert(SocketCalls::MaxPieces <= IOV_MAX);

SocketCalls::Failure SocketCalls::lastFailure()
{
    switch (errno) {
    case 0:
        return Failure::None;
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
        return Failure::WouldBlock;
    case EINTR:
        return Failure::Interrupted;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
        return Failure::OutOfResources;
    case ECONNRESET:
    case EPIPE:
        return Failure::PeerGone;
    default:
        return Failure::Other;
    }
}

void SocketCalls::setLastFailure(Failure failure)
{
    switch (failure) {
    case Failure::None:
        errno = 0;
        return;
    case Failure::WouldBlock:
        errno = EAGAIN;
        return;
    case Failure::Interrupted:
        errno = EINTR;
        return;
    case Failure::OutOfResources:
        errno = ENOBUFS;
        return;
    case Failure::PeerGone:
        errno = ECONNRESET;
        return;
    case Failure::Other:
        errno = EPROTO;
        return;
    }
}

int SocketCalls::duplicate(int socket)
{
    // The copy shares the original's open file description, so it does not block either.
    return fcntl(socket, F_DUPFD_CLOEXEC, 0);
}

bool SocketCalls::peerAddress(int socket, PeerAddress *peer)
{
    socklen_t length = sizeof peer->bytes;
    return getpeername(socket, peer->address(), &length) == 0;
}

bool SocketCalls::setNoDelay(int socket)
{
    const int noDelay = 1;
    return setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &noDelay, sizeof noDelay) == 0;
}

SocketCalls::Count SocketCalls::receive(int socket, char *buffer, std::size_t size)
{
    return ::recv(socket, buffer, size, 0);
}

SocketCalls::Count SocketCalls::peek(int socket, char *buffer, std::size_t size)
{
    return ::recv(socket, buffer, size, MSG_PEEK);
}

SocketCalls::Count SocketCalls::sendPieces(int socket, const Piece *pieces, int count)
{
#ifdef MSG_NOSIGNAL
    constexpr int flags = MSG_NOSIGNAL;
#else
    constexpr int flags = 0; // macOS: Herald ignores SIGPIPE (see UnixSignals)
#endif
    if (count == 1)
        return ::send(socket, pieces[0].data, pieces[0].size, flags);
    iovec vectors[MaxPieces];
    count = count < MaxPieces ? count : MaxPieces;
    for (int i = 0; i < count; ++i)
        vectors[i] = {const_cast<char *>(pieces[i].data), pieces[i].size};
    msghdr message{};
    message.msg_iov = vectors;
    message.msg_iovlen = decltype(message.msg_iovlen)(count);
    return ::sendmsg(socket, &message, flags);
}

void SocketCalls::shutdownSending(int socket)
{
    ::shutdown(socket, SHUT_WR);
}

void SocketCalls::closeSocket(int socket)
{
    ::close(socket);
}
