#pragma once

#include "attachment.h"

#include <QString>
#include <QStringList>

class QJsonObject;

/// What a message carries besides its text, under the names ntfy gives them: a title, a priority,
/// tags, a URL to open on a click, whether the text is Markdown, and a file. A message without any of
/// them is plain, and its streams and records look as they always did.
struct MessageFields
{
    static constexpr int DefaultPriority = 3;
    static constexpr int MinPriority = 1;
    static constexpr int MaxPriority = 5;
    static constexpr qsizetype MaxTitleLength = 256; ///< characters
    static constexpr qsizetype MaxTags = 10;
    static constexpr qsizetype MaxTagLength = 64; ///< characters

    QString title; ///< one line
    int priority = DefaultPriority; ///< 1 (min) to 5 (urgent)
    QStringList tags; ///< short words; those that name an emoji are shown as it
    QString click; ///< an http, https or mailto URL the message opens
    bool markdown = false; ///< the text is Markdown
    Attachment attachment; ///< a file Herald keeps or links to; empty for none

    bool isPlain() const { return *this == MessageFields(); }
    /// Why these fields cannot be published, naming the field, or an empty string when they can.
    QString validationError() const;

    /// The priority that \a text gives: 1 to 5, or ntfy's names min, low, default, high, urgent
    /// and max (any case); 0 when it gives none.
    static int priorityFrom(QStringView text);
    /// The tags of a comma-separated list, each trimmed; empty ones are left out.
    static QStringList tagsFrom(QStringView text);
    /// Whether \a text says yes (1, yes, true) or no (0, no, false), any case; false in \a ok otherwise.
    static bool switchFrom(QStringView text, bool *ok);

    /// Adds the fields that are not at their default to \a object, under their names: title,
    /// priority, tags, click, markdown and attachment.
    void addTo(QJsonObject &object) const;
    /// The fields \a object holds under those names, as addTo() wrote them.
    static MessageFields from(const QJsonObject &object);

    friend bool operator==(const MessageFields &a, const MessageFields &b)
    {
        return a.title == b.title && a.priority == b.priority && a.tags == b.tags && a.click == b.click
            && a.markdown == b.markdown && a.attachment == b.attachment;
    }
    friend bool operator!=(const MessageFields &a, const MessageFields &b) { return !(a == b); }
};
