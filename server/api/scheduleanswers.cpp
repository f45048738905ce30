#include "scheduleanswers.h"

#include "event.h"

#include <QJsonDocument>

QJsonObject scheduledJson(const ScheduledMessage &message)
{
    QJsonObject object{{QStringLiteral("id"), message.id},
                       {QStringLiteral("scheduled"), message.dueAtMs / 1000},
                       {QStringLiteral("created"), message.createdAtMs / 1000},
                       {QStringLiteral("data"), Event::textOf(message.request.data)}};
    if (!message.request.type.isEmpty())
        object.insert(QStringLiteral("event"), message.request.type);
    if (!message.request.topic.isEmpty())
        object.insert(QStringLiteral("topic"), message.request.topic);
    if (!message.request.target.isEmpty())
        object.insert(QStringLiteral("to"), message.request.target);
    message.request.fields.addTo(object);
    return object;
}

PublishDecoding decodeScheduledChange(QByteArrayView contentType, const QByteArray &body, qint64 maxBodyBytes,
                                      const ScheduledMessage &message)
{
    QJsonObject object = QJsonDocument::fromJson(body).object();
    bool delayOk = false;
    const QString delay = deliveryTimeText(object, &delayOk);
    if (!delayOk) {
        return PublishDecoding::refused(PublishRefusal::Malformed,
                                        QStringLiteral("\"delay\" must be a string such as \"10m\" or \"14:55\""));
    }
    object.remove(QStringLiteral("delay"));
    PublishDecoding decoding;
    decoding.request = message.request;
    if (delay.isEmpty() || !object.isEmpty()) {
        // The rest is an edit's, as PUT /api/events/<id> takes it.
        const PublishDecoding edit = decodeEventEdit(
            contentType, delay.isEmpty() ? body : QJsonDocument(object).toJson(QJsonDocument::Compact), maxBodyBytes,
            message.request.data, message.request.fields);
        if (!edit.isValid())
            return edit;
        decoding.request.data = edit.request.data;
        decoding.request.fields = edit.request.fields;
    }
    decoding.delay = delay;
    return decoding;
}
