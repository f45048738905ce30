#pragma once

#include "publishrequest.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QTimer;

/// A message that waits for its time.
struct ScheduledMessage
{
    QString id; ///< 16 letters and digits
    PublishRequest request; ///< its idempotency key is the one its publisher gave, if any
    qint64 dueAtMs = 0; ///< since the Unix epoch
    qint64 createdAtMs = 0;
    QString origin; ///< who scheduled it, as the service names publishers ("http", "panel")

    /// Its request as the schedule's file and GET /api/scheduled write it: {"data", "event"?,
    /// "topic"?, "to"?, and the message fields that are set}.
    QJsonObject requestJson() const;
    /// The idempotency key its event is published with, so that it is published once, whatever
    /// happens between its publish and its leaving the schedule.
    QByteArray deliveryKey() const { return "herald-schedule:" + id.toLatin1(); }
};

/// The messages that wait for their time, and the clock that sends each when it comes.
///
/// Kept in a file of their own (a JSON array, replaced whole and synced on every change), so a
/// restart before a message's time still sends it at its time, and one after it sends it at once.
/// Each goes out through the publish function with its deliveryKey(): the store's idempotency
/// keys make a second publish of it (after a stop between its publish and the file's change) give
/// the first event back rather than a new one. Without a file they live in memory only.
///
/// Used on the service's thread.
class ScheduledMessages : public QObject
{
    Q_OBJECT

public:
    /// Publishes \a message now; \a done says whether it went out (or had gone out before), or must
    /// be tried again later (the store cannot take it now).
    using Publish = std::function<void(const ScheduledMessage &message, std::function<void(bool published)> done)>;
    enum class Outcome { Done, NotFound, Unwritable };

    /// The most messages that wait at once: each is written again with every change.
    static constexpr int MaxMessages = 10'000;
    /// How long a message that could not go out waits before it is tried again.
    static constexpr int RetryMs = 5000;

    ScheduledMessages(const QString &filePath, Publish publish, QObject *parent = nullptr);

    /// Reads the file and starts the clock: what is past its time goes out at once. False, with a
    /// message a person can act on, when the file cannot be read.
    bool open(QString *errorMessage);

    /// Schedules \a request for \a dueAtMs, made at \a nowMs. A request whose idempotency key one
    /// that waits had gets that one back, and \a duplicate says so. Null, with \a error, when the
    /// schedule cannot be written.
    std::optional<ScheduledMessage> add(const PublishRequest &request, qint64 dueAtMs, qint64 nowMs,
                                        const QString &origin, bool *duplicate, QString *error);
    /// Takes \a id off the schedule: it never goes out.
    Outcome cancel(const QString &id);
    /// Gives \a id the request \a request (text and fields) and the time \a dueAtMs.
    Outcome change(const QString &id, const PublishRequest &request, qint64 dueAtMs);
    /// What waits, the soonest first.
    QList<ScheduledMessage> pending() const { return m_messages; }
    std::optional<ScheduledMessage> find(const QString &id) const;
    qsizetype count() const { return m_messages.size(); }

Q_SIGNALS:
    /// The schedule changed: a message was added, changed, cancelled or sent.
    void changed();

private:
    /// Writes the schedule as it is; false, with \a error, when it could not.
    bool save(QString *error) const;
    void sort();
    /// Sends what is due and sets the clock for the next one.
    void sendDue();
    void arm();
    /// When \a message may go out: its time, or later after an attempt that failed.
    qint64 nextAttemptMs(const ScheduledMessage &message) const;

    QString m_filePath;
    Publish m_publish;
    QList<ScheduledMessage> m_messages; ///< the soonest first
    QStringList m_sending; ///< ids on their way out
    QHash<QString, qint64> m_retryAtMs; ///< of ids whose publish failed
    QTimer *m_timer;
};
