#include "attachment.h"

#include "textrules.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace {

const QString NameKey = QStringLiteral("name");
const QString TypeKey = QStringLiteral("type");
const QString SizeKey = QStringLiteral("size");
const QString UrlKey = QStringLiteral("url");
const QString ExpiresKey = QStringLiteral("expires");

} // namespace

QString Attachment::fileIdIn(QStringView path)
{
    // Ids are 24 letters and digits (AttachmentStore); the extension is for the person saving it.
    static const QRegularExpression rule(QStringLiteral("^/file/([A-Za-z0-9]{24})(\\.[A-Za-z0-9]{1,10})?$"));
    const QRegularExpressionMatch match = rule.match(path);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString Attachment::fileId() const
{
    return isKept() ? fileIdIn(QUrl(url).path(QUrl::FullyEncoded)) : QString();
}

QString Attachment::nameError(const QString &name)
{
    if (name.isEmpty() || name.size() > MaxNameLength || hasControlCharacter(name) || hasDirectionControl(name)
        || name.contains(u'/') || name.contains(u'\\'))
        return QStringLiteral("\"filename\" must be a file name of 1 to %1 characters, without slashes, control "
                              "characters or marks of writing direction")
            .arg(MaxNameLength);
    return {};
}

QString Attachment::validationError() const
{
    if (isEmpty())
        return {};
    if (const QString error = nameError(name); !error.isEmpty())
        return error;
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (url.size() > MaxUrlLength || !parsed.isValid() || hasControlCharacter(url)
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) || parsed.host().isEmpty())
        return QStringLiteral("\"attach\" must be an http or https URL of at most %1 characters").arg(MaxUrlLength);
    if (size < 0 || expiresAt < 0 || (isKept() && fileId().isEmpty()))
        return QStringLiteral("\"attachment\" does not describe a file Herald keeps");
    return {};
}

QJsonObject Attachment::toJson() const
{
    QJsonObject object{{NameKey, name}, {UrlKey, url}};
    if (isKept()) {
        object.insert(TypeKey, type);
        object.insert(SizeKey, size);
        object.insert(ExpiresKey, expiresAt);
    }
    return object;
}

Attachment Attachment::fromJson(const QJsonObject &object)
{
    Attachment attachment;
    attachment.name = object.value(NameKey).toString();
    attachment.url = object.value(UrlKey).toString();
    attachment.type = object.value(TypeKey).toString();
    attachment.size = qint64(object.value(SizeKey).toDouble());
    attachment.expiresAt = qint64(object.value(ExpiresKey).toDouble());
    return attachment;
}

Attachment Attachment::link(const QString &url, const QString &name)
{
    Attachment attachment;
    attachment.url = url;
    attachment.name = name;
    if (attachment.name.isEmpty())
        attachment.name = QUrl(url).fileName();
    if (attachment.name.isEmpty())
        attachment.name = QStringLiteral("attachment");
    return attachment;
}
