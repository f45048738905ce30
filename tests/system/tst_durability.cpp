#include "heraldprocess.h"
#include "httpclient.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

#include <thread>
#include <vector>

namespace {

/// What strace saw Herald do, in the order it happened: when each journal record was written (one
/// write may carry several), when each sync ran, and when each publish was answered. A syscall
/// another thread interrupted is split over two lines ("<unfinished ...>", then "<... resumed>");
/// it counts from its first line and as done at its last.
struct Trace
{
    struct Sync
    {
        int started;
        int finished;
    };
    QHash<quint64, int> recordWritten; ///< event id -> line where its journal write returned
    QHash<quint64, int> answered; ///< event id -> line where its 200 answer was written
    QList<int> batchesAnswered; ///< lines where a batch's 200 answer was written
    QList<Sync> syncs;

    static Trace read(const QString &fileName)
    {
        static const QRegularExpression journalWrite(uR"(history\.jsonl>, "\{)"_qs);
        static const QRegularExpression recordId(uR"(\\"id\\":\\"(\d+)\\")"_qs);
        static const QRegularExpression answer(uR"(socket:\[\d+\]>, "HTTP/1\.1 200 .*\\"id\\":(\d+)\})"_qs);
        // \x22, a double quote: moc would pair one in a raw string with the next string's
        static const QRegularExpression batchAnswer(uR"(socket:\[\d+\]>, .HTTP/1\.1 200 .*\\\x22ids\\\x22:)"_qs);
        static const QRegularExpression syncCall(uR"(^(\d+)\s+(?:fdatasync|fsync)\()"_qs);
        static const QRegularExpression resumed(uR"(^(\d+)\s+<\.\.\. (fdatasync|fsync|write) resumed>)"_qs);
        static const QRegularExpression unfinished(uR"(^(\d+)\s+(write)\(.*<unfinished \.\.\.>$)"_qs);

        Trace trace;
        QFile file(fileName);
        if (!file.open(QIODevice::ReadOnly))
            return trace;
        const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
        QHash<QString, int> syncStartedBy; // thread -> line of its unfinished sync
        QHash<QString, QList<quint64>> recordsWrittenBy; // thread -> ids of its unfinished journal write
        for (int i = 0; i < lines.size(); ++i) {
            const QString &line = lines.at(i);
            if (const QRegularExpressionMatch sync = syncCall.match(line); sync.hasMatch()) {
                if (line.endsWith(u"<unfinished ...>"_qs))
                    syncStartedBy.insert(sync.captured(1), i);
                else
                    trace.syncs.append({i, i});
                continue;
            }
            if (const QRegularExpressionMatch done = resumed.match(line); done.hasMatch()) {
                if (done.captured(2) == u"write"_qs) {
                    for (quint64 id : recordsWrittenBy.take(done.captured(1)))
                        trace.recordWritten.insert(id, i);
                } else if (syncStartedBy.contains(done.captured(1))) {
                    trace.syncs.append({syncStartedBy.take(done.captured(1)), i});
                }
                continue;
            }
            if (journalWrite.match(line).hasMatch()) {
                QList<quint64> ids;
                for (const QRegularExpressionMatch &id : recordId.globalMatch(line))
                    ids.append(id.captured(1).toULongLong());
                if (line.endsWith(u"<unfinished ...>"_qs)) {
                    recordsWrittenBy.insert(unfinished.match(line).captured(1), ids);
                } else {
                    for (quint64 id : std::as_const(ids))
                        trace.recordWritten.insert(id, i);
                }
                continue;
            }
            if (const QRegularExpressionMatch reply = answer.match(line); reply.hasMatch())
                trace.answered.insert(reply.captured(1).toULongLong(), i);
            else if (batchAnswer.match(line).hasMatch())
                trace.batchesAnswered.append(i);
        }
        return trace;
    }

    /// Whether a sync started after event \a id's record was written and ended before its answer.
    bool syncedBeforeAnswer(quint64 id) const
    {
        const int written = recordWritten.value(id, -1);
        const int answer = answered.value(id, -1);
        for (const Sync &sync : syncs) {
            if (written >= 0 && sync.started > written && sync.finished < answer)
                return true;
        }
        return false;
    }
};

/// The built binary under strace, with a data folder of its own; stopped, whatever happens, when
/// this goes.
class TracedHerald
{
public:
    TracedHerald(const QString &strace, const QString &durability)
    {
        // Long enough strings to hold every record of a write that carries several.
        m_traced.start(strace,
                       {u"-f"_qs, u"-y"_qs, u"-s"_qs, u"65536"_qs, u"-o"_qs, m_dir.filePath(u"trace"_qs), u"-e"_qs,
                        u"trace=fdatasync,fsync,write,writev,sendto,sendmsg"_qs, QStringLiteral(HERALD_BINARY),
                        u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs, u"0"_qs, u"--data-dir"_qs,
                        m_dir.filePath(u"data"_qs), u"--durability"_qs, durability});
        port = waitForHeraldPort(m_traced, &output, u"Ctrl+C"_qs, 30000);
    }
    ~TracedHerald()
    {
        // Killed strace would leave Herald running.
        if (m_traced.state() == QProcess::NotRunning)
            return;
        if (const qint64 herald = heraldPid(); herald > 0)
            ::kill(pid_t(herald), SIGKILL);
        m_traced.kill();
        m_traced.waitForFinished(5000);
    }
    TracedHerald(const TracedHerald &) = delete;
    TracedHerald &operator=(const TracedHerald &) = delete;

