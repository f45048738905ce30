#pragma once

#include "serviceconfig.h"

#include <QObject>

class HeraldService;
class QThread;

/// Runs a HeraldService on a thread of its own, so that a busy service never freezes a window.
/// The host's owner talks to the service through its signals (queued) and through
/// QMetaObject::invokeMethod on service().
class ServiceHost : public QObject
{
    Q_OBJECT

public:
    explicit ServiceHost(QObject *parent = nullptr);
    ~ServiceHost() override;

    /// Starts the service on its thread and waits until it listens or has failed.
    bool start(const ServiceConfig &config, QString *errorMessage);
    /// Shuts the service down gracefully and waits for its thread to finish.
    void stop();

    bool isRunning() const { return m_service != nullptr; }
    quint16 port() const { return m_port; }
    HeraldService *service() const { return m_service; }

private:
    QThread *m_thread = nullptr;
    HeraldService *m_service = nullptr;
    quint16 m_port = 0;
};
