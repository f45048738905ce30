// SocketCalls on Windows: Winsock's calls, and WSAGetLastError() for why one failed. Qt's network
// module has started Winsock (WSAStartup()) by the time Herald listens.
#include "socketcalls.h"

#include <winsock2.h>
#include <ws2tcpip.h>

#include <climits>

static_assert(sizeof(sockaddr_storage) <= sizeof(SocketCalls::PeerAddress::bytes));

namespace {

// An int -1 becomes INVALID_SOCKET; a SOCKET is a handle, which Windows keeps within 32 bits.
SOCKET native(int socket)
{
    return SOCKET(socket);
}

// Not blocking, as the gate and the shards need their sockets, and where the system allows, not
// handed to child processes (a socket of a layered provider that is no system handle cannot be
// marked: it is kept all the same).
int ownSocket(SOCKET socket)
{
    if (socket == INVALID_SOCKET)
        return -1;
    u_long nonBlocking = 1;
    if (ioctlsocket(socket, FIONBIO, &nonBlocking) != 0) {
        const int error = WSAGetLastError();
        closesocket(socket);
        WSASetLastError(error);
        return -1;
    }
    SetHandleInformation(reinterpret_cast<HANDLE>(socket), HANDLE_FLAG_INHERIT, 0);
    return int(socket);
}

} // namespace

SocketCalls::Failure SocketCalls::lastFailure()
{
    switch (WSAGetLastError()) {
    case 0:
        return Failure::None;
    case WSAEWOULDBLOCK:
        return Failure::WouldBlock;
    case WSAEINTR:
        return Failure::Interrupted;
    case WSAEMFILE:
    case WSAENOBUFS:
    case WSA_NOT_ENOUGH_MEMORY:
        return Failure::OutOfResources;
    case WSAECONNRESET:
    case WSAECONNABORTED:
    case WSAESHUTDOWN:
        return Failure::PeerGone;
    default:
        return Failure::Other;
    }
}

void SocketCalls::setLastFailure(Failure failure)
{
    switch (failure) {
    case Failure::None:
        WSASetLastError(0);
        return;
    case Failure::WouldBlock:
        WSASetLastError(WSAEWOULDBLOCK);
        return;
    case Failure::Interrupted:
        WSASetLastError(WSAEINTR);
        return;
    case Failure::OutOfResources:
        WSASetLastError(WSAENOBUFS);
        return;
    case Failure::PeerGone:
        WSASetLastError(WSAECONNRESET);
        return;
    case Failure::Other:
        WSASetLastError(ERROR_INVALID_DATA);
        return;
    }
}

int SocketCalls::acceptConnection(int listening, PeerAddress *peer)
{
    int length = int(sizeof peer->bytes);
    return ownSocket(::accept(native(listening), peer->address(), &length));
}

int SocketCalls::duplicate(int socket)
{
    WSAPROTOCOL_INFOW info{};
    if (WSADuplicateSocketW(native(socket), GetCurrentProcessId(), &info) != 0)
        return -1;
    return ownSocket(WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                                WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT));
}

bool SocketCalls::peerAddress(int socket, PeerAddress *peer)
{
    int length = int(sizeof peer->bytes);
    return getpeername(native(socket), peer->address(), &length) == 0;
}

bool SocketCalls::setNoDelay(int socket)
{
    const BOOL noDelay = TRUE;
    return setsockopt(native(socket), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&noDelay),
                      sizeof noDelay)
        == 0;
}

SocketCalls::Count SocketCalls::receive(int socket, char *buffer, std::size_t size)
{
    return ::recv(native(socket), buffer, int(size < INT_MAX ? size : INT_MAX), 0);
}

SocketCalls::Count SocketCalls::peek(int socket, char *buffer, std::size_t size)
{
    return ::recv(native(socket), buffer, int(size < INT_MAX ? size : INT_MAX), MSG_PEEK);
}

SocketCalls::Count SocketCalls::sendPieces(int socket, const Piece *pieces, int count)
{
    WSABUF buffers[MaxPieces];
    count = count < MaxPieces ? count : MaxPieces;
    for (int i = 0; i < count; ++i) {
        buffers[i].buf = const_cast<char *>(pieces[i].data);
        buffers[i].len = ULONG(pieces[i].size < ULONG_MAX ? pieces[i].size : ULONG_MAX);
        if (buffers[i].len != pieces[i].size) {
            count = i + 1; // what follows a piece sent in part waits for the next send
            break;
        }
    }
    DWORD sent = 0;
    if (WSASend(native(socket), buffers, DWORD(count), &sent, 0, nullptr, nullptr) != 0)
        return -1;
    return Count(sent);
}

void SocketCalls::shutdownSending(int socket)
{
    ::shutdown(native(socket), SD_SEND);
}

void SocketCalls::closeSocket(int socket)
{
    closesocket(native(socket));
}
