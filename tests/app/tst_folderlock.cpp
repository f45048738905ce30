#include "folderlock.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>

/// The data folder's lock: one holder at a time, the holder named to whoever is refused, taken
/// over once released, and a clear failure where the file cannot be made.
class tst_FolderLock : public QObject
{
    Q_OBJECT

private slots:
    void oneHolderAtATimeNamedToTheOthers();
    void aShorterDescriptionLeavesNothingOfTheLongerOne();
    void aFileThatCannotBeMadeFailsWithTheSystemsReason();
};

namespace {

std::filesystem::path lockIn(const QTemporaryDir &folder)
{
    return QFile(QDir(folder.path()).filePath(u"herald.lock"_qs)).filesystemFileName();
}

QByteArray contentOf(const std::filesystem::path &file)
{
    QFile read(QString::fromStdU16String(file.u16string()));
    return read.open(QIODevice::ReadOnly) ? read.readAll() : QByteArray("(unreadable)");
}

} // namespace

void tst_FolderLock::oneHolderAtATimeNamedToTheOthers()
{
    QTemporaryDir folder;
    const std::filesystem::path file = lockIn(folder);
    std::int64_t holder = -1;
    auto first = std::make_unique<FolderLock>();
    QCOMPARE(first->take(file, &holder), FolderLock::Outcome::Taken);
    QVERIFY(first->describeHolder("4242\n/usr/bin/herald\nhost\n"));

    // A second lock, even from this process, is refused and told who holds the folder.
    FolderLock second;
    QCOMPARE(second.take(file, &holder), FolderLock::Outcome::HeldByAnother);
    QCOMPARE(holder, std::int64_t(4242));

    // Released, it is taken over, and names its holder no more (its file is gone, on POSIX).
    first.reset();
#ifndef Q_OS_WIN
    QVERIFY(!QFile::exists(QString::fromStdU16String(file.u16string())));
#endif
    FolderLock third;
    QCOMPARE(third.take(file, &holder), FolderLock::Outcome::Taken);
    // A holder that wrote nothing is named by nobody.
    FolderLock fourth;
    QCOMPARE(fourth.take(file, &holder), FolderLock::Outcome::HeldByAnother);
    QCOMPARE(holder, std::int64_t(0));
}

void tst_FolderLock::aShorterDescriptionLeavesNothingOfTheLongerOne()
{
    QTemporaryDir folder;
    const std::filesystem::path file = lockIn(folder);
    {
        QFile earlier(QString::fromStdU16String(file.u16string()));
        QVERIFY(earlier.open(QIODevice::WriteOnly));
        earlier.write("99999\n/a/long/path/of/a/Herald/that/crashed/herald\nsomewhere.example\n");
    }
    FolderLock lock;
    std::int64_t holder = -1;
    QCOMPARE(lock.take(file, &holder), FolderLock::Outcome::Taken);
    QVERIFY(lock.describeHolder("7\n/h\nx\n"));
    // (Windows blanks what stood after it with empty lines rather than cut the file shorter.)
    QCOMPARE(contentOf(file).trimmed(), QByteArray("7\n/h\nx"));
}

void tst_FolderLock::aFileThatCannotBeMadeFailsWithTheSystemsReason()
{
    QTemporaryDir folder;
    FolderLock lock;
    std::int64_t holder = -1;
    const std::filesystem::path file
        = QFile(QDir(folder.path()).filePath(u"no-such-folder/herald.lock"_qs)).filesystemFileName();
    QCOMPARE(lock.take(file, &holder), FolderLock::Outcome::Failed);
    QVERIFY2(!lock.why().empty(), "no reason given");
#ifndef Q_OS_WIN
    QCOMPARE(QString::fromLocal8Bit(lock.why()), QString::fromLocal8Bit(std::strerror(ENOENT)));
#endif
}

QTEST_GUILESS_MAIN(tst_FolderLock)
#include "tst_folderlock.moc"
