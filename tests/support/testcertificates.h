#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

/// Certificates for one test, made by Debian's openssl command as an operator would make them:
/// a certificate authority of the test's own, and certificates it issues, in a folder that goes
/// when the test is done.
class TestCertificates
{
public:
    /// Makes the authority; see isValid().
    TestCertificates();

    struct Issued
    {
        QString certificateFile; ///< PEM
        QString keyFile; ///< PEM, unencrypted
        QString chainFile; ///< PEM: the certificate, then the authority's
    };
    struct Request
    {
        QString name = QStringLiteral("localhost");
        QStringList dnsNames{QStringLiteral("localhost")};
        QStringList addresses{QStringLiteral("127.0.0.1")};
        QString keyType = QStringLiteral("ec"); ///< "ec" (P-256) or "rsa" (2048 bits)
        /// Valid from and until; the default is from an hour ago for two days.
        QDateTime notBefore;
        QDateTime notAfter;
    };

    /// A certificate for \a request, issued by the authority; empty files when openssl failed
    /// (see error()).
    Issued issue(const Request &request);
    Issued issue() { return issue(Request()); }

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString authorityFile() const { return m_dir.filePath(QStringLiteral("authority.crt")); }
    /// The PEM text of the authority's certificate.
    QByteArray authority() const;
    QString folder() const { return m_dir.path(); }

private:
    bool openssl(const QStringList &arguments);

    QTemporaryDir m_dir;
    QString m_error;
    int m_issued = 0;
};
