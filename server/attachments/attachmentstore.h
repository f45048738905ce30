#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

/// The files that messages carry, kept in a folder of their own: each under a random id, with a
/// small JSON file beside it that describes it (its name, its type as read from its content, its
/// size, when it was kept and when it expires).
///
/// Bounded three ways: a file larger than the largest taken is refused; the oldest files go to
/// make room for a new one within the total (and within MaxFiles); and each goes when it expires. A file that went
/// leaves its description behind, marked gone, until a lifetime after its expiry (a day at least),
/// so that its URL says "gone" (410) rather than "never was" (404).
///
/// Files recently kept or read are held in memory, within a bound, so that every screen fetching
/// the picture of a message it just received shares one copy. Used on one thread.
class AttachmentStore
{
public:
    /// The most files kept at once, and the most gone ones remembered: many small files cost the
    /// disk more than their bytes say.
    static constexpr int MaxFiles = 10'000;

    struct Limits
    {
        qint64 maxFileBytes = 0; ///< --attachment-max
        qint64 maxTotalBytes = 0; ///< --attachment-bytes
        qint64 expirySeconds = 0; ///< --attachment-expiry
        int maxFiles = MaxFiles; ///< files kept at once, and gone ones remembered
    };
    /// One file, as its description has it.
    struct File
    {
        QString id; ///< 24 letters and digits
        QString name; ///< as its sender gave it
        QString type; ///< a MIME type, read from the content
        qint64 size = 0;
        qint64 keptAtMs = 0; ///< since the Unix epoch
        qint64 expiresAt = 0; ///< seconds since the Unix epoch
        bool gone = false; ///< its content went: it expired, or made room for newer files

        /// The extension its URL ends with, from its type ("png"), or an empty string.
        QString extension() const;
        /// Its description, as it is kept beside the file.
        QByteArray toJson() const;
        /// The file \a id that \a json describes, or null when it describes none.
        static std::optional<File> fromJson(const QString &id, const QByteArray &json);
        /// When a file kept at \a nowMs expires, in ms: \a expirySeconds from then, or from
        /// \a shownFromMs when that is later (the time of a scheduled message).
        static qint64 expiryMsOf(qint64 nowMs, qint64 shownFromMs, qint64 expirySeconds)
        {
            return qMax(nowMs, shownFromMs) + expirySeconds * 1000;
        }
        /// A new file of \a content named \a name, kept at \a nowMs, expiring as expiryMsOf() says.
        static File describe(const QString &id, const QByteArray &content, const QString &name, qint64 nowMs,
                             qint64 shownFromMs, qint64 expirySeconds);
    };
    /// Why a file was not kept.
    enum class Refusal {
        None,
        TooLarge,
        BadName, ///< its name breaks a rule (Attachment::nameError())
        Unwritable, ///< the disk (or the cluster's Redis) cannot take it
        Unavailable, ///< the cluster's Redis cannot be reached now
    };
    struct Kept
    {
        std::optional<File> file;
        Refusal refusal = Refusal::None;
        QString error; ///< for a person
    };

    /// What a request for a file finds.
    struct Read
    {
        enum class Outcome { Found, Gone, NotFound, Unavailable };
        Outcome outcome = Outcome::NotFound;
        File file; ///< unless NotFound or Unavailable
        QByteArray content; ///< when Found
        QString error; ///< for a person, unless Found
    };
    /// The answer to a request for a file gone: it expired, or made room for newer ones.
    static Read goneRead(const File &file);
    /// The answer to a request for a file that never was, or was taken back.
    static Read notFoundRead();
    /// Why a file of \a size bytes cannot be kept within \a limits; null when it can be.
    static std::optional<Kept> sizeRefusal(qint64 size, const Limits &limits);
    /// The length of a file's id.
    static constexpr qsizetype IdLength = 24;

    /// How long a gone file's description stays at least, past its expiry.
    static constexpr qint64 GoneKeptSeconds = 24 * 3600;
    /// The bytes of files held in memory at most, besides the one being sent.
    static constexpr qint64 MemoryBytes = 64 * 1024 * 1024;

    AttachmentStore(const QString &folder, const Limits &limits);

    /// Makes the folder (only its owner may enter it) and reads what it holds: files without a
    /// description, left by a stop in the middle of keeping them, go. False, with a message a person
    /// can act on, when the folder cannot be used.
    bool open(QString *errorMessage);
    QString folder() const { return m_folder; }

    /// Keeps \a content as the file \a name at \a nowMs, synced to the disk; the oldest files go
    /// first to make room. Its lifetime starts at \a shownFromMs when that is later (the time of a
    /// scheduled message).
    Kept keep(const QByteArray &content, const QString &name, qint64 nowMs, qint64 shownFromMs = 0);
    /// The file \a id, gone or not; null when there is none.
    const File *find(const QString &id) const;
    /// The file \a id and its content, as a request for it at \a nowMs finds them.
    Read read(const QString &id, qint64 nowMs);
    /// The content of \a id, which must be a file that is not gone; null when it cannot be read.
    QByteArray content(const QString &id);
    /// Keeps \a id until \a expiresAt (Unix seconds) at least; false when it is gone or unknown.
    bool extend(const QString &id, qint64 expiresAt);
    /// Deletes \a id and its description: its URL then answers "not found".
    void remove(const QString &id);
    /// Lets the files past their expiry at \a nowMs go, and forgets those gone a lifetime (a day at
    /// least) ago.
    /// Returns how many went.
    int expire(qint64 nowMs);

    void setLimits(const Limits &limits);
    const Limits &limits() const { return m_limits; }
    /// Bytes of the files kept (not gone).
    qint64 bytes() const { return m_bytes; }
    /// Files kept (not gone).
    int count() const;

    /// Whether a file of \a type may be shown in a page (PNG, JPEG, GIF and WebP pictures and
    /// plain text); every other type is served as a download.
    static bool isShownInline(const QString &type);
    /// The type of \a content, read from its bytes alone (the shared MIME database).
    static QString typeOf(const QByteArray &content);

private:
    QString pathOf(const QString &id) const;
    QString descriptionPathOf(const QString &id) const;
    bool writeDescription(const File &file, QString *error) const;
    /// Writes \a content to \a path in one piece, synced, replacing what was there; false, with
    /// \a error, when any of it could not be written.
    static bool writeWhole(const QString &path, const QByteArray &content, QString *error);
    /// Lets \a id's content go, keeping its description marked gone.
    void letGo(File &file);
    void hold(const QString &id, const QByteArray &content);
    /// Lets the oldest files (but \a kept) go until the total and the count fit, and forgets the
    /// oldest gone ones past the count.
    void makeRoom(const QString &kept);

    QString m_folder;
    Limits m_limits;
    QHash<QString, File> m_files;
    qint64 m_bytes = 0;
    /// Contents held in memory, the most recently used last.
    QList<QPair<QString, QByteArray>> m_held;
    qint64 m_heldBytes = 0;
};
