#include "attachmentanswers.h"

#include "publishdecoding.h"

#include <QUrl>

namespace {

constexpr qint64 FileCacheSeconds = 60;

} // namespace

HttpAnswer fileAnswer(const AttachmentStore::File &file, const QByteArray &content, qint64 nowMs)
{
    const bool shown = AttachmentStore::isShownInline(file.type);
    QByteArray type = file.type.toLatin1();
    if (type == "text/plain" && isValidUtf8(content))
        type += "; charset=utf-8";
    HttpAnswer answer(type, content);
    answer.setHeader("X-Content-Type-Options", "nosniff");
    // Opened on its own, it is a document with no script, no form and no origin of its own.
    answer.setHeader("Content-Security-Policy", "sandbox");
    answer.setHeader("Content-Disposition", contentDisposition(shown ? "inline" : "attachment", file.name));
    // Kept briefly: a retraction or an expiry must reach a browser that opened it.
    const qint64 left = qBound<qint64>(0, file.expiresAt - nowMs / 1000, FileCacheSeconds);
    answer.setHeader("Cache-Control", "private, max-age=" + QByteArray::number(left));
    return answer;
}

QByteArray contentDisposition(const char *disposition, const QString &fileName)
{
    QByteArray ascii;
    for (const QChar c : fileName)
        ascii += (c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\') ? char(c.unicode()) : '_';
    return QByteArray(disposition) + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + QUrl::toPercentEncoding(fileName);
}

QString fileBaseUrl(const QByteArray &host, bool encrypted, const QStringList &lanUrls)
{
    const QString scheme = encrypted ? QStringLiteral("https") : QStringLiteral("http");
    const QUrl named(scheme + QStringLiteral("://") + QString::fromLatin1(host));
    const QHostAddress address(named.host());
    const bool loopback = named.host().isEmpty() || named.host() == QLatin1String("localhost")
        || (!address.isNull() && address.isLoopback());
    const bool usable = named.isValid() && named.path().isEmpty() && named.userInfo().isEmpty();
    if ((loopback || !usable) && !lanUrls.isEmpty())
        return lanUrls.constFirst().chopped(lanUrls.constFirst().endsWith(u'/') ? 1 : 0);
    return usable && !named.host().isEmpty() ? named.toString(QUrl::FullyEncoded)
                                             : scheme + QStringLiteral("://localhost");
}
