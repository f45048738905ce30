#pragma once

#include "serviceconfig.h"

#include <QObject>

#include <memory>

class CertificateAuthority;
class QTimer;
class TlsContext;

/// The certificate Herald serves HTTPS with: the operator's files (--tls-cert, --tls-key), or with
/// --tls-cert auto one that Herald's own authority issues for this machine's names and addresses,
/// kept in the data folder's tls/ and issued again before it expires or when the addresses change.
///
/// reload() reads the files again (SIGHUP, the panel): a new certificate goes to connections from
/// then on, and one that cannot be used leaves the old in place, with a warning.
class HttpsCertificate : public QObject
{
    Q_OBJECT

public:
    /// The value of --tls-cert that has Herald make its own.
    static constexpr char Automatic[] = "auto";
    /// How often an automatic certificate is checked against the time and the addresses.
    static constexpr int RenewalCheckMs = 10 * 60 * 1000;

    explicit HttpsCertificate(const ServiceConfig &config, QObject *parent = nullptr);
    ~HttpsCertificate() override;

    /// Whether the configuration asks for HTTPS at all.
    static bool isWanted(const ServiceConfig &config);
    /// Loads (or makes) the certificate; false, with what is wrong and which file, when it cannot.
    bool load(QString *errorMessage);
    /// Reads the files again, or for an automatic certificate issues one if it must; true when a
    /// new certificate is in use.
    bool reload();

    std::shared_ptr<const TlsContext> context() const { return m_context; }
    /// The SHA-256 fingerprint of the certificate served.
    QString fingerprint() const;
    /// With --tls-cert auto, the authority's certificate as PEM and its fingerprint; else empty.
    QByteArray authorityPem() const;
    QString authorityFingerprint() const;

Q_SIGNALS:
    /// A new certificate is in use for new connections.
    void contextChanged(std::shared_ptr<const TlsContext> context);
    void warningRaised(const QString &message);

private:
    bool isAutomatic() const { return m_config.tlsCertificateFile == QLatin1String(Automatic); }
    /// Makes or renews the automatic certificate's files, then loads them.
    std::shared_ptr<const TlsContext> loadAutomatic(QString *errorMessage);

    ServiceConfig m_config;
    std::unique_ptr<CertificateAuthority> m_authority;
    std::shared_ptr<const TlsContext> m_context;
    QTimer *m_renewalTimer = nullptr;
};
