#include "eventstreamencoder.h"

namespace EventStreamEncoder {

namespace {

QByteArray encode(const quint64 *id, const QString &type, const QString &data)
{
    Q_ASSERT(isValidFieldValue(type));
    const QByteArray utf8 = data.toUtf8();

    QByteArray out;
    out.reserve(utf8.size() + type.size() + 48);
    if (id) {
        out += "id: ";
        out += QByteArray::number(*id);
        out += '\n';
    }
    if (!type.isEmpty()) {
        out += "event: ";
        out += type.toUtf8();
        out += '\n';
    }

    // Every CR, LF and CRLF ends a line; each line becomes its own data field so that the
    // browser joins them back with LF and no text can smuggle in a field of its own.
    qsizetype lineStart = 0;
    const qsizetype size = utf8.size();
    for (qsizetype i = 0; i <= size; ++i) {
        const bool atEnd = i == size;
        const char c = atEnd ? '\n' : utf8.at(i);
        if (c != '\r' && c != '\n')
            continue;
        out += "data: ";
        out += QByteArrayView(utf8.constData() + lineStart, i - lineStart);
        out += '\n';
        if (!atEnd && c == '\r' && i + 1 < size && utf8.at(i + 1) == '\n')
            ++i;
        lineStart = i + 1;
    }
    out += '\n';
    return out;
}

} // namespace

QByteArray encodeEvent(quint64 id, const QString &type, const QString &data)
{
    return encode(&id, type, data);
}

QByteArray encodeNotice(const QString &type, const QString &data)
{
    return encode(nullptr, type, data);
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
