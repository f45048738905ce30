#include "scheduleanswers.h"

#include <QJsonDocument>

QJsonObject scheduledJson(const ScheduledMessage &message)
{
    QJsonObject object = message.requestJson();
    object.insert(QStringLiteral("id"), message.id);
    object.insert(QStringLiteral("scheduled"), message.dueAtMs / 1000);
    object.insert(QStringLiteral("created"), message.createdAtMs / 1000);
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
