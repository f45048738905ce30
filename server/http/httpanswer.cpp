#include "httpanswer.h"

#include "headernames.h"
#include "servicetypes.h"

#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

const QByteArray JsonType = QByteArrayLiteral("application/json");
const QByteArray EmptyType = QByteArrayLiteral("application/x-empty");

/// The reason phrase of each status Herald answers with, the request gate's included: the
/// ones QHttpServer writes, so that an answer is the same whichever way it leaves.
QByteArrayView reasonPhrase(HttpAnswer::Status status)
{
    using Status = HttpAnswer::Status;
    switch (status) {
    case Status::Ok:
        return "OK";
    case Status::NoContent:
        return "No Content";
    case Status::SeeOther:
        return "See Other";
    case Status::BadRequest:
        return "Bad Request";
    case Status::Unauthorized:
        return "Unauthorized";
    case Status::Forbidden:
        return "Forbidden";
    case Status::NotFound:
        return "Not Found";
    case Status::MethodNotAllowed:
        return "Method Not Allowed";
    case Status::RequestTimeout:
        return "Request Timeout";
    case Status::Conflict:
        return "Conflict";
    case Status::LengthRequired:
        return "Length Required";
    case Status::PayloadTooLarge:
        return "Request Entity Too Large";
    case Status::UriTooLong:
        return "Request-URI Too Long";
    case Status::UnsupportedMediaType:
        return "Unsupported Media Type";
    case Status::RequestHeaderFieldsTooLarge:
        return "Request Header Fields Too Large";
    case Status::InternalServerError:
        return "Internal Server Error";
    case Status::ServiceUnavailable:
        return "Service Unavailable";
    case Status::HttpVersionNotSupported:
        return "HTTP Version Not Supported";
    default:
        return "";
    }
}

} // namespace

HttpAnswer::HttpAnswer(QByteArray mimeType, QByteArray body, Status status)
    : m_status(status)
    , m_mimeType(std::move(mimeType))
    , m_body(std::move(body))
{}

HttpAnswer::HttpAnswer(Status status)
    : HttpAnswer(EmptyType, QByteArray(), status)
{}

HttpAnswer::HttpAnswer(const QJsonObject &json, Status status)
    : HttpAnswer(JsonType, QJsonDocument(json).toJson(QJsonDocument::Compact), status)
{}

HttpAnswer::HttpAnswer(const QJsonArray &json, Status status)
    : HttpAnswer(JsonType, QJsonDocument(json).toJson(QJsonDocument::Compact), status)
{}

HttpAnswer HttpAnswer::json(QByteArray json, Status status)
{
    return HttpAnswer(JsonType, std::move(json), status);
}

HttpAnswer HttpAnswer::error(Status status, const QString &message)
{
    return HttpAnswer(QJsonObject{{QStringLiteral("error"), message}}, status);
}

HttpAnswer HttpAnswer::tryAgainLater(const QString &message, int seconds)
{
    HttpAnswer answer = error(Status::ServiceUnavailable, message);
    answer.setHeader("Retry-After", QByteArray::number(seconds));
    return answer;
}

HttpAnswer HttpAnswer::shuttingDown()
{
    return tryAgainLater(ShuttingDownMessage);
}

HttpAnswer HttpAnswer::openEnded(QByteArray mimeType)
{
    HttpAnswer head(std::move(mimeType), QByteArray());
    head.m_openEnded = true;
    return head;
}

void HttpAnswer::allowOrigin(const QString &origin)
{
    if (!origin.isEmpty())
        setHeader("Access-Control-Allow-Origin", origin.toUtf8());
}

void HttpAnswer::setHeader(const QByteArray &name, const QByteArray &value)
{
    m_headers.removeIf([&name](const auto &header) { return isSameHeaderName(header.first, name); });
    m_headers.append({name, value});
}

QByteArray HttpAnswer::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers) {
        if (isSameHeaderName(key, name))
            return value;
    }
    return {};
}

QHttpServerResponse HttpAnswer::toResponse() const
{
    QHttpServerResponse response(m_mimeType, m_body, m_status);
    for (const auto &[name, value] : m_headers)
        response.setHeader(name, value);
    return response;
}

HttpAnswer HttpAnswer::withoutBody() const
{
    HttpAnswer head = *this;
    head.m_withoutBody = true;
    return head;
}

QByteArray HttpAnswer::toBytes() const
{
    return m_withoutBody ? headBytes() : headBytes() + m_body;
}

QByteArray HttpAnswer::headBytes() const
{
    QByteArray bytes;
    bytes.reserve(128 + m_mimeType.size());
    bytes += "HTTP/1.1 ";
    bytes += QByteArray::number(int(m_status));
    bytes += ' ';
    bytes += reasonPhrase(m_status);
    bytes += "\r\n";
    for (auto header = m_headers.crbegin(); header != m_headers.crend(); ++header) {
        bytes += header->first;
        bytes += ": ";
        bytes += header->second;
        bytes += "\r\n";
    }
    if (!m_mimeType.isEmpty()) {
        bytes += "Content-Type: ";
        bytes += m_mimeType;
        bytes += "\r\n";
    }
    if (!m_openEnded) {
        bytes += "Content-Length: ";
        bytes += QByteArray::number(m_body.size());
        bytes += "\r\n";
    }
    bytes += "\r\n";
    return bytes;
}
