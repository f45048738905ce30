#pragma once

#include <QByteArray>
#include <QHttpServerResponder>
#include <QList>
#include <QPair>

class QHttpServerResponse;
class QJsonArray;
class QJsonObject;

/// One answer of Herald's HTTP API as HttpApi decides it: a status, headers and a body, before
/// either transport writes it. QHttpServer writes toResponse(); the request gate sends toBytes()
/// on a connection it reads itself. Both put the same bytes on the wire.
class HttpAnswer
{
public:
    using Status = QHttpServerResponder::StatusCode;

    /// \a body, of the media type \a mimeType.
    HttpAnswer(QByteArray mimeType, QByteArray body, Status status = Status::Ok);
    /// No body; QHttpServer calls it application/x-empty.
    explicit HttpAnswer(Status status);
    /// Compact JSON.
    HttpAnswer(const QJsonObject &json, Status status = Status::Ok);
    HttpAnswer(const QJsonArray &json, Status status = Status::Ok);
    /// \a json, already encoded.
    static HttpAnswer json(QByteArray json, Status status = Status::Ok);
    /// Herald's JSON error: {"error": message}.
    static HttpAnswer error(Status status, const QString &message);
    /// 503 with Retry-After: what was asked cannot be done now, but can be in \a seconds.
    static HttpAnswer tryAgainLater(const QString &message, int seconds = RetryAfterSeconds);
    /// The answer to anything that comes while Herald stops.
    static HttpAnswer shuttingDown();
    /// The head of an answer whose body has no set end, an event stream: no Content-Length.
    static HttpAnswer openEnded(QByteArray mimeType);

    /// How long a client told to try again waits, unless told otherwise.
    static constexpr int RetryAfterSeconds = 5;

    Status status() const { return m_status; }
    const QByteArray &mimeType() const { return m_mimeType; }
    const QByteArray &body() const { return m_body; }
    /// Sets the header \a name, replacing one of that name set before.
    void setHeader(const QByteArray &name, const QByteArray &value);
    /// Lets pages of \a origin read the answer (CORS); none for an empty \a origin.
    void allowOrigin(const QString &origin);
    /// The value of the header \a name (as it was set), or an empty array.
    QByteArray header(QByteArrayView name) const;

    /// The answer to a HEAD: the same head, Content-Length included, and no body.
    HttpAnswer withoutBody() const;
    bool isWithoutBody() const { return m_withoutBody; }

    /// For a QHttpServer route.
    QHttpServerResponse toResponse() const;
    /// The whole response as QHttpServer writes it: the status line, the headers set here (the
    /// last set first, as QHttpServer orders them), Content-Type, Content-Length, and the body.
    QByteArray toBytes() const;
    /// The status line and headers of toBytes(), up to the blank line that ends them.
    QByteArray headBytes() const;

private:
    Status m_status;
    QByteArray m_mimeType;
    QByteArray m_body;
    QList<QPair<QByteArray, QByteArray>> m_headers; ///< in the order they were set
    bool m_withoutBody = false; ///< a HEAD's answer: the body's length is sent, not the body
    bool m_openEnded = false; ///< a stream's head: no Content-Length
};
