#include "scheduledmessages.h"

#include "event.h"
#include "textrules.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QTimer>

#include <algorithm>

namespace {

/// The clock looks again at least this often, so that a change of the system's time is noticed.
constexpr qint64 LongestWaitMs = 60'000;

} // namespace

ScheduledMessages::ScheduledMessages(const QString &filePath, Publish publish, QObject *parent)
    : MessageSchedule(parent)
    , m_filePath(filePath)
    , m_publish(std::move(publish))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &ScheduledMessages::sendDue);
}

bool ScheduledMessages::open(QString *errorMessage)
{
    m_messages.clear();
    if (!m_filePath.isEmpty() && QFile::exists(m_filePath)) {
        QFile file(m_filePath);
        QJsonParseError parseError;
        const QJsonDocument document
            = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll(), &parseError) : QJsonDocument();
        if (!document.isArray()) {
            *errorMessage = QStringLiteral("Herald cannot read its scheduled messages from %1: %2. Move the file "
                                           "away to start without them")
                                .arg(QDir::toNativeSeparators(m_filePath),
                                     file.error() != QFile::NoError ? file.errorString() : parseError.errorString());
            return false;
        }
        for (const QJsonValue value : document.array()) {
            if (std::optional<ScheduledMessage> message = ScheduledMessage::fromJson(value.toObject()))
                m_messages.append(*message);
        }
        sort();
    }
    sendDue();
    return true;
}

std::optional<ScheduledMessage> ScheduledMessages::add(const PublishRequest &request, qint64 dueAtMs, qint64 nowMs,
                                                       const QString &origin, bool *duplicate, QString *error)
{
    *duplicate = false;
    if (!request.idempotencyKey.isEmpty()) {
        for (const ScheduledMessage &waiting : std::as_const(m_messages)) {
            if (waiting.request.idempotencyKey == request.idempotencyKey) {
                *duplicate = true;
                return waiting;
            }
        }
    }
    if (m_messages.size() >= MaxMessages) {
        *error = fullError();
        return std::nullopt;
    }
    ScheduledMessage message;
    do {
        message.id = randomLettersAndDigits(ScheduledMessage::IdLength);
    } while (find(message.id));
    message.request = request;
    message.dueAtMs = dueAtMs;
    message.createdAtMs = nowMs;
    message.origin = origin;
    m_messages.append(message);
    sort();
    if (!save(error)) {
        m_messages.removeIf([&](const ScheduledMessage &m) { return m.id == message.id; });
        return std::nullopt;
    }
    arm();
    Q_EMIT changed();
    return message;
}

ScheduledMessages::Outcome ScheduledMessages::cancel(const QString &id)
{
    const auto it = std::find_if(m_messages.begin(), m_messages.end(),
                                 [&](const ScheduledMessage &message) { return message.id == id; });
    if (it == m_messages.end() || m_sending.contains(id))
        return Outcome::NotFound; // gone, or going out now
    const ScheduledMessage kept = *it;
    m_messages.erase(it);
    QString error;
    if (!save(&error)) {
        m_messages.append(kept);
        sort();
        return Outcome::Unwritable;
    }
    arm();
    Q_EMIT changed();
    return Outcome::Done;
}

ScheduledMessages::Outcome ScheduledMessages::change(const QString &id, const PublishRequest &request, qint64 dueAtMs)
{
    const auto it = std::find_if(m_messages.begin(), m_messages.end(),
                                 [&](const ScheduledMessage &message) { return message.id == id; });
    if (it == m_messages.end() || m_sending.contains(id))
        return Outcome::NotFound;
    const ScheduledMessage before = *it;
    it->request = request;
    it->request.idempotencyKey = before.request.idempotencyKey;
    it->dueAtMs = dueAtMs;
    sort();
    QString error;
    if (!save(&error)) {
        for (ScheduledMessage &message : m_messages) {
            if (message.id == id)
                message = before;
        }
        sort();
        return Outcome::Unwritable;
    }
    arm();
    Q_EMIT changed();
    return Outcome::Done;
}

