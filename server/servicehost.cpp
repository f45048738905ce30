#include "servicehost.h"

#include "heraldservice.h"

#include <QThread>

ServiceHost::ServiceHost(QObject *parent)
    : QObject(parent)
{
}

ServiceHost::~ServiceHost()
{
    stop();
}

bool ServiceHost::start(const ServiceConfig &config, QString *errorMessage)
{
    stop();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("Herald service"));
    m_service = new HeraldService(config);
    m_service->moveToThread(m_thread);
    m_thread->start();

    bool started = false;
    QMetaObject::invokeMethod(
            m_service, [&] {
                started = m_service->start(errorMessage);
                m_port = m_service->port();
            },
            Qt::BlockingQueuedConnection);
    if (!started) {
        stop();
        return false;
    }
    return true;
}

void ServiceHost::stop()
{
    if (!m_thread)
        return;
    if (m_service) {
        HeraldService *service = m_service;
        QMetaObject::invokeMethod(
                service, [service] {
                    service->stop();
                    delete service;
                },
                Qt::BlockingQueuedConnection);
        m_service = nullptr;
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_port = 0;
}
