#include "event.h"

#include "eventstreamencoder.h"

#include <QJsonDocument>
#include <QJsonObject>

bool Event::isVisibleTo(const QString &clientId, const QStringList &clientTopics) const
{
    if (!target.isEmpty() && target != clientId)
        return false;
    if (topic.isEmpty() || clientTopics.isEmpty())
        return true;
    return clientTopics.contains(topic);
}

EventPointer Event::create(quint64 id, const QString &type, const QString &topic,
                           const QString &target, const QString &data, qint64 publishedAtMs)
{
    auto event = std::make_shared<Event>();
    event->id = id;
    event->type = type;
    event->topic = topic;
    event->target = target;
    event->data = data;
    event->publishedAtMs = publishedAtMs;
    event->encoded = EventStreamEncoder::encodeEvent(id, type, data);

    QJsonObject envelope{{QStringLiteral("data"), data},
                         {QStringLiteral("time"), double(publishedAtMs)}};
    if (!type.isEmpty())
        envelope.insert(QStringLiteral("type"), type);
    if (!topic.isEmpty())
        envelope.insert(QStringLiteral("topic"), topic);
    if (!target.isEmpty())
        envelope.insert(QStringLiteral("to"), target);
    event->encodedJson = EventStreamEncoder::encodeEvent(
            id, QString(), QString::fromUtf8(QJsonDocument(envelope).toJson(QJsonDocument::Compact)));
    return event;
}
