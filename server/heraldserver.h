#pragma once

#include "serviceconfig.h"

#include <QObject>

class GatedTcpServer;
class HttpsCertificate;
class HeraldService;
class HttpApi;
class QHttpServer;

/// Herald's service with its HTTP front, put together: the HeraldService, and the request gate,
/// QHttpServer and HttpApi that serve it on the configured port. It starts and stops them in
/// the order each needs: the service before the port opens, the port closed to new connections
/// before the streams get their farewell, the answers still on their way sent before the gate
/// lets go of its connections.
///
/// It lives on the service thread with everything it holds (see ServiceHost), but is made on
/// the thread that starts it.
class HeraldServer : public QObject
{
    Q_OBJECT

public:
    explicit HeraldServer(const ServiceConfig &config, QObject *parent = nullptr);
    ~HeraldServer() override;

    /// Starts the service and listens. Returns false with a message a person can act on.
    bool start(QString *errorMessage);
    /// Stops taking connections, stops the service, then closes what the gate still holds.
    void stop();

    HeraldService *service() const { return m_service; }
    quint16 port() const;
    /// The HTTPS port, or 0 without HTTPS.
    quint16 tlsPort() const;
    /// The certificate HTTPS is served with, or null without HTTPS.
    HttpsCertificate *httpsCertificate() const { return m_certificate; }
    /// Reads the certificate's files again (or renews Herald's own); connections open keep theirs.
    void reloadCertificate();

private:
    HeraldService *m_service;
    QHttpServer *m_httpServer;
    GatedTcpServer *m_tcpServer = nullptr;
    HttpApi *m_api = nullptr;
    HttpsCertificate *m_certificate = nullptr;
    bool m_stopped = false;
};
