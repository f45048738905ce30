#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <memory>

class TlsSession;
typedef struct ssl_ctx_st SSL_CTX;

/// The certificate and key Herald serves HTTPS with, and the TLS every connection on its HTTPS
/// port gets: TLS 1.2 and 1.3 only, Mozilla's "intermediate" ciphers, ALPN http/1.1, and session
/// resumption (a session cache and tickets), so that a phone that reconnects every few seconds
/// does not pay a full handshake each time.
///
/// A context does not change once loaded; loading the files again makes a new one, which new
/// connections take while those open keep theirs. Thread-safe.
class TlsContext
{
public:
    /// The context for the PEM \a certificateFile (the chain may follow the certificate) and
    /// \a keyFile (RSA or EC); null, with what is wrong and which file in \a errorMessage, when a
    /// file is missing or unreadable, the key does not match the certificate, or the certificate
    /// has expired or is not valid yet.
    static std::shared_ptr<const TlsContext> load(const QString &certificateFile, const QString &keyFile,
                                                  QString *errorMessage);
    ~TlsContext();

    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    /// Whether this kernel offers kernel TLS (its tls module is loaded), which OpenSSL then uses
    /// for the ciphers the kernel has.
    static bool isKernelTlsAvailable();

    /// A server session on the connected socket \a fd, which stays the caller's.
    std::unique_ptr<TlsSession> accept(int fd) const;

    /// The SHA-256 fingerprint of the certificate, as "AB:CD:…".
    QString fingerprint() const { return m_fingerprint; }
    QDateTime expiresAt() const { return m_expiresAt; }
    QString certificateFile() const { return m_certificateFile; }

private:
    TlsContext() = default;

    SSL_CTX *m_context = nullptr;
    QString m_certificateFile;
    QString m_fingerprint;
    QDateTime m_expiresAt;
};
