#include "attachmentstore.h"
#include "filesizelimit.h"
#include "testpictures.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

/// The files messages carry as the README promises them: kept byte for byte under a random id,
/// typed by their content, bounded by size, by total and by time, and still there after a restart.
class tst_AttachmentStore : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void keepsAFileByteForByteTypedByItsContent();
    void aFileOverTheLimitIsRefusedAndNothingIsWritten();
    void theOldestGoFirstToStayWithinTheTotal();
    void theOldestGoFirstToStayWithinTheCountAndGoneOnesAreForgotten();
    void aFileTheDiskCannotTakeCostsNoOlderOne();
    void aFileLivesLongerWhenItsMessageIsLater();
    void filesGoWhenTheyExpireAndAreForgottenALifetimeLater();
    void removingDeletesTheFileAndItsDescription();
    void aRestartKeepsFilesAndDropsHalfWrittenOnes();
    void aFolderThatCannotBeUsedIsAnErrorNamingIt();
    void onlyPicturesAndPlainTextAreShownInline();

private:
    AttachmentStore::Limits limits(qint64 maxFile = 1000, qint64 total = 10'000, qint64 expiry = 60,
                                   int maxFiles = AttachmentStore::MaxFiles) const
    {
        return {maxFile, total, expiry, maxFiles};
    }
    QStringList filesOnDisk() const { return QDir(m_folder).entryList(QDir::Files | QDir::Hidden); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_folder;
};

namespace {

constexpr qint64 Start = 1'700'000'000'000; // ms

} // namespace

void tst_AttachmentStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_folder = m_dir->filePath(u"attachments"_qs);
}

