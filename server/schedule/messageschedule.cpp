#include "messageschedule.h"

#include "event.h"

QJsonObject ScheduledMessage::requestJson() const
{
    QJsonObject object{{QStringLiteral("data"), Event::textOf(request.data)}};
    if (!request.type.isEmpty())
        object.insert(QStringLiteral("event"), request.type);
    if (!request.topic.isEmpty())
        object.insert(QStringLiteral("topic"), request.topic);
    if (!request.target.isEmpty())
        object.insert(QStringLiteral("to"), request.target);
    request.fields.addTo(object);
    return object;
}

QJsonObject ScheduledMessage::toJson() const
{
    QJsonObject object = requestJson();
    object.insert(QStringLiteral("id"), id);
    object.insert(QStringLiteral("due"), dueAtMs);
    object.insert(QStringLiteral("created"), createdAtMs);
    object.insert(QStringLiteral("origin"), origin);
    if (!request.idempotencyKey.isEmpty())
        object.insert(QStringLiteral("key"), QString::fromUtf8(request.idempotencyKey));
    return object;
}

std::optional<ScheduledMessage> ScheduledMessage::fromJson(const QJsonObject &object)
{
    ScheduledMessage message;
    message.id = object.value(QStringLiteral("id")).toString();
    message.request.data = object.value(QStringLiteral("data")).toString().toUtf8();
    message.request.type = object.value(QStringLiteral("event")).toString();
    message.request.topic = object.value(QStringLiteral("topic")).toString();
    message.request.target = object.value(QStringLiteral("to")).toString();
    message.request.idempotencyKey = object.value(QStringLiteral("key")).toString().toUtf8();
    message.request.fields = MessageFields::from(object);
    message.dueAtMs = qint64(object.value(QStringLiteral("due")).toDouble());
    message.createdAtMs = qint64(object.value(QStringLiteral("created")).toDouble());
    message.origin = object.value(QStringLiteral("origin")).toString();
    if (message.id.size() != IdLength || message.dueAtMs <= 0 || !message.request.validationError().isEmpty())
        return std::nullopt;
    return message;
}

QString MessageSchedule::fullError()
{
    return QStringLiteral("%1 messages wait already, the most Herald holds: cancel some, or send them now")
        .arg(MaxMessages);
}
