#include "tlscontext.h"

#include "tlssession.h"

#include <QFile>
#include <QFileInfo>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace {

// Mozilla's "intermediate" configuration (version 5.7) for TLS 1.2; TLS 1.3 keeps OpenSSL's
// suites, which are the same three.
constexpr char IntermediateCiphers[] = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                       "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                       "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                                       "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
                                       "DHE-RSA-CHACHA20-POLY1305";
constexpr unsigned char SessionContext[] = "herald";
constexpr long SessionCacheSize = 20'000;

/// What OpenSSL said last, for an error message.
QString lastTlsError()
{
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0)
        return QString();
    const char *reason = ERR_reason_error_string(code);
    return reason ? QString::fromLatin1(reason) : QStringLiteral("error %1").arg(code);
}

/// Whether \a path can be read, with why not in \a errorMessage.
bool isReadable(const QString &path, const char *what, QString *errorMessage)
{
    QFile file(path);
    if (file.open(QIODevice::ReadOnly))
        return true;
    *errorMessage = QStringLiteral("cannot read the %1 file %2: %3").arg(QLatin1String(what), path, file.errorString());
    return false;
}

QDateTime timeOf(const ASN1_TIME *time)
{
    tm broken{};
    if (!ASN1_TIME_to_tm(time, &broken))
        return QDateTime();
    return QDateTime(QDate(broken.tm_year + 1900, broken.tm_mon + 1, broken.tm_mday),
                     QTime(broken.tm_hour, broken.tm_min, broken.tm_sec), Qt::UTC);
}

int selectHttp11(SSL *, const unsigned char **selected, unsigned char *selectedLength, const unsigned char *offered,
                 unsigned int offeredLength, void *)
{
    static constexpr unsigned char Http11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    unsigned char *chosen = nullptr;
    if (SSL_select_next_proto(&chosen, selectedLength, Http11, sizeof Http11, offered, offeredLength)
        != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK; // the client goes on without ALPN, as with a server without it
    *selected = chosen;
    return SSL_TLSEXT_ERR_OK;
}

} // namespace

std::shared_ptr<const TlsContext> TlsContext::load(const QString &certificateFile, const QString &keyFile,
                                                   QString *errorMessage)
{
    if (!isReadable(certificateFile, "certificate", errorMessage) || !isReadable(keyFile, "key", errorMessage))
        return nullptr;
    std::shared_ptr<TlsContext> loaded(new TlsContext);
    loaded->m_certificateFile = certificateFile;
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    loaded->m_context = context;
    ERR_clear_error();
    if (!context || !SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        || !SSL_CTX_set_cipher_list(context, IntermediateCiphers)) {
        *errorMessage = QStringLiteral("cannot set up TLS: %1").arg(lastTlsError());
        return nullptr;
    }
    if (SSL_CTX_use_certificate_chain_file(context, QFile::encodeName(certificateFile).constData()) != 1) {
        *errorMessage
            = QStringLiteral("%1 holds no PEM certificate Herald can use: %2").arg(certificateFile, lastTlsError());
        return nullptr;
    }
    X509 *certificate = SSL_CTX_get0_certificate(context);
    EVP_PKEY *key = nullptr;
    if (BIO *file = BIO_new_file(QFile::encodeName(keyFile).constData(), "r")) {
        key = PEM_read_bio_PrivateKey(file, nullptr, nullptr, nullptr);
        BIO_free(file);
    }
    if (!key) {
        *errorMessage = QStringLiteral("%1 holds no PEM private key Herald can use: %2").arg(keyFile, lastTlsError());
        return nullptr;
    }
    const bool matches = X509_check_private_key(certificate, key) == 1;
    ERR_clear_error();
    const bool used = matches && SSL_CTX_use_PrivateKey(context, key) == 1;
    EVP_PKEY_free(key);
    if (!matches) {
        *errorMessage
            = QStringLiteral("the key in %1 does not match the certificate in %2").arg(keyFile, certificateFile);
        return nullptr;
    }
    if (!used) {
        *errorMessage = QStringLiteral("cannot use the key in %1: %2").arg(keyFile, lastTlsError());
        return nullptr;
    }
    loaded->m_expiresAt = timeOf(X509_get0_notAfter(certificate));
    if (X509_cmp_current_time(X509_get0_notAfter(certificate)) < 0) {
        *errorMessage = QStringLiteral("the certificate in %1 expired on %2")
                            .arg(certificateFile, loaded->m_expiresAt.toString(Qt::ISODate));
        return nullptr;
    }
    if (X509_cmp_current_time(X509_get0_notBefore(certificate)) > 0) {
        *errorMessage = QStringLiteral("the certificate in %1 is not valid before %2")
                            .arg(certificateFile, timeOf(X509_get0_notBefore(certificate)).toString(Qt::ISODate));
        return nullptr;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    X509_digest(certificate, EVP_sha256(), digest, &digestLength);
    loaded->m_fingerprint = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(digest), int(digestLength)).toHex(':').toUpper());

    // Kernel TLS where the kernel has it (the tls module) and the cipher allows: the kernel then
    // encrypts what the shards write, with no copy through OpenSSL.
    SSL_CTX_set_options(
        context, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_COMPRESSION | SSL_OP_ENABLE_KTLS);
    // Partial writes with a buffer that may move: a write the socket refuses is tried again
    // with the same bytes from wherever they are; and the buffers go back between writes, so
    // that an idle stream holds little.
    SSL_CTX_set_mode(context,
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_dh_auto(context, 1);
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_SERVER);
    SSL_CTX_sess_set_cache_size(context, SessionCacheSize);
    SSL_CTX_set_session_id_context(context, SessionContext, sizeof SessionContext - 1);
    SSL_CTX_set_num_tickets(context, 1);
    SSL_CTX_set_alpn_select_cb(context, &selectHttp11, nullptr);
    ERR_clear_error(); // what reading the files left behind
    return loaded;
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

bool TlsContext::isKernelTlsAvailable()
{
    QFile modules(QStringLiteral("/proc/sys/net/ipv4/tcp_available_ulp"));
    return modules.open(QIODevice::ReadOnly) && modules.readAll().simplified().split(' ').contains("tls");
}

std::unique_ptr<TlsSession> TlsContext::accept(int fd) const
{
    SSL *ssl = SSL_new(m_context);
    if (!ssl)
        return nullptr;
    if (SSL_set_fd(ssl, fd) != 1) {
        SSL_free(ssl);
        return nullptr;
    }
    SSL_set_accept_state(ssl);
    return std::make_unique<TlsSession>(ssl);
}
