#include "tlssession.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <climits>
#include <cstring>

TlsSession::TlsSession(SSL *ssl)
    : m_ssl(ssl)
{}

TlsSession::~TlsSession()
{
    SSL_free(m_ssl);
}

TlsSession::Handshake TlsSession::handshake()
{
    if (m_established)
        return Handshake::Done;
    ERR_clear_error();
    const int result = SSL_accept(m_ssl);
    if (result == 1) {
        m_established = true;
        return Handshake::Done;
    }
    switch (SSL_get_error(m_ssl, result)) {
    case SSL_ERROR_WANT_READ:
        return Handshake::WantRead;
    case SSL_ERROR_WANT_WRITE:
        return Handshake::WantWrite;
    default:
        ERR_clear_error();
        return Handshake::Failed;
    }
}

SocketCalls::Count TlsSession::outcome(int result)
{
    using SocketCalls::Failure;
    if (result > 0)
        return result;
    const int error = SSL_get_error(m_ssl, result);
    switch (error) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        SocketCalls::setLastFailure(Failure::WouldBlock);
        return -1;
    case SSL_ERROR_ZERO_RETURN:
        return 0; // close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) the end of the socket
    case SSL_ERROR_SYSCALL: {
        ERR_clear_error();
        const Failure failure = SocketCalls::lastFailure();
        if (failure == Failure::None || failure == Failure::WouldBlock)
            SocketCalls::setLastFailure(Failure::PeerGone);
        return -1;
    }
    default:
        ERR_clear_error();
        SocketCalls::setLastFailure(Failure::Other);
        return -1;
    }
}

SocketCalls::Count TlsSession::read(char *buffer, size_t size)
{
    ERR_clear_error();
    SocketCalls::setLastFailure(SocketCalls::Failure::None);
    return outcome(SSL_read(m_ssl, buffer, int(std::min<size_t>(size, INT_MAX))));
}

SocketCalls::Count TlsSession::write(const char *data, size_t size)
{
    ERR_clear_error();
    SocketCalls::setLastFailure(SocketCalls::Failure::None);
    return outcome(SSL_write(m_ssl, data, int(std::min(size, RecordBytes))));
}

SocketCalls::Count TlsSession::write(const SocketCalls::Piece *parts, int count)
{
    if (count == 0)
        return 0;
    // A first part of a record or more goes as it is; smaller ones are gathered into one record.
    // A write tried again starts with the same bytes, so it takes the same way, as OpenSSL asks.
    if (count == 1 || parts[0].size >= RecordBytes)
        return write(parts[0].data, parts[0].size);
    thread_local char record[RecordBytes];
    size_t gathered = 0;
    for (int i = 0; i < count && gathered < RecordBytes; ++i) {
        const size_t taken = std::min(parts[i].size, RecordBytes - gathered);
        memcpy(record + gathered, parts[i].data, taken);
        gathered += taken;
    }
    return write(record, gathered);
}

void TlsSession::close()
{
    if (!m_established)
        return;
    ERR_clear_error();
    SSL_shutdown(m_ssl); // one try: a peer that does not take it at once is not waited for
    ERR_clear_error();
}

QString TlsSession::protocol() const
{
    return m_established ? QString::fromLatin1(SSL_get_version(m_ssl)) : QString();
}

bool TlsSession::isKernelTls() const
{
    return BIO_get_ktls_send(SSL_get_wbio(m_ssl)) != 0;
}

void TlsSession::endThread()
{
    ERR_clear_error();
    OPENSSL_thread_stop();
}
