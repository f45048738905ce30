#include "ntfymessage.h"

#include "textrules.h"

#include "event.h"

#include <QJsonArray>
#include <QRandomGenerator>

namespace NtfyMessage {

namespace {
const QString IdKey = QStringLiteral("id");
const QString EventKey = QStringLiteral("event");
const QString MessageKind = QStringLiteral("message");
} // namespace

QJsonObject message(quint64 id, quint32 revision, qint64 timeMs, const QString &topic, const QString &text,
                    const MessageFields &fields)
{
    QJsonObject object{{IdKey, revision ? QStringLiteral("%1-%2").arg(id).arg(revision) : QString::number(id)},
                       {QStringLiteral("time"), timeMs / 1000},
                       {EventKey, MessageKind},
                       {QStringLiteral("topic"), topic},
                       {QStringLiteral("message"), text}};
    if (revision)
        object.insert(QStringLiteral("sequence_id"), QString::number(id));
    if (!fields.title.isEmpty())
        object.insert(QStringLiteral("title"), fields.title);
    if (fields.priority != MessageFields::DefaultPriority)
        object.insert(QStringLiteral("priority"), fields.priority);
    if (!fields.tags.isEmpty())
        object.insert(QStringLiteral("tags"), QJsonArray::fromStringList(fields.tags));
    if (!fields.click.isEmpty())
        object.insert(QStringLiteral("click"), fields.click);
    if (fields.markdown)
        object.insert(QStringLiteral("content_type"), QStringLiteral("text/markdown"));
    if (!fields.attachment.isEmpty())
        object.insert(QStringLiteral("attachment"), fields.attachment.toJson());
    return object;
}

QJsonObject event(const QString &kind, qint64 timeMs, const QString &topics)
{
    return {{IdKey, randomId()},
            {QStringLiteral("time"), timeMs / 1000},
            {EventKey, kind},
            {QStringLiteral("topic"), topics}};
}

QByteArray encode(StreamFormat format, const QJsonObject &object, quint64 sseId)
{
    const QString kind = object.value(EventKey).toString();
    switch (format) {
    case StreamFormat::Plain:
    case StreamFormat::Json:
        return {};
    case StreamFormat::NtfyRaw:
        if (kind != MessageKind)
            return QByteArrayLiteral("\n");
        return object.value(QStringLiteral("message"))
                   .toString()
                   .replace(QLatin1String("\r\n"), QLatin1String(" "))
                   .replace(u'\r', u' ')
                   .replace(u'\n', u' ')
                   .toUtf8()
            + '\n';
    case StreamFormat::NtfyJson:
        return Event::compactJson(object) + '\n';
    case StreamFormat::NtfySse: {
        QByteArray bytes;
        if (sseId)
            bytes += "id: " + QByteArray::number(sseId) + '\n';
        if (kind != MessageKind)
            bytes += "event: " + kind.toUtf8() + '\n';
        // Compact JSON is one line: its strings escape every line break.
        return bytes + "data: " + Event::compactJson(object) + "\n\n";
    }
    }
    return {};
}

QString randomId()
{
    return randomLettersAndDigits(10);
}

quint64 eventIdOf(QStringView messageId, bool *ok)
{
    const qsizetype dash = messageId.indexOf(u'-');
    if (dash >= 0) {
        const uint revision = messageId.sliced(dash + 1).toUInt(ok);
        if (!*ok || revision == 0)
            return 0;
        messageId = messageId.first(dash);
    }
    const quint64 id = messageId.toULongLong(ok);
    *ok = *ok && id > 0;
    return *ok ? id : 0;
}

} // namespace NtfyMessage
