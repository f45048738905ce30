#include "requesthead.h"

#include "headernames.h"
#include "httpsyntax.h"

#include <QUrl>

namespace {

bool isTargetCharacter(char c)
{
    const uchar u = uchar(c);
    return u > 0x20 && u < 0x7f;
}

QByteArrayView withoutCarriageReturn(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

using Result = RequestHeadParser::Result;

Result fail(Result result, QString *reason, const QString &text)
{
    if (reason)
        *reason = text;
    return result;
}

} // namespace

QByteArray RequestHead::value(QByteArrayView name) const
{
    for (const auto &[headerName, headerValue] : headers) {
        if (isSameHeaderName(headerName, name))
            return headerValue;
    }
    return {};
}

QByteArray RequestHead::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

QString targetQuery(QByteArrayView target)
{
    // Most requests have none, and QUrl costs a publish more than the rest of its head.
    if (!target.contains('?'))
        return QString();
    return QUrl::fromEncoded(target.toByteArray()).query(QUrl::FullyEncoded);
}

bool RequestHead::keepAlive() const
{
    const QByteArray connection = value("Connection").toLower();
    if (minorVersion == 0)
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

bool RequestHead::expectsContinue() const
{
    // HTTP/1.0 has no 100 Continue (RFC 9110, 10.1.1).
    return minorVersion >= 1 && (contentLength > 0 || chunked)
        && value("Expect").compare("100-continue", Qt::CaseInsensitive) == 0;
}

RequestHeadParser::Result RequestHeadParser::parse(QByteArrayView bytes, RequestHead *head, QString *reason)
{
    // Browsers and curl never lead with blank lines, but RFC 9112 asks servers to skip them.
    qsizetype position = 0;
    while (position < bytes.size() && (bytes[position] == '\r' || bytes[position] == '\n'))
        ++position;

    const qsizetype lineEnd = bytes.indexOf('\n', position);
    if (lineEnd < 0) {
        if (bytes.size() - position > MaxRequestLine)
            return fail(Result::UriTooLong, reason, QStringLiteral("the request line is longer than 8 KiB"));
        return Result::Incomplete;
    }
    const QByteArrayView requestLine = withoutCarriageReturn(bytes.sliced(position, lineEnd - position));
    if (requestLine.size() > MaxRequestLine)
        return fail(Result::UriTooLong, reason, QStringLiteral("the request line is longer than 8 KiB"));

    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        return fail(Result::BadRequest, reason, QStringLiteral("the request line is not METHOD TARGET HTTP/1.1"));
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    if (!HttpSyntax::isToken(method))
        return fail(Result::BadRequest, reason, QStringLiteral("the method is not a valid token"));
    for (char c : target) {
        if (!isTargetCharacter(c))
            return fail(Result::BadRequest, reason,
                        QStringLiteral("the request target holds spaces or control characters"));
    }
    // RFC 9112 asks a server to take the absolute form (http://host/path) too: its authority
    // stands for the Host header, and the rest is the target in the usual form.
    QByteArrayView originForm = target;
    QByteArrayView authority;
    const qsizetype schemeEnd = target.indexOf("://");
    if (!target.startsWith('/') && schemeEnd > 0) {
        const QByteArray scheme = target.first(schemeEnd).toByteArray().toLower();
        if (scheme != "http" && scheme != "https")
            return fail(Result::BadRequest, reason,
                        QStringLiteral("the request target must be an http URL or start with /"));
        const QByteArrayView rest = target.sliced(schemeEnd + 3);
        qsizetype pathStart = 0;
        while (pathStart < rest.size() && rest[pathStart] != '/' && rest[pathStart] != '?')
            ++pathStart;
        authority = rest.first(pathStart);
        if (authority.isEmpty() || authority.contains('@') || authority.contains('#'))
            return fail(Result::BadRequest, reason, QStringLiteral("the request target names no host"));
        originForm = rest.sliced(pathStart);
    } else if (!target.startsWith('/') && target != "*") {
        return fail(Result::BadRequest, reason, QStringLiteral("the request target must start with /"));
    }
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' || version[5] < '0' || version[5] > '9'
        || version[7] < '0' || version[7] > '9') {
        return fail(Result::BadRequest, reason, QStringLiteral("the request line does not end in an HTTP version"));
    }
    if (version[5] != '1')
        return fail(Result::VersionNotSupported, reason, QStringLiteral("Herald speaks HTTP/1.0 and HTTP/1.1"));

    RequestHead parsed;
    parsed.method = method.toByteArray();
    parsed.target
        = originForm.startsWith('/') || originForm == "*" ? originForm.toByteArray() : '/' + originForm.toByteArray();
    parsed.minorVersion = version[7] == '0' ? 0 : 1;

    position = lineEnd + 1;
    for (;;) {
        if (position > MaxHeadSize)
            return fail(Result::HeadersTooLarge, reason, QStringLiteral("the request head is larger than 64 KiB"));
        const qsizetype end = bytes.indexOf('\n', position);
        if (end < 0) {
            if (bytes.size() - position > MaxHeaderLine)
                return fail(Result::HeadersTooLarge, reason, QStringLiteral("a header line is longer than 8 KiB"));
            if (bytes.size() > MaxHeadSize)
                return fail(Result::HeadersTooLarge, reason, QStringLiteral("the request head is larger than 64 KiB"));
            return Result::Incomplete;
        }
        const QByteArrayView line = withoutCarriageReturn(bytes.sliced(position, end - position));
        position = end + 1;
        if (line.isEmpty())
            break;
        if (line.size() > MaxHeaderLine)
            return fail(Result::HeadersTooLarge, reason, QStringLiteral("a header line is longer than 8 KiB"));
        if (parsed.headers.size() == MaxHeaders)
            return fail(Result::HeadersTooLarge, reason, QStringLiteral("the request has more than 100 headers"));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !HttpSyntax::isToken(line.first(colon)))
            return fail(Result::BadRequest, reason, QStringLiteral("a header line is not NAME: VALUE"));
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (!HttpSyntax::isFieldValue(value))
            return fail(Result::BadRequest, reason, QStringLiteral("a header value holds control characters"));
        parsed.headers.append({line.first(colon).toByteArray(), value.toByteArray()});
    }
    if (position > MaxHeadSize)
        return fail(Result::HeadersTooLarge, reason, QStringLiteral("the request head is larger than 64 KiB"));
    parsed.size = position;
    if (!authority.isEmpty()) {
        parsed.headers.removeIf(
            [](const auto &header) { return header.first.compare("Host", Qt::CaseInsensitive) == 0; });
        parsed.headers.append({QByteArrayLiteral("Host"), authority.toByteArray()});
        if (parsed.headers.size() > MaxHeaders) // the target's host counts as the header it stands for
            return fail(Result::HeadersTooLarge, reason, QStringLiteral("the request has more than 100 headers"));
    }

