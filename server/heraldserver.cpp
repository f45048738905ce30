#include "heraldserver.h"

#include "gatedtcpserver.h"
#include "heraldservice.h"
#include "httpapi.h"
#include "httpscertificate.h"
#include "logging.h"
#include "tlscontext.h"

#include <QHostInfo>
#include <QHttpServer>

HeraldServer::HeraldServer(const ServiceConfig &config, QObject *parent)
    : QObject(parent)
    , m_service(new HeraldService(config, this))
    // Made here, on the thread that starts the server and outlives it, rather than in start():
    // QHttpServer sets up the TLS library, which keeps state per thread, freed only once that
    // thread is gone, which may be after the process has been told it ends.
    , m_httpServer(new QHttpServer(this))
{}

HeraldServer::~HeraldServer()
{
    stop();
}

bool HeraldServer::start(QString *errorMessage)
{
    if (!m_service->start(errorMessage))
        return false;
    const ServiceConfig &config = m_service->config();
    m_tcpServer = new GatedTcpServer(HttpApi::gateRoutes(config.gateReadsPublishes), this);
    m_api = new HttpApi(m_service, m_httpServer, m_tcpServer, this);
    if (HttpsCertificate::isWanted(config)) {
        m_certificate = new HttpsCertificate(config, this);
        if (!m_certificate->load(errorMessage))
            return false;
        m_tcpServer->listenTls(config.tlsPort, m_certificate->context(), config.tlsOnly);
        m_api->setAuthorityCertificate(m_certificate->authorityPem());
        connect(m_certificate, &HttpsCertificate::contextChanged, m_tcpServer, &GatedTcpServer::setTlsContext);
        connect(m_certificate, &HttpsCertificate::warningRaised, m_service, &HeraldService::warningRaised);
    } else if (config.tlsOnly) {
        *errorMessage = QStringLiteral("--tls-only needs HTTPS: give --tls-cert and --tls-key");
        return false;
    }
    if (!m_tcpServer->open(config.bindAddress, config.port, config.listenBacklog, errorMessage))
        return false;
    m_httpServer->bind(m_tcpServer);
    // A node of a cluster is named after where browsers reach it, which only the listening
    // socket knows.
    m_service->joinCluster(QHostInfo::localHostName() + u':' + QString::number(port()));
    qCInfo(lcService, "listening on %s port %u", qPrintable(config.bindAddress.toString()), port());
    if (m_certificate) {
        qCInfo(lcService, "HTTPS on port %u, certificate SHA-256 %s", tlsPort(),
               qPrintable(m_certificate->fingerprint()));
        qCInfo(lcService, "%s",
               TlsContext::isKernelTlsAvailable()
                   ? "kernel TLS is available: the kernel encrypts the streams where the cipher allows"
                   : "kernel TLS is not available (no tls module): OpenSSL encrypts the streams in "
                     "user space");
        if (!m_certificate->authorityFingerprint().isEmpty()) {
            qCInfo(lcService, "the certificate is issued by Herald's own authority, SHA-256 %s, at %s",
                   qPrintable(m_certificate->authorityFingerprint()), HttpApi::AuthorityPath);
        }
    }
    return true;
}

void HeraldServer::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_tcpServer)
        m_tcpServer->stopAccepting();
    m_service->stop();
    // Only now, so that the gate sends the answers the service gave as it stopped (to the last
    // publishes) before it closes the connections it holds.
    if (m_tcpServer)
        m_tcpServer->shutDown();
}

quint16 HeraldServer::port() const
{
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

void HeraldServer::reloadCertificate()
{
    if (m_certificate)
        m_certificate->reload();
}

quint16 HeraldServer::tlsPort() const
{
    return m_tcpServer ? m_tcpServer->tlsPort() : 0;
}
