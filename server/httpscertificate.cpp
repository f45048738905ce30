#include "httpscertificate.h"

#include "certificateauthority.h"
#include "logging.h"
#include "networkurls.h"
#include "tlscontext.h"

#include <QDateTime>
#include <QDir>
#include <QHostInfo>
#include <QTimer>

namespace {

/// The names this machine answers to on the LAN: its own, with .local for mDNS, localhost, and
/// the operator's (--host-name).
QStringList machineNames(const ServiceConfig &config)
{
    const QString host = QHostInfo::localHostName().toLower();
    QStringList names{QStringLiteral("localhost")};
    if (!host.isEmpty() && host != QLatin1String("localhost"))
        names << host << host + QStringLiteral(".local");
    return names + config.hostNames;
}

} // namespace

HttpsCertificate::HttpsCertificate(const ServiceConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{}

HttpsCertificate::~HttpsCertificate() = default;

bool HttpsCertificate::isWanted(const ServiceConfig &config)
{
    return !config.tlsCertificateFile.isEmpty() || !config.tlsKeyFile.isEmpty();
}

bool HttpsCertificate::load(QString *errorMessage)
{
    if (isAutomatic()) {
        if (!m_config.tlsKeyFile.isEmpty()) {
            *errorMessage = QStringLiteral("--tls-cert auto makes its own key: give no --tls-key");
            return false;
        }
        if (m_config.dataDirectory.isEmpty()) {
            *errorMessage = QStringLiteral("--tls-cert auto keeps its certificate authority in --data-dir: give one");
            return false;
        }
        m_authority
            = std::make_unique<CertificateAuthority>(QDir(m_config.dataDirectory).filePath(QStringLiteral("tls")));
        m_context = loadAutomatic(errorMessage);
        if (!m_context)
            return false;
        m_renewalTimer = new QTimer(this);
        m_renewalTimer->setInterval(RenewalCheckMs);
        connect(m_renewalTimer, &QTimer::timeout, this, &HttpsCertificate::reload);
        m_renewalTimer->start();
        return true;
    }
    if (m_config.tlsCertificateFile.isEmpty() || m_config.tlsKeyFile.isEmpty()) {
        *errorMessage = QStringLiteral("HTTPS needs both --tls-cert and --tls-key (or --tls-cert auto)");
        return false;
    }
    m_context = TlsContext::load(m_config.tlsCertificateFile, m_config.tlsKeyFile, errorMessage);
    return m_context != nullptr;
}

std::shared_ptr<const TlsContext> HttpsCertificate::loadAutomatic(QString *errorMessage)
{
    if (!m_authority->ensure(machineNames(m_config), machineAddresses(), QDateTime::currentDateTimeUtc(), errorMessage))
        return nullptr;
    return TlsContext::load(m_authority->certificateFile(), m_authority->keyFile(), errorMessage);
}

bool HttpsCertificate::reload()
{
    if (!m_context)
        return false;
    QString error;
    std::shared_ptr<const TlsContext> loaded;
    if (isAutomatic()) {
        if (!m_authority->needsNewCertificate(machineNames(m_config), machineAddresses(),
                                              QDateTime::currentDateTimeUtc()))
            return false;
        loaded = loadAutomatic(&error);
    } else {
        loaded = TlsContext::load(m_config.tlsCertificateFile, m_config.tlsKeyFile, &error);
    }
    if (!loaded) {
        const QString message = QStringLiteral("kept the HTTPS certificate in use: %1").arg(error);
        qCWarning(lcService, "%s", qPrintable(message));
        Q_EMIT warningRaised(message);
        return false;
    }
    m_context = loaded;
    qCInfo(lcService, "HTTPS certificate loaded again, SHA-256 %s, valid until %s",
           qPrintable(m_context->fingerprint()), qPrintable(m_context->expiresAt().toString(Qt::ISODate)));
    Q_EMIT contextChanged(m_context);
    return true;
}

QString HttpsCertificate::fingerprint() const
{
    return m_context ? m_context->fingerprint() : QString();
}

QByteArray HttpsCertificate::authorityPem() const
{
    return m_authority ? m_authority->authorityPem() : QByteArray();
}

QString HttpsCertificate::authorityFingerprint() const
{
    return m_authority ? m_authority->authorityFingerprint() : QString();
}
