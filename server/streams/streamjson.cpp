#include "streamjson.h"

QJsonObject streamToJson(const StreamInfo &stream)
{
    QJsonObject object{
        {QStringLiteral("id"), stream.clientId},
        {QStringLiteral("connection"), double(stream.connection)},
        {QStringLiteral("name"), stream.name},
        {QStringLiteral("address"), stream.address.toString()},
        {QStringLiteral("userAgent"), stream.userAgent},
        // The protocol of a stream on the HTTPS port ("TLSv1.3"), null on plain HTTP.
        {QStringLiteral("tls"), stream.tlsProtocol.isEmpty() ? QJsonValue() : QJsonValue(stream.tlsProtocol)},
        {QStringLiteral("kernelTls"), stream.kernelTls},
        {QStringLiteral("topics"), QJsonArray::fromStringList(stream.topics)},
        {QStringLiteral("connectedAt"), stream.connectedAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("lastEventId"), double(stream.lastEventId)},
        {QStringLiteral("eventsSent"), double(stream.eventsSent)},
        {QStringLiteral("bytesSent"), double(stream.bytesSent)},
        {QStringLiteral("queuedBytes"), double(stream.queuedBytes)},
    };
    if (!stream.node.isEmpty())
        object.insert(QStringLiteral("node"), stream.node);
    return object;
}

StreamInfo streamFromJson(const QJsonObject &object)
{
    StreamInfo stream;
    stream.clientId = object.value(QStringLiteral("id")).toString();
    stream.connection = quint64(object.value(QStringLiteral("connection")).toDouble());
    stream.name = object.value(QStringLiteral("name")).toString();
    stream.address = QHostAddress(object.value(QStringLiteral("address")).toString());
    stream.userAgent = object.value(QStringLiteral("userAgent")).toString();
    stream.tlsProtocol = object.value(QStringLiteral("tls")).toString();
    stream.kernelTls = object.value(QStringLiteral("kernelTls")).toBool();
    for (const QJsonValue &topic : object.value(QStringLiteral("topics")).toArray())
        stream.topics.append(topic.toString());
    stream.connectedAt
        = QDateTime::fromString(object.value(QStringLiteral("connectedAt")).toString(), Qt::ISODateWithMs);
    stream.lastEventId = quint64(object.value(QStringLiteral("lastEventId")).toDouble());
    stream.eventsSent = quint64(object.value(QStringLiteral("eventsSent")).toDouble());
    stream.bytesSent = quint64(object.value(QStringLiteral("bytesSent")).toDouble());
    stream.queuedBytes = quint64(object.value(QStringLiteral("queuedBytes")).toDouble());
    stream.node = object.value(QStringLiteral("node")).toString();
    return stream;
}

QJsonArray streamsToJson(const QList<StreamInfo> &streams)
{
    QJsonArray list;
    for (const StreamInfo &stream : streams)
        list.append(streamToJson(stream));
    return list;
}
