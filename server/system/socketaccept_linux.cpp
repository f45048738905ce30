// SocketCalls::acceptConnection() on Linux (the default there): accept4() takes the flags in the
// same call.
#include "socketcalls.h"

#include <sys/socket.h>

static_assert(sizeof(sockaddr_storage) <= sizeof(SocketCalls::PeerAddress::bytes));

int SocketCalls::acceptConnection(int listening, PeerAddress *peer)
{
    socklen_t length = sizeof peer->bytes;
    return accept4(listening, peer->address(), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
