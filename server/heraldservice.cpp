#include "heraldservice.h"

#include "clusterfiles.h"
#include "clusterschedule.h"
#include "deliverytime.h"
#include "heraldnotices.h"
#include "localattachmentfiles.h"
#include "localeventstore.h"
#include "logging.h"
#include "ntfymessage.h"
#include "scheduledmessages.h"
#include "servicecluster.h"
#include "streamfanout.h"
#include "streamopening.h"

#include <QDateTime>
#include <QDir>
#include <QJsonObject>
#include <QMetaMethod>
#include <QTemporaryDir>
#include <QTimer>

namespace {

constexpr int ShutdownDeadlineMs = 1500;

AttachmentStore::Limits attachmentLimitsOf(const ServiceConfig &config)
{
    return {config.attachmentMaxBytes, config.attachmentTotalBytes, config.attachmentExpirySeconds,
            AttachmentStore::MaxFiles};
}

/// \a config, with a reader token of its own when it is private: whoever starts the service
/// (the window, the headless runner, a test), its audience never reads with the token.
ServiceConfig withReadToken(ServiceConfig config)
{
    const QString given = config.readToken;
    config.settleReadToken();
    if (config.readToken != given)
        qCInfo(lcService, "private without a reader token of its own: made one for this run");
    return config;
}

} // namespace

HeraldService::HeraldService(const ServiceConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(withReadToken(config))
{
    qRegisterMetaType<StreamInfo>();
    qRegisterMetaType<PublishedEvent>();
    qRegisterMetaType<ServiceStats>();
    qRegisterMetaType<PublishResult>();
}

HeraldService::~HeraldService()
{
    stop();
}

bool HeraldService::start(QString *errorMessage)
{
    m_uptime.start();
    m_config.maxStreams = m_config.streamsAllowed();

    if (!createStore(errorMessage))
        return false;
    connect(m_store, &EventStore::eventCommitted, this, &HeraldService::onEventCommitted);
    connect(m_store, &EventStore::eventRetracted, this, &HeraldService::onEventRetracted);
    connect(m_store, &EventStore::eventEdited, this, &HeraldService::onEventEdited);
    m_store->setPrepare([this](const Event &event) { prepareForStreams(event); });
    connect(m_store, &EventStore::eventsMissed, this, [this](quint64 lastSeenId) {
        qCWarning(lcService, "events after %llu are gone before this node could read them; every stream is told",
                  lastSeenId);
        const EventHistory &history = m_store->sharedHistory();
        m_fanOut->publish(
            Event::notice(HeraldNotice::gap(lastSeenId, history.oldestRetainedId(), history.lastId()), {}, {}));
    });
    connect(m_store, &EventStore::storageFailed, this, [this](const QString &message) {
        Q_EMIT warningRaised(message);
        Q_EMIT historyFailed(message);
    });
    connect(m_store, &EventStore::storageRecovered, this, [this] {
        qCInfo(lcService, "history reaches the disk again; publishing works again");
        Q_EMIT historyRecovered();
    });
    if (!m_store->open(errorMessage))
        return false;
    openAttachments();

    m_fanOut = new StreamFanOut(m_config.streamThreads, m_config.streamBufferBytes, this);
    connect(m_fanOut, &StreamFanOut::streamEnded, this, &HeraldService::onStreamEnded);
    if (!m_fanOut->start(errorMessage))
        return false;

    if (!openSchedule(errorMessage))
        return false;

    m_heartbeatTimer = new QTimer(this);
    m_heartbeatTimer->setInterval(qMax(1, m_config.heartbeatSeconds) * 1000);
    connect(m_heartbeatTimer, &QTimer::timeout, this,
            [this] { m_fanOut->publish(Event::heartbeat(QDateTime::currentMSecsSinceEpoch())); });
    m_heartbeatTimer->start();
    return true;
}

void HeraldService::joinCluster(const QString &nodeName)
{
    if (m_cluster)
        m_cluster->startNodes(nodeName, [this] { return m_registry.snapshot(); });
}

void HeraldService::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_heartbeatTimer)
        m_heartbeatTimer->stop();
    // Events still waiting for the disk are committed first, so the streams get them before
    // the farewell.
    if (m_cluster)
        m_cluster->leave();
    if (m_store)
        m_store->close();
    // This also runs what still waits for a pass, such as the answers to the last publishes.
    if (m_fanOut) {
        m_fanOut->closeAll(HeraldNotice::shutdown(m_store ? m_store->lastId() : 0), ShutdownDeadlineMs);
    }
    for (const StreamInfo &stream : m_registry.snapshot())
        m_registry.remove(stream.connection);
}

