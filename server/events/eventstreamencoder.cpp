#include "eventstreamencoder.h"

namespace EventStreamEncoder {

namespace {

/// Calls \a line with each line of \a text: every CR, LF and CRLF ends one.
template<typename LineFunction>
void forEachLine(QByteArrayView text, LineFunction line)
{
    qsizetype lineStart = 0;
    const qsizetype size = text.size();
    for (qsizetype i = 0; i <= size; ++i) {
        const bool atEnd = i == size;
        const char c = atEnd ? '\n' : text.at(i);
        if (c != '\r' && c != '\n')
            continue;
        line(text.sliced(lineStart, i - lineStart));
        if (!atEnd && c == '\r' && i + 1 < size && text.at(i + 1) == '\n')
            ++i;
        lineStart = i + 1;
    }
}

QByteArray encode(const quint64 *id, const QString &type, QByteArrayView data)
{
    Q_ASSERT(isValidFieldValue(type));
    const QByteArray idText = id ? QByteArray::number(*id) : QByteArray();
    const QByteArray typeText = type.toUtf8();

    // Retained events are held in this form, so it is made at its exact size.
    static constexpr QByteArrayView IdField = "id: ", TypeField = "event: ", DataField = "data: ";
    qsizetype size = 1; // the blank line that dispatches the event
    if (id)
        size += IdField.size() + idText.size() + 1;
    if (!type.isEmpty())
        size += TypeField.size() + typeText.size() + 1;
    forEachLine(data, [&](QByteArrayView line) { size += DataField.size() + line.size() + 1; });

    QByteArray out;
    out.reserve(size);
    if (id) {
        out += IdField;
        out += idText;
        out += '\n';
    }
    if (!type.isEmpty()) {
        out += TypeField;
        out += typeText;
        out += '\n';
    }
    // Each line becomes its own data field, so that the browser joins them back with LF and
    // no text can smuggle in a field of its own.
    forEachLine(data, [&](QByteArrayView line) {
        out += DataField;
        out += line;
        out += '\n';
    });
    out += '\n';
    Q_ASSERT(out.size() == size);
    return out;
}

} // namespace

QByteArray encodeEvent(quint64 id, const QString &type, QByteArrayView data)
{
    return encode(&id, type, data);
}

QByteArray encodeNotice(const QString &type, const QString &data)
{
    return encode(nullptr, type, data.toUtf8());
}

QByteArray encodeComment(QByteArrayView text)
{
    QByteArray out(":");
    if (!text.isEmpty()) {
        out += ' ';
        for (char c : text) {
            if (c != '\r' && c != '\n')
                out += c;
        }
    }
    out += "\n\n";
    return out;
}

QByteArray encodeRetry(int milliseconds)
{
    return "retry: " + QByteArray::number(qMax(0, milliseconds)) + "\n\n";
}

bool isValidFieldValue(QStringView value)
{
    for (QChar c : value) {
        if (c == u'\r' || c == u'\n' || c == u'\0')
            return false;
    }
    return true;
}

} // namespace EventStreamEncoder
