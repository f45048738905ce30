#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

/// Socket calls Herald makes its own way: accepting differs per system, one file per way, which
/// CMake picks (socketcalls_linux.cpp by default on Linux, socketcalls_posix.cpp with
/// HERALD_PORTABLE); the gathered send is the same everywhere (socketcalls.cpp).
namespace SocketCalls {

/// accept()s a connection on \a listeningFd that does not block and is closed on exec, and
/// fills \a peer; -1 with errno as accept() sets it.
int acceptConnection(int listeningFd, sockaddr_storage *peer);

/// Sends \a count pieces in one call, as writev() would (one piece by send()), but without SIGPIPE
/// where the system allows (a peer that went away is an error, not a signal); what it returns.
ssize_t sendPieces(int fd, const iovec *pieces, int count);

} // namespace SocketCalls