void HeraldService::openAttachments()
{
    if (m_cluster) {
        m_files = m_cluster->openFiles(attachmentLimitsOf(m_config));
        return;
    }
    QString folder = m_config.dataDirectory;
    if (folder.isEmpty()) {
        m_attachmentFolder = std::make_unique<QTemporaryDir>();
        folder = m_attachmentFolder->path();
    }
    auto files = std::make_unique<LocalAttachmentFiles>(QDir(folder).filePath(QStringLiteral("attachments")),
                                                        attachmentLimitsOf(m_config));
    if (!files->open(&m_attachmentsProblem)) {
        Q_EMIT warningRaised(m_attachmentsProblem);
        return;
    }
    m_localFiles = std::move(files);
    m_files = m_localFiles.get();
}

bool HeraldService::openSchedule(QString *errorMessage)
{
    const auto publishNow = [this](const ScheduledMessage &message, std::function<void(bool published)> done) {
        publish(message.request, message.origin,
                [done = std::move(done), id = message.id](const PublishResult &result) {
                    // One that can never go out (it breaks a rule made since) is dropped, with a warning.
                    if (result.error == PublishError::Invalid)
                        qCWarning(lcService, "scheduled message %s cannot go out: %s", qPrintable(id),
                                  qPrintable(result.message));
                    done(result.isAccepted() || result.error == PublishError::Invalid);
                });
    };
    if (m_cluster) {
        m_scheduled = m_cluster->openSchedule(publishNow);
    } else {
        const QString file = m_config.dataDirectory.isEmpty()
            ? QString()
            : QDir(m_config.dataDirectory).filePath(QStringLiteral("scheduled.json"));
        m_scheduled = new ScheduledMessages(file, publishNow, this);
    }
    return m_scheduled->open(errorMessage);
}

bool HeraldService::createStore(QString *errorMessage)
{
    if (m_config.clusterUrl.isEmpty()) {
        m_store = new LocalEventStore(m_config.dataDirectory, m_config.history, m_config.durability, this);
        return true;
    }
    m_cluster = ServiceCluster::create(m_config, this, errorMessage);
    if (!m_cluster)
        return false;
    connect(m_cluster, &ServiceCluster::disconnectRequested, this, &HeraldService::disconnectHere);
    m_store = m_cluster->store();
    return true;
}

HeraldService::Batch::Batch(HeraldService *service)
    : m_service(service)
{
    if (m_service->m_store)
        m_service->m_store->beginBatch();
    if (m_service->m_fanOut)
        m_service->m_fanOut->holdPublished();
}

HeraldService::Batch::~Batch()
{
    // The store commits first, so that the streams get every event of the batch in one go.
    if (m_service->m_store)
        m_service->m_store->endBatch();
    if (m_service->m_fanOut)
        m_service->m_fanOut->releasePublished();
}

