#include "foldersync.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

/// Replacing a file in one step (the reader token's way) and syncing a folder (the journal's
/// after compaction), with the system's reason when either cannot be done.
class tst_FolderSync : public QObject
{
    Q_OBJECT

private slots:
    void aFileReplacesAnotherOrTakesAFreeName();
    void whatCannotBeDoneSaysWhy();
};

namespace {

std::filesystem::path pathOf(const QString &name)
{
    return QFile(name).filesystemFileName();
}

QByteArray contentOf(const QString &name)
{
    QFile file(name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(missing)");
}

bool write(const QString &name, const QByteArray &content)
{
    QFile file(name);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

void tst_FolderSync::aFileReplacesAnotherOrTakesAFreeName()
{
    QTemporaryDir folder;
    const QDir dir(folder.path());
    const QString target = dir.filePath(u"token"_qs);
    const QString part = dir.filePath(u"token.new"_qs);

    QVERIFY(write(part, "first\n"));
    QCOMPARE(replaceFile(pathOf(part), pathOf(target)), std::string());
    QCOMPARE(contentOf(target), QByteArray("first\n"));
    QVERIFY(!QFile::exists(part));

    QVERIFY(write(part, "second\n"));
    QCOMPARE(replaceFile(pathOf(part), pathOf(target)), std::string()); // over one that exists
    QCOMPARE(contentOf(target), QByteArray("second\n"));
    QVERIFY(!QFile::exists(part));
    QCOMPARE(dir.entryList(QDir::Files), QStringList{u"token"_qs});

    QCOMPARE(syncFolder(pathOf(folder.path())), std::string());
}

void tst_FolderSync::whatCannotBeDoneSaysWhy()
{
    QTemporaryDir folder;
    const QDir dir(folder.path());
    QVERIFY(write(dir.filePath(u"target"_qs), "kept\n"));
    const std::string missingPart = replaceFile(pathOf(dir.filePath(u"none"_qs)), pathOf(dir.filePath(u"target"_qs)));
    QVERIFY2(!missingPart.empty(), "a missing file replaced another");
    QCOMPARE(contentOf(dir.filePath(u"target"_qs)), QByteArray("kept\n"));
    QVERIFY(!syncFolder(pathOf(dir.filePath(u"no-such-folder"_qs))).empty());
}

QTEST_GUILESS_MAIN(tst_FolderSync)
#include "tst_foldersync.moc"
