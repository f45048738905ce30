#pragma once

#include "messageschedule.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QTimer;

/// The messages that wait for their time, and the clock that sends each when it comes.
///
/// Kept in a file of their own (a JSON array, replaced whole and synced on every change), so a
/// restart before a message's time still sends it at its time, and one after it sends it at once.
/// Each goes out through the publish function with its deliveryKey(): the store's idempotency
/// keys make a second publish of it (after a stop between its publish and the file's change) give
/// the first event back rather than a new one. Without a file they live in memory only.
///
/// Used on the service's thread.
class ScheduledMessages : public MessageSchedule
{
    Q_OBJECT

public:
    /// How long a message that could not go out waits before it is tried again.
    static constexpr int RetryMs = 5000;

    ScheduledMessages(const QString &filePath, Publish publish, QObject *parent = nullptr);

    /// Reads the file and starts the clock: what is past its time goes out at once. False, with a
    /// message a person can act on, when the file cannot be read.
    bool open(QString *errorMessage) override;

    // The schedule as the service uses it: each answers at once.
    void add(const PublishRequest &request, qint64 dueAtMs, qint64 nowMs, const QString &origin, AddDone done) override;
    void cancel(const QString &id, CancelDone done) override;
    void change(const ScheduledMessage &changed, ChangeDone done) override;
    void find(const QString &id, FindDone done) override;
    void list(ListDone done) override { done(m_messages, QString()); }

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