void ScheduledMessages::add(const PublishRequest &request, qint64 dueAtMs, qint64 nowMs, const QString &origin,
                            AddDone done)
{
    Added added;
    added.message = add(request, dueAtMs, nowMs, origin, &added.duplicate, &added.error);
    done(added);
}

void ScheduledMessages::cancel(const QString &id, CancelDone done)
{
    const std::optional<ScheduledMessage> message = find(id);
    const Outcome outcome = cancel(id);
    done(outcome, outcome == Outcome::Done ? message : std::nullopt);
}

void ScheduledMessages::change(const ScheduledMessage &changed, ChangeDone done)
{
    done(change(changed.id, changed.request, changed.dueAtMs));
}

void ScheduledMessages::find(const QString &id, FindDone done)
{
    const std::optional<ScheduledMessage> message = find(id);
    done(message, message ? Outcome::Done : Outcome::NotFound);
}

std::optional<ScheduledMessage> ScheduledMessages::find(const QString &id) const
{
    for (const ScheduledMessage &message : m_messages) {
        if (message.id == id)
            return message;
    }
    return std::nullopt;
}

bool ScheduledMessages::save(QString *error) const
{
    if (m_filePath.isEmpty())
        return true;
    QJsonArray array;
    for (const ScheduledMessage &message : m_messages)
        array.append(message.toJson());
    // Unbuffered: a buffered QSaveFile commits a file cut short by a full disk as if whole.
    QSaveFile file(m_filePath);
    const QByteArray json = QJsonDocument(array).toJson(QJsonDocument::Compact);
    if (file.open(QIODevice::WriteOnly | QIODevice::Unbuffered) && file.write(json) == json.size() && file.commit())
        return true;
    *error
        = QStringLiteral("Herald cannot write its scheduled messages to %1: %2")
              .arg(QDir::toNativeSeparators(m_filePath),
                   file.error() == QFileDevice::NoError ? QStringLiteral("the disk may be full") : file.errorString());
    return false;
}

void ScheduledMessages::sort()
{
    std::stable_sort(m_messages.begin(), m_messages.end(),
                     [](const ScheduledMessage &a, const ScheduledMessage &b) { return a.dueAtMs < b.dueAtMs; });
}

qint64 ScheduledMessages::nextAttemptMs(const ScheduledMessage &message) const
{
    return qMax(message.dueAtMs, m_retryAtMs.value(message.id));
}

void ScheduledMessages::sendDue()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<ScheduledMessage> due;
    for (const ScheduledMessage &message : std::as_const(m_messages)) {
        if (nextAttemptMs(message) <= now && !m_sending.contains(message.id))
            due.append(message);
    }
    for (const ScheduledMessage &message : std::as_const(due)) {
        m_sending.append(message.id);
        ScheduledMessage delivery = message;
        delivery.request.idempotencyKey = message.deliveryKey();
        // Its done may come before publish returns.
        m_publish(delivery, [this, id = message.id](bool published) {
            m_sending.removeAll(id);
            if (!published) {
                // The store cannot take it now: it stays, and is tried again soon.
                m_retryAtMs.insert(id, QDateTime::currentMSecsSinceEpoch() + RetryMs);
                arm();
                return;
            }
            m_retryAtMs.remove(id);
            m_messages.removeIf([&](const ScheduledMessage &m) { return m.id == id; });
            QString error;
            save(&error); // unwritten, a restart publishes it again: its key makes that no new event
            Q_EMIT changed();
        });
    }
    arm();
}

void ScheduledMessages::arm()
{
    qint64 next = -1;
    for (const ScheduledMessage &message : std::as_const(m_messages)) {
        if (!m_sending.contains(message.id) && (next < 0 || nextAttemptMs(message) < next))
            next = nextAttemptMs(message);
    }
    if (next < 0)
        return m_timer->stop();
    m_timer->start(int(qBound<qint64>(0, next - QDateTime::currentMSecsSinceEpoch(), LongestWaitMs)));
}
