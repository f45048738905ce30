#pragma once

#include "socketcalls.h"

#include <QString>

typedef struct ssl_st SSL;

/// The TLS of one connection on Herald's HTTPS port, on a non-blocking socket it does not own.
/// Its reads and writes answer as SocketCalls::receive() and sendPieces() do, so that the request
/// gate and the stream shards treat an encrypted connection as they treat a plain one: a count of
/// bytes, 0 at the end of the peer's stream, or -1 with SocketCalls::lastFailure() (WouldBlock
/// when the socket has to be waited for).
///
/// OpenSSL encrypts in user space: every write is one TLS record of at most RecordBytes, into
/// which write() gathers as many of its parts as fit. A write that the socket refuses must be
/// tried again with the same bytes first (more may follow them), as the shards and the gate do
/// with what they have not sent. The session gives its buffers back between writes.
/// One thread at a time uses it; it may move from the gate's thread to a shard's.
class TlsSession
{
public:
    /// The most plain text one write() puts in a record.
    static constexpr size_t RecordBytes = 16 * 1024;

    enum class Handshake {
        Done,
        WantRead, ///< wait until the socket is readable
        WantWrite, ///< wait until the socket is writable
        Failed, ///< not TLS, a version or cipher Herald does not take, or a broken connection
    };

    explicit TlsSession(SSL *ssl);
    ~TlsSession();

    TlsSession(const TlsSession &) = delete;
    TlsSession &operator=(const TlsSession &) = delete;

    /// Goes on with the handshake as far as the socket allows.
    Handshake handshake();
    bool isEstablished() const { return m_established; }
    /// Like SocketCalls::receive().
    SocketCalls::Count read(char *buffer, size_t size);
    /// Like SocketCalls::sendPieces(), within one record.
    SocketCalls::Count write(const SocketCalls::Piece *parts, int count);
    SocketCalls::Count write(const char *data, size_t size);
    /// Tells the peer that nothing more comes (close_notify), as far as the socket takes it at
    /// once; the caller then shuts the socket's writing side.
    void close();

    /// The protocol agreed, such as "TLSv1.3"; empty before the handshake ends.
    QString protocol() const;
    /// Whether the kernel encrypts (kernel TLS) rather than OpenSSL in user space.
    bool isKernelTls() const;

    /// Lets go of what OpenSSL keeps for the calling thread (its error queue among it): called by
    /// each of Herald's threads that used TLS as it ends, rather than left to the thread's exit.
    static void endThread();

private:
    /// What a call that returned \a result means, with SocketCalls::lastFailure() for a -1.
    SocketCalls::Count outcome(int result);

    SSL *m_ssl;
    bool m_established = false;
};