void HeraldService::publish(const PublishRequest &request, const QString &origin, PublishDone done)
{
    const QString error = request.validationError();
    if (!error.isEmpty()) {
        done({0, 0, PublishError::Invalid, error});
        return;
    }
    if (m_stopped || !m_store) {
        done({0, 0, PublishError::ShuttingDown, ShuttingDownMessage});
        return;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_store->append(request, now.toMSecsSinceEpoch(),
                    [this, request, origin, now, done = std::move(done)](const EventStore::Appended &appended) {
                        done(resultOf(appended, request, origin, now));
                    });
}

PublishResult HeraldService::resultOf(const EventStore::Appended &appended, const PublishRequest &request,
                                      const QString &origin, const QDateTime &publishedAt)
{
    if (appended.duplicateOf) {
        // An earlier publish with the same idempotency key made the event: its id, no new one.
        PublishResult result{appended.duplicateOf, 0, PublishError::None, QString()};
        result.duplicate = true;
        return result;
    }
    if (!appended.event)
        return {0, 0, appended.error == PublishError::None ? PublishError::Unavailable : appended.error,
                appended.message};
    const Event &event = *appended.event;
    const PublishResult result{event.id, m_registry.recipientsOf(event), PublishError::None, QString()};
    // Described only for a listener (the window's log): headless, nothing is.
    static const QMetaMethod published = QMetaMethod::fromSignal(&HeraldService::eventPublished);
    if (isSignalConnected(published))
        Q_EMIT eventPublished(
            publishedEventOf(event, Event::textOf(request.data), publishedAt, result.queuedTo, origin));
    return result;
}

void HeraldService::publishBatch(const QList<PublishRequest> &requests, const QString &origin, BatchDone done)
{
    PublishedBatch refused;
    refused.refusal.error = PublishError::Invalid;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        if (const QString error = requests.at(i).validationError(); !error.isEmpty()) {
            refused.refusal.message = QStringLiteral("event %1: %2").arg(i + 1).arg(error);
            return done(refused);
        }
    }
    if (requests.isEmpty()) {
        refused.refusal.message = QStringLiteral("a batch needs an event");
        return done(refused);
    }
    if (m_stopped || !m_store) {
        refused.refusal = {0, 0, PublishError::ShuttingDown, ShuttingDownMessage};
        return done(refused);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const Batch together(this);
    m_store->appendBatch(
        requests, now.toMSecsSinceEpoch(),
        [this, requests, origin, now, done = std::move(done)](const QList<EventStore::Appended> &appended) {
            PublishedBatch batch;
            // The store takes a batch whole or not at all: one refused, all were.
            for (const EventStore::Appended &one : appended) {
                if (!one.event && !one.duplicateOf) {
                    batch.refusal = resultOf(one, {}, origin, now);
                    return done(batch);
                }
            }
            for (qsizetype i = 0; i < appended.size(); ++i)
                batch.results.append(resultOf(appended.at(i), requests.at(i), origin, now));
            done(batch);
        });
}

void HeraldService::schedule(const PublishRequest &request, qint64 dueAtMs, const QString &origin, PublishDone done)
{
    PublishResult refused;
    refused.error = PublishError::Invalid;
    if (refused.message = request.validationError(); !refused.message.isEmpty())
        return done(refused);
    if (refused.message = scheduleTimeError(dueAtMs); !refused.message.isEmpty())
        return done(refused);
    refused.error = PublishError::Unavailable;
    if (refused.message = storageProblem(); !refused.message.isEmpty())
        return done(refused);
    m_scheduled->add(request, dueAtMs, QDateTime::currentMSecsSinceEpoch(), origin,
                     [refused, done = std::move(done)](const MessageSchedule::Added &added) mutable {
                         if (!added.message) {
                             refused.message = added.error;
                             return done(refused);
                         }
                         PublishResult result;
                         result.scheduleId = added.message->id;
                         result.scheduledAtMs = added.message->dueAtMs;
                         result.duplicate = added.duplicate;
                         done(result);
                     });
}

QString HeraldService::scheduleTimeError(qint64 dueAtMs) const
{
    // A time read a moment ago as the shortest delay ("10s") is still taken now.
    constexpr qint64 ReadingMs = 1000;
    const qint64 ahead = dueAtMs - QDateTime::currentMSecsSinceEpoch();
    if (ahead < m_config.minimumDelayMs - ReadingMs || ahead > DeliveryTime::MaximumMs) {
        return QStringLiteral("a message can be scheduled from %1 seconds to 3 days ahead")
            .arg(m_config.minimumDelayMs / 1000);
    }
    return {};
}

void HeraldService::changeScheduled(const ScheduledMessage &waiting, const PublishRequest &request, qint64 dueAtMs,
                                    std::function<void(const ScheduleChange &change)> done)
{
    // A new time must be one a message can be scheduled for; new words alone may come late.
    QString error = request.validationError();
    if (error.isEmpty() && dueAtMs != waiting.dueAtMs)
        error = scheduleTimeError(dueAtMs);
    if (!error.isEmpty())
        return done({MessageSchedule::Outcome::Invalid, error, std::nullopt});
    ScheduledMessage changed = waiting;
    changed.request = request;
    changed.request.idempotencyKey = waiting.request.idempotencyKey;
    changed.dueAtMs = dueAtMs;
    // Its file lives for its lifetime from the message's new time.
    Attachment &attachment = changed.request.fields.attachment;
    const QString file = attachment.fileId();
    if (!file.isEmpty())
        attachment.expiresAt = qMax(attachment.expiresAt, dueAtMs / 1000 + m_config.attachmentExpirySeconds);
    m_scheduled->change(changed, [this, changed, file, done = std::move(done)](MessageSchedule::Outcome outcome) {
        if (outcome != MessageSchedule::Outcome::Done)
            return done({outcome, QString(), std::nullopt});
        const qint64 expiresAt = changed.request.fields.attachment.expiresAt;
        if (!file.isEmpty() && m_files)
            m_files->extend(file, expiresAt);
        done({outcome, QString(), changed});
    });
}

void HeraldService::cancelScheduled(const QString &id, std::function<void(MessageSchedule::Outcome outcome)> done)
{
    m_scheduled->cancel(id,
                        [this, done = std::move(done)](MessageSchedule::Outcome outcome,
                                                       const std::optional<ScheduledMessage> &cancelled) {
                            if (cancelled)
                                letFileGo(cancelled->request.fields);
                            done(outcome);
                        });
}

void HeraldService::attachFile(const PublishRequest &request, const QByteArray &content, const QString &name,
                               const QString &baseUrl, qint64 shownFromMs, AttachDone done)
{
    if (!m_files)
        return done(request, m_attachmentsProblem, AttachmentStore::Refusal::Unwritable);
    if (const QString error = Attachment::nameError(name); !error.isEmpty())
        return done(request, error, AttachmentStore::Refusal::BadName);
    const auto carry = [request, baseUrl, done = std::move(done)](const AttachmentStore::Kept &kept) {
        if (!kept.file)
            return done(request, kept.error, kept.refusal);
        const AttachmentStore::File &file = *kept.file;
        PublishRequest withFile = request;
        Attachment &attachment = withFile.fields.attachment;
        attachment.name = file.name;
        attachment.type = file.type;
        attachment.size = file.size;
        attachment.expiresAt = file.expiresAt;
        attachment.url = baseUrl + QLatin1String(Attachment::FilePath) + file.id
            + (file.extension().isEmpty() ? QString() : u'.' + file.extension());
        done(withFile, QString(), AttachmentStore::Refusal::None);
    };
    m_files->keep(content, name, QDateTime::currentMSecsSinceEpoch(), shownFromMs, carry);
}

void HeraldService::readFile(const QString &id, std::function<void(const AttachmentStore::Read &read)> done)
{
    if (!m_files || id.isEmpty())
        return done(AttachmentStore::notFoundRead());
    m_files->read(id, QDateTime::currentMSecsSinceEpoch(), std::move(done));
}

void HeraldService::settleFile(const MessageFields &fields, const PublishResult &result)
{
    const bool perhapsTaken = m_cluster && result.error == PublishError::Unavailable;
    if ((!result.isAccepted() && !perhapsTaken) || result.duplicate)
        letFileGo(fields);
}

void HeraldService::letFileGo(const MessageFields &fields)
{
    const QString file = fields.attachment.fileId();
    if (file.isEmpty())
        return;
    if (m_files)
        m_files->remove(file);
}

void HeraldService::onEventCommitted(const EventPointer &event)
{
    // Each stream format in use gets its encoding now, before any stream can reach the event.
    prepareForStreams(*event);
    m_fanOut->publish(event);
    ++m_published;
}

PublishedEvent HeraldService::publishedEventOf(const Event &event, const QString &text, const QDateTime &publishedAt,
                                               int queuedTo, const QString &origin)
{
    PublishedEvent published;
    published.id = event.id;
    published.type = event.type;
    published.topic = event.topic;
    published.target = event.target;
    published.data = text;
    published.fields = event.fields;
    published.revision = event.revision;
    published.publishedAt = publishedAt;
    published.queuedTo = queuedTo;
    published.origin = origin;
    return published;
}

void HeraldService::prepareForStreams(const Event &event) const
{
    for (int format = 0; format < StreamFormatCount; ++format) {
        if (m_registry.isInUse(StreamFormat(format)))
            event.prepare(StreamFormat(format));
    }
}

EventPointer HeraldService::findEvent(quint64 id) const
{
    return m_store ? m_store->sharedHistory().find(id) : EventPointer();
}

void HeraldService::edit(EventPointer edited, std::function<void(EditOutcome)> done)
{
    if (m_stopped || !m_store) {
        done(EditOutcome::Unavailable);
        return;
    }
    m_store->edit(std::move(edited), std::move(done));
}

void HeraldService::onEventEdited(const EventPointer &edited)
{
    // It goes where the event went. ntfy's streams get the new version as ntfy marks a message
    // that replaces another, without an SSE id, so that their readers' last id stays where it is.
    QJsonObject ntfyVersion;
    if (edited->isForNtfyStreams())
        ntfyVersion = NtfyMessage::message(edited->id, edited->revision, edited->publishedAtMs, edited->topic,
                                           Event::textOf(edited->data()), edited->fields);
    m_fanOut->publish(
        Event::notice(HeraldNotice::edit(*edited), edited->topic, edited->target, ntfyVersion, edited->fields));
    ++m_edited;
    qCInfo(lcService, "edited event %llu", edited->id);
    Q_EMIT eventEdited(publishedEventOf(*edited, Event::textOf(edited->data()),
                                        QDateTime::fromMSecsSinceEpoch(edited->publishedAtMs, Qt::UTC), 0, QString()));
}

void HeraldService::retract(quint64 id, std::function<void(RetractOutcome)> done)
{
    if (m_stopped || !m_store) {
        done(RetractOutcome::Unavailable);
        return;
    }
    m_store->retract(id, std::move(done));
}

void HeraldService::onEventRetracted(const EventPointer &event)
{
    letFileGo(event->fields);
    // It goes where the event went: a stream that could not see it hears nothing of it.
    // ntfy's streams saw it only when it was published to a topic for everyone; they are told
    // as ntfy tells its subscribers that a message was deleted.
    QJsonObject ntfyDelete;
    if (event->isForNtfyStreams()) {
        ntfyDelete
            = NtfyMessage::event(QStringLiteral("message_delete"), QDateTime::currentMSecsSinceEpoch(), event->topic);
        ntfyDelete.insert(QStringLiteral("sequence_id"), QString::number(event->id));
    }
    m_fanOut->publish(
        Event::notice(HeraldNotice::retract(event->id), event->topic, event->target, ntfyDelete, event->fields));
    ++m_retracted;
    qCInfo(lcService, "retracted event %llu", event->id);
    Q_EMIT eventRetracted(event->id);
}

void HeraldService::disconnectClient(const QString &clientId, std::function<void(DisconnectOutcome)> done)
{
    const bool here = disconnectHere(clientId);
    if (!m_cluster) {
        done(here ? DisconnectOutcome::Disconnected : DisconnectOutcome::NotFound);
        return;
    }
    m_cluster->disconnectEverywhere(clientId, here, std::move(done));
}

bool HeraldService::disconnectHere(const QString &clientId)
{
    const QList<quint64> connections = m_registry.connectionsOf(clientId);
    if (connections.isEmpty())
        return false;
    const QByteArray farewell = HeraldNotice::kicked();
    for (quint64 connection : connections) {
        m_fanOut->closeStream(connection, farewell);
        m_registry.remove(connection);
    }
    qCInfo(lcService, "disconnected client %s", qPrintable(clientId));
    return true;
}

void HeraldService::clusterStreams(std::function<void(const QList<StreamInfo> &, const QString &)> done)
{
    if (!m_cluster) {
        done(m_registry.snapshot(), QString());
        return;
    }
    m_cluster->clusterStreams(std::move(done));
}

QString HeraldService::storageProblem() const
{
    return m_store ? m_store->storageProblem() : QString();
}

EngineStatus HeraldService::engineStatus() const
{
    return m_store ? m_store->engineStatus() : EngineStatus();
}

void HeraldService::admitStreams(std::vector<StreamAdmission> admissions)
{
    // The shards take the whole batch at once. No event can be committed between a stream's
    // replay and its subscription: both happen on this thread, in this call.
    std::vector<StreamSubscription> subscriptions;
    subscriptions.reserve(admissions.size());
    for (StreamAdmission &admission : admissions)
        subscriptions.push_back(subscribe(admission));
    if (!subscriptions.empty())
        m_fanOut->addStreams(std::move(subscriptions));
}

StreamSubscription HeraldService::subscribe(StreamAdmission &admission)
{
    const StreamRequest &request = admission.request;
    StreamInfo &info = admission.info;
    info.connection = m_nextConnection++;
    info.clientId = request.clientId.isEmpty() ? QStringLiteral("anonymous-%1").arg(info.connection) : request.clientId;
    info.name = request.name;
    info.topics = request.topics;
    info.connectedAt = QDateTime::currentDateTimeUtc();
    const EventFilter isVisible = [&request, &info](const Event &event) {
        return request.sees(event, info.clientId);
    };

    StreamOpening opening
        = streamOpening(request, admission.responseHead, isVisible, *m_store, m_config.streamBufferBytes);
    StreamSubscription subscription;
    subscription.connection = info.connection;
    subscription.fd = admission.fd;
    subscription.tls = std::move(admission.tls);
    subscription.clientId = info.clientId;
    subscription.topics = info.topics;
    subscription.format = request.format;
    subscription.filter = request.filter;
    subscription.endAfterCatchUp = request.poll;
    subscription.preamble = std::move(opening.preamble);
    subscription.catchUp = opening.catchUp;
    subscription.counters = std::make_shared<StreamCounters>();
    m_registry.add(info, request, subscription.counters);
    qCDebug(lcService, "client %s connected from %s", qPrintable(info.clientId), qPrintable(info.address.toString()));
    return subscription;
}

void HeraldService::applySettings(const ServiceConfig &config)
{
    const ServiceConfig before = m_config;
    m_config.takeLiveSettings(config);
    m_config.settleReadToken(before.readToken); // links given out before keep working
    m_config.maxStreams = m_config.streamsAllowed();
    if (m_store)
        m_store->setLimits(m_config.history);
    if (m_files)
        m_files->setLimits(attachmentLimitsOf(m_config));
    if (m_heartbeatTimer && before.heartbeatSeconds != m_config.heartbeatSeconds)
        m_heartbeatTimer->setInterval(qMax(1, m_config.heartbeatSeconds) * 1000);
    if (m_fanOut && before.streamBufferBytes != m_config.streamBufferBytes)
        m_fanOut->setMaxQueuedBytes(m_config.streamBufferBytes);
    Q_EMIT settingsApplied();
}

void HeraldService::onStreamEnded(quint64 connection, StreamEnd reason)
{
    if (reason == StreamEnd::TooSlow) {
        ++m_droppedStreams;
        const QString clientId = m_registry.clientIdOf(connection);
        const QString message = QStringLiteral("disconnected client %1: it fell more than %2 bytes behind")
                                    .arg(clientId.isEmpty() ? QString::number(connection) : clientId)
                                    .arg(m_config.streamBufferBytes);
        qCWarning(lcService, "%s", qPrintable(message));
        Q_EMIT warningRaised(message);
    }
    m_registry.remove(connection);
}

ServiceStats HeraldService::stats() const
{
    ServiceStats figures;
    figures.streams = m_registry.streamCount();
    figures.clients = m_registry.clientCount();
    figures.published = m_published;
    figures.retracted = m_retracted;
    figures.edited = m_edited;
    figures.delivered = m_fanOut ? m_fanOut->deliveredTotal() : 0;
    figures.droppedStreams = m_droppedStreams;
    figures.bytesSent = m_registry.bytesSent();
    figures.historySize = m_store ? m_store->size() : 0;
    figures.historyBytes = m_store ? m_store->bytes() : 0;
    figures.lastId = m_store ? m_store->lastId() : 0;
    figures.uptimeSeconds = m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0;
    const EngineStatus engine = engineStatus();
    figures.engine = engine.name;
    figures.engineReachable = engine.reachable;
    figures.storageProblem = storageProblem();
    figures.lag = engine.lag;
    figures.nodes = m_cluster ? m_cluster->nodeCount() : 1;
    return figures;
}

quint64 HeraldService::fannedOutCount() const
{
    return m_fanOut ? m_fanOut->publishedCount() : 0;
}

void HeraldService::whenPassed(quint64 events, std::function<void()> action)
{
    if (!m_fanOut) {
        action();
        return;
    }
    m_fanOut->whenPassed(events, std::move(action));
}
