#include "servicehost.h"

#include "accesspolicy.h"
#include "attachmentanswers.h"

#include "heraldserver.h"
#include "heraldservice.h"
#include "httpscertificate.h"
#include "networkurls.h"
#include "tlssession.h"

#include <QMetaMethod>
#include <QThread>
#include <QUrl>

ServiceHost::ServiceHost(QObject *parent)
    : QObject(parent)
{}

ServiceHost::~ServiceHost()
{
    stop();
}

bool ServiceHost::start(const ServiceConfig &config, QString *errorMessage)
{
    stop();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("Herald service"));
    // It loads the HTTPS certificate: what OpenSSL keeps for it goes as it ends.
    connect(m_thread, &QThread::finished, m_thread, &TlsSession::endThread, Qt::DirectConnection);
    m_server = new HeraldServer(config);
    m_server->moveToThread(m_thread);
    m_service = m_server->service();
    // Connected before start(), which may already warn (an unwritable data folder).
    m_forwarding = {};
    if (isSignalConnected(QMetaMethod::fromSignal(&ServiceHost::eventPublished)))
        forwardPublished();
    connect(m_service, &HeraldService::eventRetracted, this, &ServiceHost::eventRetracted);
    connect(m_service, &HeraldService::eventEdited, this, &ServiceHost::eventEdited);
    connect(m_service, &HeraldService::warningRaised, this, &ServiceHost::warningRaised);
    connect(m_service, &HeraldService::historyFailed, this, &ServiceHost::historyFailed);
    connect(m_service, &HeraldService::historyRecovered, this, &ServiceHost::historyRecovered);
    m_thread->start();

    bool started = false;
    QMetaObject::invokeMethod(
        m_server,
        [&] {
            started = m_server->start(errorMessage);
            m_port = m_server->port();
            m_tlsPort = m_server->tlsPort();
            if (const HttpsCertificate *certificate = m_server->httpsCertificate()) {
                m_tlsFingerprint = certificate->fingerprint();
                m_authorityFingerprint = certificate->authorityFingerprint();
            }
            m_bindAddress = m_service->config().bindAddress;
            if (MessageSchedule *schedule = m_service->scheduled()) {
                const auto tell = [this, schedule] {
                    schedule->list([this](const QList<ScheduledMessage> &messages, const QString &error) {
                        if (!error.isEmpty())
                            return; // the list stays as it was until the schedule can be read
                        QMetaObject::invokeMethod(
                            this, [this, messages] { Q_EMIT scheduledChanged(messages); }, Qt::QueuedConnection);
                    });
                };
                connect(schedule, &MessageSchedule::changed, schedule, tell, Qt::DirectConnection);
                tell();
            }
            // The one the service uses, which it made itself if it was given none.
            m_readToken = m_service->config().hasReadToken() ? m_service->config().readToken : QString();
        },
        Qt::BlockingQueuedConnection);
    if (!started) {
        stop();
        return false;
    }
    return true;
}

QStringList ServiceHost::browserUrls() const
{
    return m_service ? ::browserUrls(m_bindAddress, m_port) : QStringList();
}

void ServiceHost::reloadCertificate()
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, &HeraldServer::reloadCertificate, Qt::QueuedConnection);
}

QStringList ServiceHost::httpsUrls() const
{
    return m_service && m_tlsPort ? ::browserUrls(m_bindAddress, m_tlsPort, true) : QStringList();
}

QStringList ServiceHost::joinUrls() const
{
    return withReaderToken(browserUrls());
}

QStringList ServiceHost::httpsJoinUrls() const
{
    return withReaderToken(httpsUrls());
}

QStringList ServiceHost::withReaderToken(QStringList urls) const
{
    if (!m_readToken.isEmpty()) {
        // Opening one once lets that browser in, to read only.
        const QString query = QLatin1String("?token=") + QString::fromLatin1(QUrl::toPercentEncoding(m_readToken));
        for (QString &url : urls)
            url += query;
    }
    return urls;
}

