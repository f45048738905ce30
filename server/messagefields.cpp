#include "messagefields.h"

#include "textrules.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

#include <algorithm>

namespace {

const QString TitleKey = QStringLiteral("title");
const QString PriorityKey = QStringLiteral("priority");
const QString TagsKey = QStringLiteral("tags");
const QString ClickKey = QStringLiteral("click");
const QString MarkdownKey = QStringLiteral("markdown");
const QString AttachmentKey = QStringLiteral("attachment");

} // namespace

QString MessageFields::validationError() const
{
    if (characterCount(title) > MaxTitleLength)
        return QStringLiteral("\"title\" is longer than %1 characters").arg(MaxTitleLength);
    if (title.contains(u'\r') || title.contains(u'\n') || title.contains(QChar(0)))
        return QStringLiteral("\"title\" must be one line, without CR, LF or NUL");
    if (priority < MinPriority || priority > MaxPriority) {
        return QStringLiteral("\"priority\" must be 1 to 5, or min, low, default, high or urgent (max)");
    }
    if (tags.size() > MaxTags)
        return QStringLiteral("at most %1 \"tags\" may be given, not %2").arg(MaxTags).arg(tags.size());
    for (const QString &tag : tags) {
        if (tag.trimmed().isEmpty() || tag.contains(u',') || hasControlCharacter(tag))
            return QStringLiteral("each of \"tags\" must be a word or two, without commas or control characters");
        if (characterCount(tag) > MaxTagLength)
            return QStringLiteral("a tag is longer than %1 characters").arg(MaxTagLength);
    }
    if (!click.isEmpty()) {
        const QUrl url(click, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        const bool web = scheme == QLatin1String("http") || scheme == QLatin1String("https");
        if (!url.isValid() || hasControlCharacter(click) || (!web && scheme != QLatin1String("mailto"))
            || (web && url.host().isEmpty()) || (!web && url.path().isEmpty()))
            return QStringLiteral("\"click\" must be an http, https or mailto URL");
    }
    return attachment.validationError();
}

int MessageFields::priorityFrom(QStringView text)
{
    const QString name = text.trimmed().toString().toLower();
    static const QStringList names{QStringLiteral("min"), QStringLiteral("low"), QStringLiteral("default"),
                                   QStringLiteral("high"), QStringLiteral("urgent")};
    if (const qsizetype index = names.indexOf(name); index >= 0)
        return int(index) + 1;
    if (name == QLatin1String("max"))
        return MaxPriority;
    if (name.size() == 1 && name[0] >= u'1' && name[0] <= u'5')
        return name[0].unicode() - u'0';
    return 0;
}

QStringList MessageFields::tagsFrom(QStringView text)
{
    QStringList tags;
    for (QStringView tag : text.split(u',')) {
        if (!tag.trimmed().isEmpty())
            tags.append(tag.trimmed().toString());
    }
    return tags;
}

bool MessageFields::switchFrom(QStringView text, bool *ok)
{
    const QString word = text.trimmed().toString().toLower();
    *ok = true;
    if (word == QLatin1String("1") || word == QLatin1String("yes") || word == QLatin1String("true"))
        return true;
    if (word == QLatin1String("0") || word == QLatin1String("no") || word == QLatin1String("false"))
        return false;
    *ok = false;
    return false;
}

void MessageFields::addTo(QJsonObject &object) const
{
    if (!title.isEmpty())
        object.insert(TitleKey, title);
    if (priority != DefaultPriority)
        object.insert(PriorityKey, priority);
    if (!tags.isEmpty())
        object.insert(TagsKey, QJsonArray::fromStringList(tags));
    if (!click.isEmpty())
        object.insert(ClickKey, click);
    if (markdown)
        object.insert(MarkdownKey, true);
    if (!attachment.isEmpty())
        object.insert(AttachmentKey, attachment.toJson());
}

MessageFields MessageFields::from(const QJsonObject &object)
{
    MessageFields fields;
    fields.title = object.value(TitleKey).toString();
    fields.priority = object.value(PriorityKey).toInt(DefaultPriority);
    for (const QJsonValue tag : object.value(TagsKey).toArray())
        fields.tags.append(tag.toString());
    fields.click = object.value(ClickKey).toString();
    fields.markdown = object.value(MarkdownKey).toBool();
    fields.attachment = Attachment::fromJson(object.value(AttachmentKey).toObject());
    return fields;
}
