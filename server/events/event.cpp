#include "event.h"

#include "eventstreamencoder.h"
#include "ntfymessage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace {

/// The value of the first "data: " field of an encoded event, up to the end of its line.
QByteArrayView firstDataField(const QByteArray &encoded, qsizetype *lineEnd)
{
    const qsizetype start = encoded.startsWith("data: ") ? 0 : encoded.indexOf("\ndata: ") + 1;
    *lineEnd = encoded.indexOf('\n', start);
    return QByteArrayView(encoded).sliced(start + 6, *lineEnd - start - 6);
}

} // namespace

std::shared_ptr<const Event> Event::create(quint64 id, const QString &type, const QString &topic, const QString &target,
                                           const QByteArray &data, qint64 publishedAtMs, const MessageFields &fields)
{
    auto event = std::make_shared<Event>();
    event->id = id;
    event->type = type;
    event->topic = topic;
    event->target = target;
    event->publishedAtMs = publishedAtMs;
    event->fields = fields;
    event->m_data = data;
    event->m_dataSize = data.size();
    event->m_dataHasCarriageReturn = data.contains('\r');
    return event;
}

std::shared_ptr<const Event> Event::edited(const Event &event, const QByteArray &data, const MessageFields &fields)
{
    auto edited = std::const_pointer_cast<Event>(
        create(event.id, event.type, event.topic, event.target, data, event.publishedAtMs, fields));
    edited->revision = event.revision + 1;
    return edited;
}

std::shared_ptr<const Event> Event::heartbeat(qint64 timeMs)
{
    auto event = std::make_shared<Event>();
    event->publishedAtMs = timeMs;
    event->m_heartbeat = true;
    for (QByteArray &bytes : event->m_encoded)
        bytes = QByteArray(""); // prepared, and empty
    const QByteArray comment = EventStreamEncoder::encodeComment("heartbeat");
    event->m_encoded[int(StreamFormat::Plain)] = comment;
    event->m_encoded[int(StreamFormat::Json)] = comment;
    return event;
}

std::shared_ptr<const Event> Event::notice(const QByteArray &encoded, const QString &topic, const QString &target,
                                           const QJsonObject &ntfyEvent, const MessageFields &fields)
{
    auto event = std::make_shared<Event>();
    event->topic = topic;
    event->target = target;
    event->fields = fields;
    for (int format = 0; format < StreamFormatCount; ++format) {
        const StreamFormat streamFormat = StreamFormat(format);
        if (!isNtfyFormat(streamFormat))
            event->m_encoded[format] = encoded;
        else if (!ntfyEvent.isEmpty())
            event->m_encoded[format] = NtfyMessage::encode(streamFormat, ntfyEvent);
        else
            event->m_encoded[format] = QByteArray(""); // prepared, and nothing to send
    }
    return event;
}

QByteArray Event::data() const
{
    if (!m_data.isNull())
        return m_data;
    qsizetype lineEnd = 0;
    if (isPrepared(StreamFormat::Json)) {
        // The envelope is one line of JSON, whose strings keep every character as it was.
        const QByteArrayView envelope = firstDataField(m_encoded[int(StreamFormat::Json)], &lineEnd);
        return QJsonDocument::fromJson(envelope.toByteArray())
            .object()
            .value(QStringLiteral("data"))
            .toString()
            .toUtf8();
    }
    // The plain encoding holds one data field per line; a text without CR is its lines joined with LF.
    const QByteArray &plain = m_encoded[int(StreamFormat::Plain)];
    QByteArray text;
    text.reserve(m_dataSize);
    QByteArrayView line = firstDataField(plain, &lineEnd);
    for (;;) {
        text += line;
        if (!QByteArrayView(plain).sliced(lineEnd + 1).startsWith("data: "))
            break;
        text += '\n';
        const qsizetype start = lineEnd + 1;
        lineEnd = plain.indexOf('\n', start);
        line = QByteArrayView(plain).sliced(start + 6, lineEnd - start - 6);
    }
    return text;
}

void Event::prepare(std::initializer_list<StreamFormat> formats) const
{
    bool made = false;
    for (StreamFormat format : formats) {
        if (!isPrepared(format)) {
            m_encoded[int(format)] = encode(format);
            made = true;
        }
    }
    // Only now is the text let go, so that no encoding had to be made from another.
    if (made && canRebuildData())
        m_data = QByteArray();
}

qsizetype Event::heldBytes() const
{
    qsizetype bytes = m_data.size();
    for (const QByteArray &encoded : m_encoded)
        bytes += encoded.size();
    return bytes;
}

bool Event::canRebuildData() const
{
    return isPrepared(StreamFormat::Json) || (isPrepared(StreamFormat::Plain) && !m_dataHasCarriageReturn);
}

QString Event::textOf(QByteArrayView utf8)
{
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(utf8);
}

QByteArray Event::compactJson(const QJsonObject &object)
{
    // Qt writes non-ASCII characters as UTF-8, and these three bytes can only be U+FEFF.
    return QJsonDocument(object).toJson(QJsonDocument::Compact).replace("\xEF\xBB\xBF", "\\ufeff");
}

QByteArray Event::encode(StreamFormat format) const
{
    const QByteArray text = data();
    if (format == StreamFormat::Plain)
        return EventStreamEncoder::encodeEvent(id, type, text);
    if (isNtfyFormat(format)) {
        if (!isForNtfyStreams())
            return QByteArray(""); // prepared, and for no ntfy stream
        return NtfyMessage::encode(format,
                                   NtfyMessage::message(id, revision, publishedAtMs, topic, textOf(text), fields), id);
    }

    return EventStreamEncoder::encodeEvent(id, QString(), compactJson(envelopeWith(text)));
}

QJsonObject Event::envelope() const
{
    return envelopeWith(data());
}

QJsonObject Event::envelopeWith(const QByteArray &text) const
{
    QJsonObject envelope{{QStringLiteral("data"), textOf(text)}, {QStringLiteral("time"), double(publishedAtMs)}};
    if (!type.isEmpty())
        envelope.insert(QStringLiteral("type"), type);
    if (!topic.isEmpty())
        envelope.insert(QStringLiteral("topic"), topic);
    if (!target.isEmpty())
        envelope.insert(QStringLiteral("to"), target);
    fields.addTo(envelope);
    if (revision)
        envelope.insert(QStringLiteral("revision"), double(revision));
    return envelope;
}

bool Event::isVisibleTo(const QString &clientId, const QStringList &clientTopics, StreamFormat format) const
{
    if (isNtfyFormat(format))
        return isForNtfyStreams() && clientTopics.contains(topic);
    return isVisibleTo(clientId, clientTopics);
}

bool Event::isVisibleTo(const QString &clientId, const QStringList &clientTopics) const
{
    if (!target.isEmpty() && target != clientId)
        return false;
    if (topic.isEmpty() || clientTopics.isEmpty())
        return true;
    return clientTopics.contains(topic);
}