void ServiceHost::publish(const PublishRequest &request, const QString &origin, int tag, const File &file,
                          qint64 dueAtMs)
{
    if (!m_service) {
        Q_EMIT publishFinished(tag, {0, 0, PublishError::ShuttingDown, tr("Herald is not running")});
        return;
    }
    HeraldService *service = m_service;
    // A file is reached at the machine's first LAN address, where phones can open it.
    const QString baseUrl
        = fileBaseUrl("127.0.0.1:" + QByteArray::number(m_port), false, lanUrls(m_bindAddress, m_port));
    // The service answers on its thread, perhaps later (a sync of the disk), but always before
    // stop() returns, so this host is still there.
    QMetaObject::invokeMethod(
        service,
        [this, service, request, origin, tag, file, dueAtMs, baseUrl] {
            const auto finish = [this, tag](const PublishResult &result) {
                QMetaObject::invokeMethod(
                    this, [this, tag, result] { Q_EMIT publishFinished(tag, result); }, Qt::QueuedConnection);
            };
            const auto send = [service, origin, dueAtMs, finish](const PublishRequest &sent) {
                const auto settle = [service, finish, fields = sent.fields](const PublishResult &result) {
                    service->settleFile(fields, result);
                    finish(result);
                };
                if (dueAtMs > 0)
                    return service->schedule(sent, dueAtMs, origin, settle);
                service->publish(sent, origin, settle);
            };
            if (file.content.isEmpty())
                return send(request);
            service->attachFile(
                request, file.content, file.name, baseUrl, dueAtMs,
                [send, finish](const PublishRequest &withFile, const QString &error, AttachmentStore::Refusal) {
                    if (!error.isEmpty())
                        return finish({0, 0, PublishError::Invalid, error});
                    send(withFile);
                });
        },
        Qt::QueuedConnection);
}

void ServiceHost::cancelScheduled(const QString &id)
{
    if (HeraldService *service = m_service)
        QMetaObject::invokeMethod(
            service, [service, id] { service->cancelScheduled(id, [](MessageSchedule::Outcome) {}); },
            Qt::QueuedConnection);
}

