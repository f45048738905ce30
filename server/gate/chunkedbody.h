#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

/// A request body sent with Transfer-Encoding: chunked (RFC 9112, 7.1), as ntfy's own client
/// and `curl -T -` send a file whose size they do not know: decoded as its bytes arrive, and
/// bounded by what it may decode to. The framing is read strictly (CRLF only, hex sizes of at
/// most 15 digits, lines of at most MaxLine bytes), so that no two readers could disagree on
/// where the body ends.
class ChunkedBody
{
public:
    enum class Result {
        Incomplete, ///< nothing wrong so far; wait for more bytes
        Complete, ///< the last chunk and the trailer section have come: see body() and encodedSize()
        Malformed, ///< 400: see error()
        TooLarge, ///< 413: the body would decode to more than its bound
    };

    static constexpr qsizetype MaxLine = 4096; ///< a chunk-size line with its extensions, or a trailer field
    static constexpr qsizetype MaxTrailer = 16 * 1024; ///< the trailer section together

    explicit ChunkedBody(qint64 maxBodyBytes);

    /// Reads on from \a encoded: every byte of the body's encoding that has arrived, the same as
    /// last time and perhaps more after them (and perhaps the next request after them).
    Result decode(QByteArrayView encoded);

    QByteArray takeBody() { return std::move(m_body); }
    /// Bytes of the encoding, the end of the trailer section included, once Complete (from the
    /// last release() on).
    qsizetype encodedSize() const { return m_position; }
    /// Lets go of the bytes of the encoding decoded so far, which the caller may then drop: the
    /// next decode() is given what followed them. Returns how many there were.
    qsizetype release();
    /// Bytes of the encoding released so far.
    qint64 released() const { return m_released; }
    QString error() const { return m_error; }

private:
    enum class Part { Size, Data, DataEnd, Trailer, Done };

    Result fail(const QString &error);
    /// The next line's end (its CR) at or after m_position, or -1: then Incomplete unless the line
    /// is already past MaxLine, which \a tooLong says.
    qsizetype lineEnd(QByteArrayView encoded, bool *tooLong) const;

    qint64 m_maxBodyBytes;
    Part m_part = Part::Size;
    qsizetype m_position = 0;
    qint64 m_released = 0;
    qint64 m_chunkLeft = 0;
    qsizetype m_trailerBytes = 0;
    QByteArray m_body;
    QString m_error;
};