    bool sawLength = false;
    for (const auto &[name, value] : std::as_const(parsed.headers)) {
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            bool ok = !value.isEmpty();
            for (char c : value)
                ok = ok && c >= '0' && c <= '9';
            const qint64 length = ok && value.size() <= 18 ? value.toLongLong(&ok) : -1;
            if (!ok || length < 0 || (sawLength && length != parsed.contentLength))
                return fail(Result::BadRequest, reason, QStringLiteral("Content-Length must be one decimal number"));
            parsed.contentLength = length;
            sawLength = true;
        } else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            if (value.compare("chunked", Qt::CaseInsensitive) != 0 || parsed.minorVersion == 0)
                return fail(Result::BadRequest, reason,
                            QStringLiteral("the only transfer coding Herald reads is chunked"));
            if (parsed.chunked) // chunked twice, which RFC 9112 forbids, as "chunked, chunked" is
                return fail(Result::BadRequest, reason, QStringLiteral("Transfer-Encoding is given twice"));
            parsed.chunked = true;
        }
    }
    if (parsed.chunked && sawLength)
        return fail(Result::BadRequest, reason,
                    QStringLiteral("a request cannot have both Content-Length and Transfer-Encoding"));

    if (head)
        *head = std::move(parsed);
    return Result::Complete;
}

int RequestHeadParser::statusOf(Result result)
{
    switch (result) {
    case Result::Incomplete:
    case Result::Complete:
        return 200;
    case Result::BadRequest:
        return 400;
    case Result::UriTooLong:
        return 414;
    case Result::HeadersTooLarge:
        return 431;
    case Result::VersionNotSupported:
        return 505;
    }
    return 400;
}
