#include "readertokenfile.h"

#include "filesync.h"
#include "foldersync.h"
#include "serviceconfig.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace {

constexpr QFile::Permissions OwnerOnly = QFile::ReadOwner | QFile::WriteOwner;

/// Whether \a text is a token as ServiceConfig::generateToken() makes them.
bool isGeneratedToken(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z0-9_-]{32}$"));
    return shape.match(text).hasMatch();
}

} // namespace

ReaderTokenFile::ReaderTokenFile(const QString &dataDirectory)
    : m_fileName(QDir(dataDirectory).absoluteFilePath(QStringLiteral("reader-token")))
{}

QString ReaderTokenFile::take(const QString &token, QString *errorMessage) const
{
    QFile saved(m_fileName);
    if (saved.open(QIODevice::ReadOnly)) {
        const QString text = QString::fromLatin1(saved.readAll().trimmed());
        saved.close();
        if (isGeneratedToken(text) && text != token) {
            QFile::setPermissions(m_fileName, OwnerOnly); // in case someone opened it up
            return text;
        }
    }

    // Written under another name, created for its owner's eyes only, synced, and then renamed
    // over the old one: a crash leaves one whole token or the other, never half of one.
    const QString made = ServiceConfig::generateToken();
    const QString partName = m_fileName + QLatin1String(".new");
    QFile::remove(partName);
    QFile part(partName);
    const auto failed = [&](const QString &why) {
        *errorMessage = QStringLiteral("cannot save the reader token in %1: %2; a new one is made for this run, "
                                       "so the links given out now work only until Herald restarts")
                            .arg(m_fileName, why);
        part.remove();
        return QString();
    };
    if (!part.open(QIODevice::WriteOnly | QIODevice::NewOnly, OwnerOnly))
        return failed(part.errorString());
    if (part.write(made.toLatin1() + '\n') < 0 || !part.flush())
        return failed(part.errorString());
    if (const QString why = syncFileData(part.handle()); !why.isEmpty())
        return failed(why);
    part.close();
    if (const std::string why = replaceFile(part.filesystemFileName(), QFile(m_fileName).filesystemFileName());
        !why.empty())
        return failed(QString::fromLocal8Bit(why));
    return made;
}
