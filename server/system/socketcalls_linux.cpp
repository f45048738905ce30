// SocketCalls on Linux (the default there): accept4() takes the flags in the same call.
#include "socketcalls.h"

int SocketCalls::acceptConnection(int listeningFd, sockaddr_storage *peer)
{
    socklen_t length = sizeof *peer;
    return accept4(listeningFd, reinterpret_cast<sockaddr *>(peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