    /// Stops Herald as a service manager would; strace ends with it, its child.
    bool stop()
    {
        const qint64 herald = heraldPid();
        return herald > 0 && ::kill(pid_t(herald), SIGTERM) == 0 && m_traced.waitForFinished(15000);
    }
    Trace trace() const { return Trace::read(m_dir.filePath(u"trace"_qs)); }

    quint16 port = 0;
    QString output;

private:
    qint64 heraldPid() const
    {
        QFile children(u"/proc/%1/task/%1/children"_qs.arg(m_traced.processId()));
        return children.open(QIODevice::ReadOnly) ? children.readAll().trimmed().split(' ').first().toLongLong() : 0;
    }

    QTemporaryDir m_dir;
    QProcess m_traced;
};

} // namespace

/// --durability, checked on the real binary under strace: in disk mode the journal is synced to
/// the disk before a publish is answered; in process mode nothing waits for the disk.
class tst_Durability : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyAnswerFollowsItsSync_data();
    void everyAnswerFollowsItsSync();
    void aBatchIsWrittenOnceAndSyncedOnceBeforeItsAnswer();

private:
    QString m_strace;
};

void tst_Durability::initTestCase()
{
    m_strace = QStandardPaths::findExecutable(u"strace"_qs);
    if (m_strace.isEmpty())
        QSKIP("strace is not installed (tools/setup installs it)");
}

void tst_Durability::everyAnswerFollowsItsSync_data()
{
    QTest::addColumn<QString>("durability");
    QTest::addColumn<int>("publishers");
    QTest::newRow("disk, one publisher") << u"disk"_qs << 1;
    QTest::newRow("disk, 16 publishers") << u"disk"_qs << 16;
    QTest::newRow("process, one publisher") << u"process"_qs << 1;
    QTest::newRow("process, 16 publishers") << u"process"_qs << 16;
}

void tst_Durability::everyAnswerFollowsItsSync()
{
    QFETCH(QString, durability);
    QFETCH(int, publishers);
    TracedHerald herald(m_strace, durability);
    QVERIFY2(herald.port, qPrintable(herald.output));
    const quint16 port = herald.port;

    // Each publisher sends its events one after another, waiting for each answer.
    const int eventsEach = publishers == 1 ? 20 : 4;
    std::vector<std::thread> threads;
    std::atomic<int> accepted{0};
    for (int publisher = 0; publisher < publishers; ++publisher) {
        threads.emplace_back([&, publisher] {
            for (int i = 0; i < eventsEach; ++i) {
                const QByteArray text
                    = "publisher " + QByteArray::number(publisher) + ", event " + QByteArray::number(i);
                if (postInOneWrite(port, "/publish", "text/plain", text).status == 200)
                    ++accepted;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(accepted.load(), publishers * eventsEach);

    QVERIFY(herald.stop());
    const Trace trace = herald.trace();
    QCOMPARE(trace.answered.size(), publishers * eventsEach);
    if (durability == u"disk"_qs) {
        for (auto it = trace.answered.cbegin(); it != trace.answered.cend(); ++it)
            QVERIFY2(trace.syncedBeforeAnswer(it.key()),
                     qPrintable(u"event %1 was answered before a sync"_qs.arg(it.key())));
        qInfo("%d publishes, %d syncs", int(trace.answered.size()), int(trace.syncs.size()));
    } else {
        int firstRecord = INT_MAX;
        for (int line : trace.recordWritten)
            firstRecord = qMin(firstRecord, line);
        int lastAnswer = 0;
        for (int line : trace.answered)
            lastAnswer = qMax(lastAnswer, line);
        for (const Trace::Sync &sync : trace.syncs) {
            QVERIFY2(sync.finished < firstRecord || sync.started > lastAnswer,
                     "process durability synced while publishes were answered");
        }
        for (auto it = trace.answered.cbegin(); it != trace.answered.cend(); ++it)
            QVERIFY(trace.recordWritten.value(it.key(), INT_MAX) < it.value()); // written before answered
    }
}

void tst_Durability::aBatchIsWrittenOnceAndSyncedOnceBeforeItsAnswer()
{
    TracedHerald herald(m_strace, u"disk"_qs);
    QVERIFY2(herald.port, qPrintable(herald.output));
    QByteArray lines;
    for (int i = 1; i <= 100; ++i)
        lines += R"({"data": "reading )" + QByteArray::number(i) + R"("})" + '\n';
    QCOMPARE(postInOneWrite(herald.port, "/publish", "application/x-ndjson", lines).status, 200);
    QVERIFY(herald.stop());

    const Trace trace = herald.trace();
    QCOMPARE(trace.batchesAnswered.size(), 1);
    // Every record of the batch went to the journal in one write...
    QSet<int> writes;
    for (quint64 id = 1; id <= 100; ++id)
        writes.insert(trace.recordWritten.value(id, -1));
    QCOMPARE(writes.size(), 1);
    const int written = *writes.cbegin();
    QVERIFY(written >= 0);
    // ... and one sync, started after it, ended before the answer.
    const int answer = trace.batchesAnswered.constFirst();
    QList<Trace::Sync> between;
    for (const Trace::Sync &sync : trace.syncs) {
        if (sync.finished > written && sync.started < answer)
            between.append(sync);
    }
    QCOMPARE(between.size(), 1);
    QVERIFY(between.constFirst().started > written && between.constFirst().finished < answer);
}

QTEST_GUILESS_MAIN(tst_Durability)
#include "tst_durability.moc"
