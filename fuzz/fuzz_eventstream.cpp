/// Encodes arbitrary events and reads them back with the tests' spec parser, in one piece and in
/// two, so that no data can be lost, merged into another event or smuggled into a field of its own.
/// A retained event holds its text only inside its encodings: it must give it back exactly.
#include "event.h"
#include "eventstreamencoder.h"
#include "eventstreamparser.h"
#include "fuzzcheck.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtEndian>

namespace {

/// What a browser sees of \a data: every CRLF and lone CR becomes LF.
QString normalisedLineBreaks(QString data)
{
    data.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    data.replace(u'\r', u'\n');
    return data;
}

QString withoutLineBreaksOrNul(QString text)
{
    text.removeIf([](QChar c) { return c == u'\r' || c == u'\n' || c == u'\0'; });
    return text;
}

QList<EventStreamParser::Event> parseInTwo(const QByteArray &stream, qsizetype split, EventStreamParser *parser)
{
    QList<EventStreamParser::Event> events = parser->feed(stream.first(split));
    events += parser->feed(stream.sliced(split));
    return events;
}

void requireOneEvent(const QList<EventStreamParser::Event> &events, const QString &type, const QString &data,
                     const QString &lastEventId)
{
    require(events.size() == 1);
    require(events.first().type == (type.isEmpty() ? QStringLiteral("message") : type));
    require(events.first().data == normalisedLineBreaks(data));
    require(events.first().lastEventId == lastEventId);
}

} // namespace

// Input: 8 bytes of id, 1 byte choosing where to split the stream, the type up to a NUL, the data.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size < 9)
        return 0;
    const quint64 id = qFromLittleEndian<quint64>(bytes);
    const uchar splitChoice = bytes[8];
    QByteArrayView rest(reinterpret_cast<const char *>(bytes) + 9, qsizetype(size) - 9);
    const qsizetype nul = rest.indexOf('\0');
    const QString type = withoutLineBreaksOrNul(QString::fromUtf8(nul < 0 ? QByteArrayView() : rest.first(nul)));
    const QString data = QString::fromUtf8(nul < 0 ? rest : rest.sliced(nul + 1));
    require(EventStreamEncoder::isValidFieldValue(type));

    const QByteArray utf8 = data.toUtf8();
    const QByteArray event = EventStreamEncoder::encodeEvent(id, type, utf8);
    const QString idText = QString::number(id);
    {
        EventStreamParser parser;
        requireOneEvent(parser.feed(event), type, data, idText);
        require(parser.lastEventId() == idText);
    }
    {
        EventStreamParser parser;
        requireOneEvent(parseInTwo(event, splitChoice % (event.size() + 1), &parser), type, data, idText);
    }

    // Whichever encodings an event holds, its text comes back exactly, and an encoding made
    // later from that text is the same as one made at once.
    for (const auto &first : {StreamFormat::Plain, StreamFormat::Json}) {
        const EventPointer held = Event::create(id, type, QStringLiteral("topic"), QString(), utf8, 1'700'000'000'000);
        held->prepare(first);
        require(held->data() == utf8);
        held->prepare(first == StreamFormat::Plain ? StreamFormat::Json : StreamFormat::Plain);
        require(held->data() == utf8);
        require(held->encodedFor(StreamFormat::Plain) == event);
        EventStreamParser parser;
        const QList<EventStreamParser::Event> json = parser.feed(held->encodedFor(StreamFormat::Json));
        require(json.size() == 1 && json.first().type == QStringLiteral("message"));
    }

    // A notice must leave the last event id alone.
    const QByteArray notice = EventStreamEncoder::encodeNotice(type, data);
    {
        EventStreamParser parser;
        parser.feed(event);
        requireOneEvent(parseInTwo(notice, splitChoice % (notice.size() + 1), &parser), type, data, idText);
    }

    // A comment of any bytes and a retry are never an event.
    {
        EventStreamParser parser;
        const int retry = int(id & 0x7fffffff);
        const QByteArray stream = EventStreamEncoder::encodeComment(rest) + EventStreamEncoder::encodeRetry(retry);
        require(parseInTwo(stream, splitChoice % (stream.size() + 1), &parser).isEmpty());
        require(parser.comments() == 1);
        require(parser.retry() == retry);
    }
    return 0;
}
