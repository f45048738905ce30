#include "heraldnotices.h"

#include "event.h"
#include "eventstreamencoder.h"
#include "servicetypes.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace HeraldNotice {

namespace {
QByteArray encode(const QString &type, const QJsonObject &data)
{
    return EventStreamEncoder::encodeNotice(type,
                                            QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact)));
}
} // namespace

QByteArray gap(quint64 lastEventId, quint64 oldestRetainedId, quint64 lastId)
{
    return encode(
        QStringLiteral("herald-gap"),
        {{QStringLiteral("lastEventId"), QString::number(lastEventId)},
         {QStringLiteral("oldestRetainedId"), oldestRetainedId ? QString::number(oldestRetainedId) : QString()},
         {QStringLiteral("lastId"), QString::number(lastId)}});
}

QByteArray kicked()
{
    return encode(QStringLiteral("herald-kicked"),
                  {{QStringLiteral("message"), QStringLiteral("The operator disconnected this page")}});
}

QByteArray shutdown(quint64 lastId)
{
    return encode(
        QStringLiteral("herald-shutdown"),
        {{QStringLiteral("message"), ShuttingDownMessage}, {QStringLiteral("lastId"), QString::number(lastId)}});
}

QByteArray retract(quint64 id)
{
    return encode(QStringLiteral("herald-retract"), {{QStringLiteral("id"), double(id)}});
}

QByteArray edit(const Event &edited)
{
    QJsonObject data = edited.envelope();
    data.insert(QStringLiteral("id"), double(edited.id));
    return EventStreamEncoder::encodeNotice(QStringLiteral("herald-edit"), QString::fromUtf8(Event::compactJson(data)));
}

} // namespace HeraldNotice
