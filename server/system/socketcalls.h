#pragma once

#include <cstddef>

struct sockaddr;

/// The socket calls of the request gate, the stream shards and the TLS session, so that none of
/// those include a system's socket header. One file per system, which CMake picks:
/// socketcalls_posix.cpp (Linux, macOS) with socketaccept_linux.cpp (accept4(), the default on
/// Linux) or socketaccept_posix.cpp (HERALD_PORTABLE), and socketcalls_windows.cpp (Winsock).
///
/// A socket is an int: a descriptor, or Windows' SOCKET, which Windows keeps within 32 bits (as
/// OpenSSL's SSL_set_fd() and Qt's descriptors on Windows also take it). A call that fails returns
/// -1 and leaves its reason for lastFailure(), as errno or WSAGetLastError() would.
namespace SocketCalls {

/// Bytes a call moved, or -1.
using Count = std::ptrdiff_t;

/// One piece of a gathered send.
struct Piece
{
    const char *data;
    std::size_t size;
};
/// The most pieces one sendPieces() takes; more are a partial send, as when the kernel takes less.
constexpr int MaxPieces = 512;

/// Where a connection comes from, as the system wrote it (a sockaddr_storage, 128 bytes on every
/// system Herald builds for); QHostAddress reads address().
struct PeerAddress
{
    alignas(8) unsigned char bytes[128] = {};

    const sockaddr *address() const { return reinterpret_cast<const sockaddr *>(bytes); }
    sockaddr *address() { return reinterpret_cast<sockaddr *>(bytes); }
};

/// Why the last call failed, as far as the caller acts on it; lastSystemError() has the words.
enum class Failure {
    None,
    WouldBlock, ///< the socket has to be waited for
    Interrupted, ///< a signal came first: call again
    OutOfResources, ///< no descriptors, buffers or memory left: wait before accepting more
    PeerGone, ///< the peer reset or ended the connection
    Other,
};
Failure lastFailure();
/// Leaves \a failure as the reason lastFailure() gives, for what answers as a socket call does
/// (the TLS session).
void setLastFailure(Failure failure);

/// accept()s a connection on \a listening that does not block and is not handed to child
/// processes, and fills \a peer.
int acceptConnection(int listening, PeerAddress *peer);
/// A second socket for \a socket's connection, on the same terms, for the gate to take a
/// connection over from Qt's socket; -1 when the system refused.
int duplicate(int socket);
/// Fills \a peer with where \a socket's connection comes from.
bool peerAddress(int socket, PeerAddress *peer);
/// Has the listening \a socket's connections send at once, without waiting for Nagle's algorithm.
bool setNoDelay(int socket);

/// Like recv() with no flags.
Count receive(int socket, char *buffer, std::size_t size);
/// Like recv() with MSG_PEEK: the bytes stay for the next receive().
Count peek(int socket, char *buffer, std::size_t size);
/// Sends up to MaxPieces of \a count pieces in one call, as writev() would, without SIGPIPE where
/// the system has it: a peer that went away is a failure, not a signal.
Count sendPieces(int socket, const Piece *pieces, int count);
/// Says to the peer that nothing more comes (shutdown() of the sending side).
void shutdownSending(int socket);
void closeSocket(int socket);

} // namespace SocketCalls
