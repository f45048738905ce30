#pragma once

#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

/// The small certificate authority of Herald's own behind --tls-cert auto: it lives in a folder
/// (the data folder's tls/), and issues the certificate Herald serves HTTPS with, for this
/// machine's names and addresses. A device that trusts the authority once (its certificate is
/// at /herald-ca.crt) then trusts every certificate it issues, renewals included.
///
/// The authority may vouch only for names a LAN uses: its certificate carries name constraints
/// (private, shared, loopback and link-local addresses, and the machine's own when it was made;
/// localhost, .local, .lan, .home.arpa, .internal and the names it was made for), so that a device
/// trusting it cannot be fooled about any other site, even by someone who copies its key. A name
/// or address that comes later and lies outside them is left out of the certificates it issues.
/// Its key is readable by its owner only.
///
/// The served certificate is issued again when it has less than RenewBeforeDays left, and when
/// the names or addresses it must cover are not all in it.
class CertificateAuthority
{
public:
    static constexpr int AuthorityDays = 3650;
    static constexpr int CertificateDays = 397; ///< what browsers take for a server certificate
    static constexpr int RenewBeforeDays = 30;

    explicit CertificateAuthority(const QString &folder);

    /// Makes the authority if the folder has none, and a certificate covering \a names and
    /// \a addresses unless the one there already does and is not near its end at \a now. False,
    /// with what is wrong and which file in \a errorMessage, when the folder or a file there cannot
    /// be read or written; an authority's file that cannot be read is never replaced, since
    /// devices trust it.
    bool ensure(const QStringList &names, const QList<QHostAddress> &addresses, const QDateTime &now,
                QString *errorMessage);
    /// Whether ensure() would issue a new certificate for these.
    bool needsNewCertificate(const QStringList &names, const QList<QHostAddress> &addresses,
                             const QDateTime &now) const;

    QString authorityFile() const;
    QString authorityKeyFile() const;
    QString certificateFile() const;
    QString keyFile() const;
    /// The authority's certificate as PEM, or empty before ensure().
    QByteArray authorityPem() const;
    /// The SHA-256 fingerprint of the authority's certificate, as "AB:CD:…".
    QString authorityFingerprint() const;

private:
    QString m_folder;
};
