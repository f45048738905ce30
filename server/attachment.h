#pragma once

#include <QString>

class QJsonObject;

/// A file a message carries, as ntfy's "attachment" describes it: either one Herald keeps (its
/// name, type, size, the URL it is served at, and when it expires), or a link to a file elsewhere
/// that Herald never fetches (a name and a URL only).
struct Attachment
{
    static constexpr qsizetype MaxNameLength = 255; ///< characters
    static constexpr qsizetype MaxUrlLength = 2048; ///< characters
    /// The path under which Herald serves the files it keeps: /file/<id>.<extension>.
    static constexpr char FilePath[] = "/file/";

    QString name; ///< the file's name, as its sender gave it
    QString type; ///< its MIME type, read from its content; empty for a link
    qint64 size = 0; ///< bytes; 0 for a link
    QString url; ///< where it is served (an http or https URL); empty: no attachment
    qint64 expiresAt = 0; ///< seconds since the Unix epoch; 0 for a link

    bool isEmpty() const { return url.isEmpty(); }
    /// Whether Herald keeps the file (and serves it), rather than linking to it.
    bool isKept() const { return expiresAt > 0; }
    /// The id of the file Herald keeps, from its URL; empty for a link.
    QString fileId() const;
    /// Why \a name cannot name a file, or an empty string.
    static QString nameError(const QString &name);
    /// Why this attachment cannot be published, naming the field, or an empty string.
    QString validationError() const;

    /// ntfy's object: name, url, and for a kept file type, size and expires.
    QJsonObject toJson() const;
    /// The attachment \a object describes, as toJson() wrote it.
    static Attachment fromJson(const QJsonObject &object);
    /// A link to \a url, named \a name or, when that is empty, by the URL's last path segment.
    static Attachment link(const QString &url, const QString &name);
    /// The file id in \a path, "/file/<id>" with any extension, or an empty string.
    static QString fileIdIn(QStringView path);

    friend bool operator==(const Attachment &a, const Attachment &b)
    {
        return a.name == b.name && a.type == b.type && a.size == b.size && a.url == b.url && a.expiresAt == b.expiresAt;
    }
    friend bool operator!=(const Attachment &a, const Attachment &b) { return !(a == b); }
};
