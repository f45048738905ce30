#pragma once

#include "publishrequest.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

/// A message that waits for its time.
struct ScheduledMessage
{
    QString id; ///< 16 letters and digits
    PublishRequest request; ///< its idempotency key is the one its publisher gave, if any
    qint64 dueAtMs = 0; ///< since the Unix epoch
    qint64 createdAtMs = 0;
    QString origin; ///< who scheduled it, as the service names publishers ("http", "panel")

    /// The length of an id.
    static constexpr qsizetype IdLength = 16;

    /// Its request as GET /api/scheduled writes it: {"data", "event"?, "topic"?, "to"?, and the
    /// message fields that are set}.
    QJsonObject requestJson() const;
    /// All of it, as a schedule keeps it: requestJson() with its id, time, creation, origin and key.
    QJsonObject toJson() const;
    /// The message \a object keeps, or null when it is not one.
    static std::optional<ScheduledMessage> fromJson(const QJsonObject &object);
    /// The idempotency key its event is published with, so that it is published once, whatever
    /// happens between its publish and its leaving the schedule.
    QByteArray deliveryKey() const { return "herald-schedule:" + id.toLatin1(); }
};

/// The messages that wait for their time, as the service sees them, whether one Herald keeps them
/// in a file (ScheduledMessages) or the nodes of a cluster share them in Redis (ClusterSchedule).
/// Every answer comes through a callback, at once or once Redis has answered; on the thread the
/// schedule lives on.
class MessageSchedule : public QObject
{
    Q_OBJECT

public:
    /// Publishes \a message now; \a done says whether it went out (or had gone out before), or must
    /// be tried again later (the store cannot take it now).
    using Publish = std::function<void(const ScheduledMessage &message, std::function<void(bool published)> done)>;
    enum class Outcome { Done, NotFound, Unwritable, Invalid };
    struct Added
    {
        std::optional<ScheduledMessage> message; ///< null when it could not be kept
        bool duplicate = false; ///< one that waits had its idempotency key: that one
        QString error; ///< why it could not be kept
    };
    using AddDone = std::function<void(const Added &added)>;
    using CancelDone = std::function<void(Outcome outcome, const std::optional<ScheduledMessage> &cancelled)>;
    using ChangeDone = std::function<void(Outcome outcome)>;
    /// \a outcome: Done with the message, NotFound, or Unwritable when the schedule cannot be read now.
    using FindDone = std::function<void(const std::optional<ScheduledMessage> &message, Outcome outcome)>;
    using ListDone = std::function<void(const QList<ScheduledMessage> &messages, const QString &error)>;

    /// The most messages that wait at once.
    static constexpr int MaxMessages = 10'000;

    using QObject::QObject;

    /// What a publisher is told when MaxMessages wait already.
    static QString fullError();

    /// Reads what waits and starts the clock. False, with a message a person can act on, when it
    /// cannot.
    virtual bool open(QString *errorMessage) = 0;
    /// Schedules \a request for \a dueAtMs, made at \a nowMs.
    virtual void add(const PublishRequest &request, qint64 dueAtMs, qint64 nowMs, const QString &origin, AddDone done)
        = 0;
    /// Takes \a id off the schedule: it never goes out. \a done gets the message taken off.
    virtual void cancel(const QString &id, CancelDone done) = 0;
    /// Puts \a changed in the place of the message that waits under its id (with a new request or
    /// time); NotFound when none waits (gone, or being sent).
    virtual void change(const ScheduledMessage &changed, ChangeDone done) = 0;
    virtual void find(const QString &id, FindDone done) = 0;
    /// What waits, the soonest first; with an error when that cannot be read now.
    virtual void list(ListDone done) = 0;

Q_SIGNALS:
    /// The schedule changed: a message was added, changed, cancelled or sent.
    void changed();
};