void ServiceHost::changeScheduled(const QString &id, const QString &data, qint64 dueAtMs)
{
    HeraldService *service = m_service;
    if (!service)
        return;
    const auto refused = [this](const QString &problem) {
        QMetaObject::invokeMethod(
            this, [this, problem] { Q_EMIT warningRaised(tr("Not changed: %1").arg(problem)); }, Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(
        service,
        [service, id, data, dueAtMs, refused] {
            service->scheduled()->find(
                id, [=](const std::optional<ScheduledMessage> &message, MessageSchedule::Outcome found) {
                    if (found == MessageSchedule::Outcome::Unwritable)
                        return refused(tr("the schedule cannot be read now"));
                    if (!message)
                        return refused(tr("it went out or was cancelled meanwhile"));
                    PublishRequest request = message->request;
                    request.data = data.toUtf8();
                    service->changeScheduled(*message, request, dueAtMs,
                                             [refused](const HeraldService::ScheduleChange &change) {
                                                 if (change.outcome == MessageSchedule::Outcome::Invalid)
                                                     refused(change.error);
                                                 else if (change.outcome == MessageSchedule::Outcome::NotFound)
                                                     refused(tr("it went out or was cancelled meanwhile"));
                                                 else if (change.outcome == MessageSchedule::Outcome::Unwritable)
                                                     refused(tr("the schedule cannot be written now"));
                                             });
                });
        },
        Qt::QueuedConnection);
}

void ServiceHost::disconnectClient(const QString &id)
{
    if (HeraldService *service = m_service)
        QMetaObject::invokeMethod(
            service, [service, id] { service->disconnectClient(id, [](DisconnectOutcome) {}); }, Qt::QueuedConnection);
}

void ServiceHost::retract(quint64 id)
{
    if (HeraldService *service = m_service)
        QMetaObject::invokeMethod(
            service, [service, id] { service->retract(id, [](RetractOutcome) {}); }, Qt::QueuedConnection);
}

void ServiceHost::edit(quint64 id, const QString &data, const MessageFields &fields, int tag)
{
    HeraldService *service = m_service;
    if (!service) {
        Q_EMIT editFinished(tag, EditOutcome::Unavailable);
        return;
    }
    QMetaObject::invokeMethod(
        service,
        [this, service, id, data, fields, tag] {
            const auto finish = [this, tag](EditOutcome outcome) {
                QMetaObject::invokeMethod(
                    this, [this, tag, outcome] { Q_EMIT editFinished(tag, outcome); }, Qt::QueuedConnection);
            };
            const EventPointer current = service->findEvent(id);
            if (!current)
                return finish(EditOutcome::NotFound);
            // An edit changes the words and fields; the file stays the event's.
            MessageFields kept = fields;
            kept.attachment = current->fields.attachment;
            service->edit(Event::edited(*current, data.toUtf8(), kept), finish);
        },
        Qt::QueuedConnection);
}

void ServiceHost::requestSnapshot(bool everyNode)
{
    HeraldService *service = m_service;
    if (!service)
        return;
    QMetaObject::invokeMethod(
        service,
        [this, service, everyNode] {
            auto deliver = [this, service](const QList<StreamInfo> &streams) {
                const ServiceStats stats = service->stats();
                QMetaObject::invokeMethod(
                    this, [this, streams, stats] { Q_EMIT snapshotReady(streams, stats); }, Qt::QueuedConnection);
            };
            if (everyNode)
                service->clusterStreams(
                    [deliver](const QList<StreamInfo> &streams, const QString &) { deliver(streams); });
            else
                deliver(service->streams());
        },
        Qt::QueuedConnection);
}

void ServiceHost::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&ServiceHost::eventPublished))
        forwardPublished();
}

void ServiceHost::forwardPublished()
{
    // Published events cross to this thread in batches, one hop for all that came together. The
    // service describes them only while something listens here: not at all when headless.
    if (!m_service || m_forwarding)
        return;
    m_forwarding = connect(
        m_service, &HeraldService::eventPublished, this,
        [this](const PublishedEvent &event) {
            if (!isSignalConnected(QMetaMethod::fromSignal(&ServiceHost::eventPublished)))
                return;
            std::lock_guard<std::mutex> lock(m_publishedMutex);
            m_published.append(event);
            if (m_published.size() == 1)
                QMetaObject::invokeMethod(this, &ServiceHost::emitPublished, Qt::QueuedConnection);
        },
        Qt::DirectConnection);
}

void ServiceHost::emitPublished()
{
    QList<PublishedEvent> events;
    {
        std::lock_guard<std::mutex> lock(m_publishedMutex);
        events.swap(m_published);
    }
    for (const PublishedEvent &event : std::as_const(events))
        Q_EMIT eventPublished(event);
}

void ServiceHost::applySettings(const ServiceConfig &given)
{
    HeraldService *service = m_service;
    if (!service)
        return;
    // Settled here as the service settles it, so that joinUrls() is right at once.
    ServiceConfig config = given;
    config.settleReadToken(m_readToken);
    m_readToken = config.hasReadToken() ? config.readToken : QString();
    QMetaObject::invokeMethod(
        service, [service, config] { service->applySettings(config); }, Qt::QueuedConnection);
}

void ServiceHost::stop()
{
    if (!m_thread)
        return;
    if (m_server) {
        HeraldServer *server = m_server;
        QMetaObject::invokeMethod(
            server,
            [server] {
                server->stop();
                delete server;
            },
            Qt::BlockingQueuedConnection);
        m_server = nullptr;
        m_service = nullptr;
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_port = 0;
    m_readToken.clear();
}

QString ServiceHost::publisherKey(const QString &token)
{
    return QString::fromLatin1(AccessPolicy::publisherKey(token.toUtf8()));
}
