#include "chunkedbody.h"

#include "httpsyntax.h"

#include <algorithm>

namespace {

constexpr int MaxSizeDigits = 15; // 2^60: beyond any bound, and no overflow

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Whether \a text, what follows a chunk's size on its line, is chunk extensions as RFC 9112
/// writes them: *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ). Nothing else may
/// follow a size: a reader that let a quoted string run past the line's end would disagree.
bool isChunkExtensions(QByteArrayView text)
{
    qsizetype at = 0;
    const auto skipBlanks = [&] {
        while (at < text.size() && (text[at] == ' ' || text[at] == '\t'))
            ++at;
    };
    const auto token = [&] {
        const qsizetype start = at;
        while (at < text.size() && HttpSyntax::isTokenCharacter(text[at]))
            ++at;
        return at > start;
    };
    const auto quotedString = [&] {
        if (at == text.size() || text[at] != '"')
            return false;
        for (++at; at < text.size(); ++at) {
            if (text[at] == '"') {
                ++at;
                return true;
            }
            if (text[at] == '\\' && ++at == text.size()) // a quoted pair: the next character as it is
                return false;
            if (!HttpSyntax::isFieldCharacter(text[at]))
                return false;
        }
        return false;
    };
    while (at < text.size()) {
        skipBlanks();
        if (at == text.size() || text[at] != ';')
            return false;
        ++at;
        skipBlanks();
        if (!token())
            return false;
        const qsizetype afterName = at;
        skipBlanks();
        if (at < text.size() && text[at] == '=') {
            ++at;
            skipBlanks();
            if (!token() && !quotedString())
                return false;
        } else {
            at = afterName; // blanks that lead to the next ";"
        }
    }
    return true;
}

/// A trailer field, field-name ":" OWS field-value OWS: a token for its name (no folded line, no
/// space before the colon), a value without controls.
bool isTrailerField(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    return colon > 0 && HttpSyntax::isToken(line.first(colon)) && HttpSyntax::isFieldValue(line.sliced(colon + 1));
}

} // namespace

ChunkedBody::ChunkedBody(qint64 maxBodyBytes)
    : m_maxBodyBytes(maxBodyBytes)
{}

qsizetype ChunkedBody::release()
{
    const qsizetype decoded = m_position;
    m_released += decoded;
    m_position = 0;
    return decoded;
}

ChunkedBody::Result ChunkedBody::fail(const QString &error)
{
    m_error = error;
    return Result::Malformed;
}

qsizetype ChunkedBody::lineEnd(QByteArrayView encoded, bool *tooLong) const
{
    const qsizetype end = encoded.indexOf("\r\n", m_position);
    // Without its CRLF yet, a last CR may be the start of it: the line is as long however its
    // bytes are split.
    *tooLong = (end < 0 ? encoded.size() - 1 : end) - m_position > MaxLine;
    return end;
}

ChunkedBody::Result ChunkedBody::decode(QByteArrayView encoded)
{
    if (!m_error.isEmpty())
        return Result::Malformed;
    while (m_part != Part::Done) {
        bool tooLong = false;
        switch (m_part) {
        case Part::Size: {
            // chunk-size [ chunk-ext ] CRLF
            const qsizetype end = lineEnd(encoded, &tooLong);
            if (tooLong)
                return fail(QStringLiteral("a chunk-size line is longer than %1 bytes").arg(MaxLine));
            if (end < 0)
                return Result::Incomplete;
            const QByteArrayView line = encoded.sliced(m_position, end - m_position);
            qint64 size = 0;
            int digits = 0;
            for (; digits < line.size() && hexValue(line[digits]) >= 0; ++digits) {
                if (digits == MaxSizeDigits)
                    return fail(QStringLiteral("a chunk size has more than %1 digits").arg(MaxSizeDigits));
                size = size * 16 + hexValue(line[digits]);
            }
            if (digits == 0)
                return fail(QStringLiteral("a chunk does not start with its size in hexadecimal"));
            // What may follow the size: extensions (";name=value"), which Herald reads past.
            if (!isChunkExtensions(line.sliced(digits)))
                return fail(QStringLiteral("a chunk size is followed by something other than extensions"));
            if (size > m_maxBodyBytes - m_body.size())
                return Result::TooLarge;
            m_position = end + 2;
            m_chunkLeft = size;
            m_part = size == 0 ? Part::Trailer : Part::Data; // nothing set aside before the data comes
            break;
        }
        case Part::Data: {
            const qsizetype taken = qsizetype(std::min<qint64>(m_chunkLeft, encoded.size() - m_position));
            m_body.append(encoded.sliced(m_position, taken));
            m_position += taken;
            m_chunkLeft -= taken;
            if (m_chunkLeft > 0)
                return Result::Incomplete;
            m_part = Part::DataEnd;
            break;
        }
        case Part::DataEnd:
            if (encoded.size() - m_position < 2)
                return Result::Incomplete;
            if (encoded.sliced(m_position, 2) != "\r\n")
                return fail(QStringLiteral("a chunk's data is longer than its size says"));
            m_position += 2;
            m_part = Part::Size;
            break;
        case Part::Trailer: {
            // *( field-line CRLF ) CRLF: the fields are read past, not kept.
            const qsizetype end = lineEnd(encoded, &tooLong);
            if (tooLong)
                return fail(QStringLiteral("a trailer field is longer than %1 bytes").arg(MaxLine));
            if (end < 0)
                return Result::Incomplete;
            const QByteArrayView line = encoded.sliced(m_position, end - m_position);
            m_trailerBytes += line.size() + 2;
            if (m_trailerBytes > MaxTrailer)
                return fail(QStringLiteral("the trailer section is longer than %1 bytes").arg(MaxTrailer));
            if (!line.isEmpty() && !isTrailerField(line))
                return fail(QStringLiteral("a trailer field is not name: value"));
            m_position = end + 2;
            if (line.isEmpty())
                m_part = Part::Done;
            break;
        }
        case Part::Done:
            break;
        }
    }
    return Result::Complete;
}
