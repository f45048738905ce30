#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

/// The head of one HTTP/1.x request: request line and headers, as Herald's request gate reads
/// them before anything else sees the connection.
/// The query of a request \a target, percent-encoded, as QUrl::query(QUrl::FullyEncoded) gives
/// it; null without one.
QString targetQuery(QByteArrayView target);

struct RequestHead
{
    QByteArray method;
    /// origin-form: path and query, still percent-encoded, as sent (an absolute-form target,
    /// http://host/path, comes as its path, and its host as the Host header)
    QByteArray target;
    int minorVersion = 1; ///< HTTP/1.0 or HTTP/1.1
    QList<QPair<QByteArray, QByteArray>> headers; ///< names as sent, values trimmed
    qsizetype size = 0; ///< bytes of the head, blank line included
    qint64 contentLength = 0;
    bool chunked = false;

    /// The first value of header \a name (case-insensitive), or an empty array.
    QByteArray value(QByteArrayView name) const;
    QByteArray path() const;
    QString query() const { return targetQuery(target); }
    bool keepAlive() const;
    /// Whether the client waits for leave (100 Continue) before it sends its body: an HTTP/1.1
    /// request with a body (of a length, or in chunks) and Expect: 100-continue, as curl sends
    /// with a file.
    bool expectsContinue() const;
};

/// Reads a request head under Herald's limits. Pure and stateless: give it every byte received
/// so far on a connection and it says whether a whole, acceptable head is there.
class RequestHeadParser
{
public:
    static constexpr qsizetype MaxRequestLine = 8 * 1024;
    static constexpr qsizetype MaxHeaderLine = 8 * 1024;
    static constexpr int MaxHeaders = 100;
    static constexpr qsizetype MaxHeadSize = 64 * 1024;

    enum class Result {
        Incomplete, ///< nothing wrong so far; wait for more bytes
        Complete, ///< a whole head, in RequestHead
        BadRequest, ///< 400: not HTTP/1.x, or malformed
        UriTooLong, ///< 414: a request line past MaxRequestLine
        HeadersTooLarge, ///< 431: a header line past MaxHeaderLine, too many headers, or a head past MaxHeadSize
        VersionNotSupported, ///< 505: HTTP/2 or later over plain HTTP/1 framing
    };

    /// Parses \a bytes; on Complete fills \a head. On an error, \a reason says what was wrong.
    static Result parse(QByteArrayView bytes, RequestHead *head, QString *reason);
    /// The HTTP status code of an error result.
    static int statusOf(Result result);
};
