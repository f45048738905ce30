#include "journalsyncer.h"

#include <QSemaphore>
#include <QTemporaryFile>
#include <QTest>

#include <mutex>
#include <vector>

/// Group commit: journal writes asked for while a sync runs share the next sync.
class tst_JournalSyncer : public QObject
{
    Q_OBJECT

private slots:
    void writesAskedForDuringASyncShareTheNextOne();
    void aSyncThatCannotHappenSaysWhy();

private:
    struct Report
    {
        quint64 written;
        QString error;
    };
};

void tst_JournalSyncer::writesAskedForDuringASyncShareTheNextOne()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QVERIFY(file.write("record\n") > 0 && file.flush());

    std::mutex mutex;
    std::vector<Report> reports;
    QSemaphore firstReported;
    QSemaphore letGo;
    JournalSyncer syncer([&](quint64 written, const QString &error) {
        size_t count;
        {
            std::lock_guard<std::mutex> lock(mutex);
            reports.push_back({written, error});
            count = reports.size();
        }
        if (count == 1) { // hold the syncer here, as if the disk were slow
            firstReported.release();
            letGo.acquire();
        }
    });
    syncer.setFile(file.handle());
    syncer.requestSync(1);
    QVERIFY(firstReported.tryAcquire(1, 10000));
    for (quint64 written = 2; written <= 100; ++written)
        syncer.requestSync(written);
    letGo.release();

    QTRY_VERIFY([&] {
        std::lock_guard<std::mutex> lock(mutex);
        return reports.size() == 2;
    }());
    std::lock_guard<std::mutex> lock(mutex);
    QCOMPARE(reports.at(0).written, 1u);
    QCOMPARE(reports.at(1).written, 100u); // the 99 writes share one sync
    QVERIFY(reports.at(0).error.isEmpty());
    QVERIFY(reports.at(1).error.isEmpty());
}

void tst_JournalSyncer::aSyncThatCannotHappenSaysWhy()
{
    std::mutex mutex;
    std::vector<Report> reports;
    JournalSyncer syncer([&](quint64 written, const QString &error) {
        std::lock_guard<std::mutex> lock(mutex);
        reports.push_back({written, error});
    });
    syncer.requestSync(3); // no file was given
    QTRY_VERIFY([&] {
        std::lock_guard<std::mutex> lock(mutex);
        return !reports.empty();
    }());
    std::lock_guard<std::mutex> lock(mutex);
    QCOMPARE(reports.front().written, 3u);
    QVERIFY(!reports.front().error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_JournalSyncer)
#include "tst_journalsyncer.moc"
