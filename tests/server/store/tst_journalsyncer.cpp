#include "journalsyncer.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>

#include <chrono>
#include <mutex>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// A gathering window no test waits out: a sync that waits for it fails the test by its timeout.
std::chrono::microseconds aMinute(std::chrono::microseconds)
{
    return 60s;
}

struct Report
{
    quint64 written;
    QString error;
};

/// What a syncer reported, in order, as its callback saw it; the first report can be held.
class Reports
{
public:
    explicit Reports(bool holdTheFirst = false)
        : m_holdTheFirst(holdTheFirst)
    {}

    JournalSyncer::Synced callback()
    {
        return [this](quint64 written, const QString &error) {
            size_t count;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_reports.push_back({written, error});
                count = m_reports.size();
            }
            if (count == 1 && m_holdTheFirst) { // hold the syncer here, as if the disk were slow
                m_firstReported.release();
                m_letGo.acquire();
            }
        };
    }
    bool waitForTheFirst() { return m_firstReported.tryAcquire(1, 10000); }
    void letGo() { m_letGo.release(); }
    size_t count()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_reports.size();
    }
    Report at(size_t index)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_reports.at(index);
    }

private:
    const bool m_holdTheFirst;
    std::mutex m_mutex;
    std::vector<Report> m_reports;
    QSemaphore m_firstReported;
    QSemaphore m_letGo;
};

} // namespace

/// Group commit: journal writes asked for while a sync runs share the next sync, and the writers
/// a sync answered are gathered into the next one.
class tst_JournalSyncer : public QObject
{
    Q_OBJECT

private slots:
    void writesAskedForDuringASyncShareTheNextOne();
    void theWritersASyncAnsweredAreGatheredIntoTheNext();
    void aLoneWriterIsNeverKeptWaiting();
    void stoppingEndsTheGathering();
    void aSyncThatCannotHappenSaysWhy();

private:
    /// Has \a syncer sync write 1, held in its report while writes 2 to \a last are asked for,
    /// which the next sync answers together: the writers it then expects back.
    void syncThenShare(JournalSyncer &syncer, Reports &reports, QTemporaryFile &file, quint64 last);
};

void tst_JournalSyncer::writesAskedForDuringASyncShareTheNextOne()
{
    Reports reports(true);
    QTemporaryFile file;
    JournalSyncer syncer(reports.callback());
    syncThenShare(syncer, reports, file, 100);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(reports.at(0).written, 1u);
    QVERIFY(reports.at(0).error.isEmpty());
    QVERIFY(reports.at(1).error.isEmpty());
}

void tst_JournalSyncer::syncThenShare(JournalSyncer &syncer, Reports &reports, QTemporaryFile &file, quint64 last)
{
    QVERIFY(file.open());
    QVERIFY(file.write("record\n") > 0 && file.flush());
    syncer.setFile(file.handle());
    syncer.requestSync(1);
    QVERIFY(reports.waitForTheFirst());
    for (quint64 written = 2; written <= last; ++written)
        syncer.requestSync(written);
    reports.letGo();
    QTRY_COMPARE(reports.count(), 2u);
    QCOMPARE(reports.at(1).written, last); // the writes asked for during the first sync share one
}

void tst_JournalSyncer::theWritersASyncAnsweredAreGatheredIntoTheNext()
{
    // Fourteen publishers were answered by one sync. They come back one by one, the first well
    // before the others: the next sync waits for all fourteen rather than taking the first alone.
    Reports reports(true);
    QTemporaryFile file;
    JournalSyncer syncer(reports.callback(), aMinute);
    syncThenShare(syncer, reports, file, 15); // 14 writers answered, and expected back
    if (QTest::currentTestFailed())
        return;
    syncer.requestSync(16);
    QThread::msleep(200); // long enough for a sync of its own, had it been started
    for (quint64 written = 17; written <= 29; ++written)
        syncer.requestSync(written);
    QTRY_COMPARE(reports.count(), 3u);
    QCOMPARE(reports.at(2).written, 29u);
    QVERIFY(reports.at(2).error.isEmpty());
}

void tst_JournalSyncer::aLoneWriterIsNeverKeptWaiting()
{
    // One write at a time: each is synced at once, however long the window to gather others.
    QTemporaryFile file;
    QVERIFY(file.open());
    QVERIFY(file.write("record\n") > 0 && file.flush());
    Reports reports;
    JournalSyncer syncer(reports.callback(), aMinute);
    syncer.setFile(file.handle());
    for (quint64 written = 1; written <= 5; ++written) {
        syncer.requestSync(written);
        QTRY_COMPARE_WITH_TIMEOUT(reports.count(), size_t(written), 30000);
        QCOMPARE(reports.at(written - 1).written, written);
    }
}

void tst_JournalSyncer::stoppingEndsTheGathering()
{
    // Herald stopping while the syncer waits for writers that will not come: what was asked for
    // is synced and reported at once, not after the window.
    Reports reports(true);
    QTemporaryFile file;
    QElapsedTimer stopping;
    {
        JournalSyncer syncer(reports.callback(), aMinute);
        syncThenShare(syncer, reports, file, 15); // 14 writers answered, and expected back
        if (QTest::currentTestFailed())
            return;
        syncer.requestSync(16);
        QThread::msleep(50);
        stopping.start();
    }
    QVERIFY2(stopping.elapsed() < 30000, "the syncer waited out its window before stopping");
    QCOMPARE(reports.count(), 3u);
    QCOMPARE(reports.at(2).written, 16u);
    QVERIFY(reports.at(2).error.isEmpty());
}

void tst_JournalSyncer::aSyncThatCannotHappenSaysWhy()
{
    Reports reports;
    JournalSyncer syncer(reports.callback());
    syncer.requestSync(3); // no file was given
    QTRY_VERIFY(reports.count() > 0);
    QCOMPARE(reports.at(0).written, 3u);
    QVERIFY(!reports.at(0).error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_JournalSyncer)
#include "tst_journalsyncer.moc"
