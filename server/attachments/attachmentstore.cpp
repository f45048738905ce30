#include "attachmentstore.h"

#include "textrules.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace {

const QString DescriptionSuffix = QStringLiteral(".json");

bool isId(QStringView text)
{
    static const QRegularExpression rule(QStringLiteral("^[A-Za-z0-9]{24}$"));
    return rule.match(text).hasMatch();
}

} // namespace

QString AttachmentStore::File::extension() const
{
    const QString suffix = QMimeDatabase().mimeTypeForName(type).preferredSuffix();
    static const QRegularExpression rule(QStringLiteral("^[A-Za-z0-9]{1,10}$"));
    return rule.match(suffix).hasMatch() ? suffix : QString();
}

QByteArray AttachmentStore::File::toJson() const
{
    QJsonObject object{{QStringLiteral("name"), name},
                       {QStringLiteral("type"), type},
                       {QStringLiteral("size"), size},
                       {QStringLiteral("kept"), keptAtMs},
                       {QStringLiteral("expires"), expiresAt}};
    if (gone)
        object.insert(QStringLiteral("gone"), true);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<AttachmentStore::File> AttachmentStore::File::fromJson(const QString &id, const QByteArray &json)
{
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    File file;
    file.id = id;
    file.name = object.value(QStringLiteral("name")).toString();
    file.type = object.value(QStringLiteral("type")).toString();
    file.size = qint64(object.value(QStringLiteral("size")).toDouble(-1));
    file.keptAtMs = qint64(object.value(QStringLiteral("kept")).toDouble());
    file.expiresAt = qint64(object.value(QStringLiteral("expires")).toDouble());
    file.gone = object.value(QStringLiteral("gone")).toBool();
    if (file.name.isEmpty() || file.type.isEmpty() || file.size < 0 || file.expiresAt <= 0)
        return std::nullopt;
    return file;
}

AttachmentStore::File AttachmentStore::File::describe(const QString &id, const QByteArray &content, const QString &name,
                                                      qint64 nowMs, qint64 shownFromMs, qint64 expirySeconds)
{
    File file;
    file.id = id;
    file.name = name;
    file.type = typeOf(content);
    file.size = content.size();
    file.keptAtMs = nowMs;
    file.expiresAt = expiryMsOf(nowMs, shownFromMs, expirySeconds) / 1000;
    return file;
}

AttachmentStore::Read AttachmentStore::goneRead(const File &file)
{
    Read read;
    read.outcome = Read::Outcome::Gone;
    read.file = file;
    read.error = QStringLiteral("the file \"%1\" expired: Herald keeps files for --attachment-expiry, within "
                                "--attachment-bytes")
                     .arg(file.name);
    return read;
}

AttachmentStore::Read AttachmentStore::notFoundRead()
{
    Read read;
    read.error = QStringLiteral("no such file: it was never sent, or was taken back");
    return read;
}

std::optional<AttachmentStore::Kept> AttachmentStore::sizeRefusal(qint64 size, const Limits &limits)
{
    if (size <= limits.maxFileBytes && size <= limits.maxTotalBytes)
        return std::nullopt;
    return Kept{std::nullopt, Refusal::TooLarge,
                QStringLiteral("the file is %1 bytes; Herald takes files of at most %2 (--attachment-max, "
                               "--attachment-bytes)")
                    .arg(size)
                    .arg(qMin(limits.maxFileBytes, limits.maxTotalBytes))};
}

AttachmentStore::AttachmentStore(const QString &folder, const Limits &limits)
    : m_folder(folder)
    , m_limits(limits)
{}

bool AttachmentStore::open(QString *errorMessage)
{
    QDir dir(m_folder);
    if (!dir.mkpath(QStringLiteral("."))
        || !QFile::setPermissions(m_folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        *errorMessage = QStringLiteral("Herald cannot make or use the folder for attachments, %1: check that "
                                       "it may write there")
                            .arg(QDir::toNativeSeparators(m_folder));
        return false;
    }
    m_files.clear();
    m_bytes = 0;
    const QStringList names = dir.entryList(QDir::Files | QDir::Hidden);
    for (const QString &name : names) {
        if (!name.endsWith(DescriptionSuffix))
            continue;
        const QString id = name.chopped(DescriptionSuffix.size());
        QFile description(dir.filePath(name));
        if (!isId(id) || !description.open(QIODevice::ReadOnly))
            continue;
        std::optional<File> file = File::fromJson(id, description.read(64 * 1024));
        if (!file)
            continue;
        if (!file->gone && QFileInfo(pathOf(id)).size() != file->size)
            letGo(*file); // its content is missing or cut short: what the description says is gone
        else if (!file->gone)
            m_bytes += file->size;
        m_files.insert(id, *file);
    }
    // Whatever else is here was being written when Herald stopped, or is a description nothing
    // could be read from: neither was ever given out.
    for (const QString &name : names) {
        const QString id = name.endsWith(DescriptionSuffix) ? name.chopped(DescriptionSuffix.size()) : name;
        const auto file = m_files.constFind(id);
        if (file == m_files.constEnd() || (file->gone && name == id))
            dir.remove(name);
    }
    return true;
}

AttachmentStore::Kept AttachmentStore::keep(const QByteArray &content, const QString &name, qint64 nowMs,
                                            qint64 shownFromMs)
{
    if (std::optional<Kept> refused = sizeRefusal(content.size(), m_limits))
        return *refused;
    QString id;
    do {
        id = randomLettersAndDigits(IdLength);
    } while (m_files.contains(id));
    const File file = File::describe(id, content, name, nowMs, shownFromMs, m_limits.expirySeconds);

    QString error;
    if (writeWhole(pathOf(file.id), content, &error) && !writeDescription(file, &error))
        QFile::remove(pathOf(file.id));
    if (!error.isEmpty()) {
        return {std::nullopt, Refusal::Unwritable,
                QStringLiteral("Herald cannot keep the file in %1: %2").arg(QDir::toNativeSeparators(m_folder), error)};
    }
    m_files.insert(file.id, file);
    m_bytes += file.size;
    hold(file.id, content);
    // Written first, so that a file the disk cannot take costs no older one; then the oldest go
    // until the files fit the total and the count again.
    makeRoom(file.id);
    return {file, Refusal::None, QString()};
}

void AttachmentStore::makeRoom(const QString &kept)
{
    QList<File *> oldestFirst;
    for (File &file : m_files)
        oldestFirst.append(&file);
    std::sort(oldestFirst.begin(), oldestFirst.end(),
              [](const File *a, const File *b) { return a->keptAtMs < b->keptAtMs; });
    int files = count();
    for (File *oldest : std::as_const(oldestFirst)) {
        if (m_bytes <= m_limits.maxTotalBytes && files <= m_limits.maxFiles)
            break;
        if (oldest->gone || oldest->id == kept)
            continue;
        letGo(*oldest);
        --files;
    }
    // What went is remembered within a bound too: the oldest descriptions are forgotten first.
    qsizetype gone = std::count_if(oldestFirst.cbegin(), oldestFirst.cend(), [](const File *f) { return f->gone; });
    QStringList forgotten;
    for (const File *oldest : std::as_const(oldestFirst)) {
        if (gone <= m_limits.maxFiles)
            break;
        if (oldest->gone) {
            forgotten.append(oldest->id);
            --gone;
        }
    }
    for (const QString &id : std::as_const(forgotten))
        remove(id);
}

bool AttachmentStore::extend(const QString &id, qint64 expiresAt)
{
    const auto file = m_files.find(id);
    if (file == m_files.end() || file->gone)
        return false;
    if (expiresAt > file->expiresAt) {
        file->expiresAt = expiresAt;
        QString error;
        writeDescription(*file, &error); // unwritten, the file expires at its earlier time after a restart
    }
    return true;
}

const AttachmentStore::File *AttachmentStore::find(const QString &id) const
{
    const auto file = m_files.constFind(id);
    return file == m_files.constEnd() ? nullptr : &*file;
}

AttachmentStore::Read AttachmentStore::read(const QString &id, qint64 nowMs)
{
    const File *file = find(id);
    if (!file)
        return notFoundRead();
    if (file->gone || file->expiresAt * 1000 <= nowMs)
        return goneRead(*file);
    Read read;
    read.content = content(id);
    if (read.content.size() != file->size)
        return goneRead(*file); // its content went missing from the disk
    read.outcome = Read::Outcome::Found;
    read.file = *file;
    return read;
}

QByteArray AttachmentStore::content(const QString &id)
{
    for (qsizetype i = 0; i < m_held.size(); ++i) {
        if (m_held.at(i).first == id) {
            m_held.move(i, m_held.size() - 1);
            return m_held.constLast().second;
        }
    }
    const File *file = find(id);
    if (!file || file->gone)
        return {};
    QFile stored(pathOf(id));
    if (!stored.open(QIODevice::ReadOnly))
        return {};
    const QByteArray content = stored.readAll();
    if (content.size() != file->size)
        return {};
    hold(id, content);
    return content;
}

void AttachmentStore::remove(const QString &id)
{
    const auto file = m_files.find(id);
    if (file == m_files.end())
        return;
    if (!file->gone)
        letGo(*file);
    QFile::remove(descriptionPathOf(id));
    m_files.erase(file);
}

int AttachmentStore::expire(qint64 nowMs)
{
    int expired = 0;
    QStringList forgotten;
    for (File &file : m_files) {
        if (!file.gone && file.expiresAt * 1000 <= nowMs) {
            letGo(file);
            ++expired;
        }
        if (file.gone && (file.expiresAt + qMax(m_limits.expirySeconds, GoneKeptSeconds)) * 1000 <= nowMs)
            forgotten.append(file.id);
    }
    for (const QString &id : std::as_const(forgotten))
        remove(id);
    return expired;
}

void AttachmentStore::setLimits(const Limits &limits)
{
    m_limits = limits;
}

int AttachmentStore::count() const
{
    return int(std::count_if(m_files.cbegin(), m_files.cend(), [](const File &file) { return !file.gone; }));
}

bool AttachmentStore::isShownInline(const QString &type)
{
    static const QStringList shown{QStringLiteral("image/png"), QStringLiteral("image/jpeg"),
                                   QStringLiteral("image/gif"), QStringLiteral("image/webp"),
                                   QStringLiteral("text/plain")};
    return shown.contains(type);
}

QString AttachmentStore::typeOf(const QByteArray &content)
{
    return QMimeDatabase().mimeTypeForData(content).name();
}

QString AttachmentStore::pathOf(const QString &id) const
{
    return m_folder + u'/' + id;
}

QString AttachmentStore::descriptionPathOf(const QString &id) const
{
    return pathOf(id) + DescriptionSuffix;
}

bool AttachmentStore::writeDescription(const File &file, QString *error) const
{
    return writeWhole(descriptionPathOf(file.id), file.toJson(), error);
}

bool AttachmentStore::writeWhole(const QString &path, const QByteArray &content, QString *error)
{
    // Unbuffered: a buffered QSaveFile commits a file cut short by a full disk as if whole.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        *error = file.errorString();
        return false;
    }
    if (const qint64 written = file.write(content); written != content.size()) {
        *error = QStringLiteral("%1 of %2 bytes could be written (is the disk full?)")
                     .arg(qMax<qint64>(0, written))
                     .arg(content.size());
        return false;
    }
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void AttachmentStore::letGo(File &file)
{
    if (!file.gone && m_files.contains(file.id))
        m_bytes -= file.size;
    file.gone = true;
    QFile::remove(pathOf(file.id));
    for (qsizetype i = 0; i < m_held.size(); ++i) {
        if (m_held.at(i).first == file.id) {
            m_heldBytes -= m_held.at(i).second.size();
            m_held.removeAt(i);
            break;
        }
    }
    QString ignored;
    writeDescription(file, &ignored); // unwritten, the file is found missing at the next start
}

void AttachmentStore::hold(const QString &id, const QByteArray &content)
{
    m_held.append({id, content});
    m_heldBytes += content.size();
    while (m_heldBytes > MemoryBytes && m_held.size() > 1) {
        m_heldBytes -= m_held.constFirst().second.size();
        m_held.removeFirst();
    }
}