void tst_AttachmentStore::keepsAFileByteForByteTypedByItsContent()
{
    AttachmentStore store(m_folder, limits(10'000));
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QCOMPARE(QFileInfo(m_folder).permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());

    // A picture named as text is a picture: its name says nothing of what it is.
    const QByteArray picture = pngPicture(4, 3);
    const AttachmentStore::Kept kept = store.keep(picture, u"notes.txt"_qs, Start);
    QVERIFY2(kept.file, qPrintable(kept.error));
    QCOMPARE(kept.file->type, u"image/png"_qs);
    QCOMPARE(kept.file->extension(), u"png"_qs);
    QCOMPARE(kept.file->name, u"notes.txt"_qs);
    QCOMPARE(kept.file->size, picture.size());
    QCOMPARE(kept.file->expiresAt, Start / 1000 + 60);
    QCOMPARE(kept.file->id.size(), 24);
    QCOMPARE(store.content(kept.file->id), picture);
    QCOMPARE(store.bytes(), picture.size());
    QCOMPARE(store.count(), 1);

    // Ids are random: a second file of the same bytes is another file.
    const AttachmentStore::Kept again = store.keep(picture, u"notes.txt"_qs, Start);
    QVERIFY(again.file && again.file->id != kept.file->id);
    QFile onDisk(QDir(m_folder).filePath(again.file->id));
    QVERIFY(onDisk.open(QIODevice::ReadOnly));
    QCOMPARE(onDisk.readAll(), picture);
}

void tst_AttachmentStore::aFileOverTheLimitIsRefusedAndNothingIsWritten()
{
    AttachmentStore store(m_folder, limits(100));
    QString error;
    QVERIFY(store.open(&error));
    const AttachmentStore::Kept refused = store.keep(QByteArray(101, 'x'), u"big.bin"_qs, Start);
    QVERIFY(!refused.file);
    QCOMPARE(refused.refusal, AttachmentStore::Refusal::TooLarge);
    QVERIFY2(refused.error.contains(u"--attachment-max"_qs), qPrintable(refused.error));
    QVERIFY(filesOnDisk().isEmpty());
    QVERIFY(store.keep(QByteArray(100, 'x'), u"fits.bin"_qs, Start).file);
}

void tst_AttachmentStore::theOldestGoFirstToStayWithinTheTotal()
{
    AttachmentStore store(m_folder, limits(1000, 250));
    QString error;
    QVERIFY(store.open(&error));
    const auto first = store.keep(QByteArray(100, 'a'), u"a"_qs, Start).file;
    const auto second = store.keep(QByteArray(100, 'b'), u"b"_qs, Start + 1).file;
    QVERIFY(first && second);
    const auto third = store.keep(QByteArray(100, 'c'), u"c"_qs, Start + 2).file;
    QVERIFY(third);

    QCOMPARE(store.bytes(), 200);
    QCOMPARE(store.count(), 2);
    QVERIFY(store.find(first->id) && store.find(first->id)->gone);
    QVERIFY(store.content(first->id).isEmpty());
    QVERIFY(!QFile::exists(QDir(m_folder).filePath(first->id)));
    QCOMPARE(store.content(second->id), QByteArray(100, 'b'));
    QCOMPARE(store.content(third->id), QByteArray(100, 'c'));

    // A file larger than the whole total is refused rather than emptying the store.
    QVERIFY(!store.keep(QByteArray(251, 'd'), u"d"_qs, Start + 3).file);
    QCOMPARE(store.count(), 2);
}

void tst_AttachmentStore::theOldestGoFirstToStayWithinTheCountAndGoneOnesAreForgotten()
{
    AttachmentStore store(m_folder, limits(1000, 10'000, 60, 2));
    QString error;
    QVERIFY(store.open(&error));
    QStringList ids;
    for (int i = 0; i < 5; ++i)
        ids.append(store.keep(QByteArray(1, char('a' + i)), u"f"_qs, Start + i).file->id);
    QCOMPARE(store.count(), 2);
    QCOMPARE(store.content(ids.at(4)), QByteArray("e"));
    QCOMPARE(store.content(ids.at(3)), QByteArray("d"));
    // Two gone ones are remembered (410), the oldest forgotten (404).
    QVERIFY(store.find(ids.at(2)) && store.find(ids.at(2))->gone);
    QVERIFY(store.find(ids.at(1)) && store.find(ids.at(1))->gone);
    QVERIFY(!store.find(ids.at(0)));
    QCOMPARE(filesOnDisk().size(), 2 * 2 + 2); // two files with descriptions, two descriptions alone
}

void tst_AttachmentStore::aFileTheDiskCannotTakeCostsNoOlderOne()
{
    AttachmentStore store(m_folder, limits(1000, 250));
    QString error;
    QVERIFY(store.open(&error));
    const QString first = store.keep(QByteArray(100, 'a'), u"a"_qs, Start).file->id;
    const QString second = store.keep(QByteArray(100, 'b'), u"b"_qs, Start + 1).file->id;
    {
        FileSizeLimit full(50);
        QVERIFY(full.isSet());
        const AttachmentStore::Kept refused = store.keep(QByteArray(100, 'c'), u"c"_qs, Start + 2);
        QVERIFY(!refused.file);
        QCOMPARE(refused.refusal, AttachmentStore::Refusal::Unwritable);
        QVERIFY2(refused.error.contains(u"bytes could be written"_qs), qPrintable(refused.error));
    }
    QCOMPARE(store.content(first), QByteArray(100, 'a'));
    QCOMPARE(store.content(second), QByteArray(100, 'b'));
    QCOMPARE(store.count(), 2);
    QCOMPARE(filesOnDisk().size(), 4); // nothing half-written left behind
}

void tst_AttachmentStore::aFileLivesLongerWhenItsMessageIsLater()
{
    AttachmentStore store(m_folder, limits(1000, 10'000, 60));
    QString error;
    QVERIFY(store.open(&error));
    const auto file = store.keep("later", u"a.txt"_qs, Start, Start + 3'600'000).file;
    QCOMPARE(file->expiresAt, (Start + 3'600'000) / 1000 + 60); // from its message's time
    QVERIFY(store.extend(file->id, file->expiresAt + 1000));
    QCOMPARE(store.expire(Start + 3'600'000 + 61'000), 0);
    AttachmentStore again(m_folder, limits(1000, 10'000, 60));
    QVERIFY(again.open(&error));
    QCOMPARE(again.find(file->id)->expiresAt, file->expiresAt + 1000); // kept in its description
}

void tst_AttachmentStore::filesGoWhenTheyExpireAndAreForgottenALifetimeLater()
{
    AttachmentStore store(m_folder, limits(1000, 10'000, 60));
    QString error;
    QVERIFY(store.open(&error));
    const auto file = store.keep("soon gone", u"a.txt"_qs, Start).file;
    QVERIFY(file);
    QCOMPARE(store.expire(Start + 59'999), 0);
    QCOMPARE(store.content(file->id), QByteArray("soon gone"));
    QCOMPARE(store.expire(Start + 60'000), 1);
    QVERIFY(store.find(file->id)->gone);
    QCOMPARE(store.bytes(), 0);
    QCOMPARE(filesOnDisk(), QStringList{file->id + u".json"_qs}); // its description says it went
    // Its URL says "gone" for a day at least (a lifetime, when that is longer), then nothing.
    const qint64 forgotten = Start + 60'000 + AttachmentStore::GoneKeptSeconds * 1000;
    QCOMPARE(store.expire(forgotten - 1), 0);
    QVERIFY(store.find(file->id));
    QCOMPARE(store.expire(forgotten), 0);
    QVERIFY(!store.find(file->id));
    QVERIFY(filesOnDisk().isEmpty());
}

void tst_AttachmentStore::removingDeletesTheFileAndItsDescription()
{
    AttachmentStore store(m_folder, limits());
    QString error;
    QVERIFY(store.open(&error));
    const auto file = store.keep("taken back", u"a.txt"_qs, Start).file;
    QVERIFY(file);
    QCOMPARE(filesOnDisk().size(), 2);
    store.remove(file->id);
    QVERIFY(!store.find(file->id));
    QVERIFY(filesOnDisk().isEmpty());
    QCOMPARE(store.bytes(), 0);
}

void tst_AttachmentStore::aRestartKeepsFilesAndDropsHalfWrittenOnes()
{
    QString kept;
    QString lost;
    {
        AttachmentStore store(m_folder, limits());
        QString error;
        QVERIFY(store.open(&error));
        kept = store.keep("still here", u"a.txt"_qs, Start).file->id;
        lost = store.keep("cut short", u"b.txt"_qs, Start).file->id;
    }
    // A file whose content was being written when Herald stopped, with no description yet, and
    // one whose content was lost on the way.
    QFile stray(QDir(m_folder).filePath(u"ABCDEFGHIJKLMNOPQRSTUVWX"_qs));
    QVERIFY(stray.open(QIODevice::WriteOnly));
    stray.write("half");
    stray.close();
    QFile::resize(QDir(m_folder).filePath(lost), 3);

    AttachmentStore store(m_folder, limits());
    QString error;
    QVERIFY(store.open(&error));
    QCOMPARE(store.content(kept), QByteArray("still here"));
    QCOMPARE(store.find(kept)->name, u"a.txt"_qs);
    QVERIFY(store.find(lost)->gone);
    QVERIFY(!store.find(u"ABCDEFGHIJKLMNOPQRSTUVWX"_qs));
    QVERIFY(!QFile::exists(stray.fileName()));
    QCOMPARE(store.bytes(), 10);
}

void tst_AttachmentStore::aFolderThatCannotBeUsedIsAnErrorNamingIt()
{
    QFile blocker(m_folder);
    QVERIFY(blocker.open(QIODevice::WriteOnly)); // a file where the folder should be
    blocker.close();
    AttachmentStore store(m_folder, limits());
    QString error;
    QVERIFY(!store.open(&error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(m_folder)), qPrintable(error));
}

void tst_AttachmentStore::onlyPicturesAndPlainTextAreShownInline()
{
    QCOMPARE(AttachmentStore::typeOf(pngPicture(4, 3)), u"image/png"_qs);
    QCOMPARE(AttachmentStore::typeOf("<!DOCTYPE html><html><script>alert(1)</script></html>"), u"text/html"_qs);
    QCOMPARE(AttachmentStore::typeOf("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
             u"image/svg+xml"_qs);
    QCOMPARE(AttachmentStore::typeOf("just words\n"), u"text/plain"_qs);
    QCOMPARE(AttachmentStore::typeOf(QByteArray("\x00\x01\x02\xff\xfe", 5)), u"application/octet-stream"_qs);

    for (const char *shown : {"image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"})
        QVERIFY2(AttachmentStore::isShownInline(QString::fromLatin1(shown)), shown);
    for (const char *downloaded : {"text/html", "image/svg+xml", "application/pdf", "application/octet-stream",
                                   "application/xhtml+xml", "text/xml"})
        QVERIFY2(!AttachmentStore::isShownInline(QString::fromLatin1(downloaded)), downloaded);
}

QTEST_APPLESS_MAIN(tst_AttachmentStore)
#include "tst_attachmentstore.moc"
