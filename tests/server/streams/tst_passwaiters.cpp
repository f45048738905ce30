#include "passwaiters.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

/// What waits for the streams' passes runs once, as soon as a pass reaches it, on whichever
/// thread reports it: the rule behind a publish answer that a waiting publisher cannot outrun.
class tst_PassWaiters : public QObject
{
    Q_OBJECT

private slots:
    void anActionRunsOnceItsEventsHavePassed();
    void anActionAlreadyDueRunsAtOnce();
    void actionsAreReleasedInTheOrderTheyCame();
    void releaseAllRunsEveryActionLeft();
    void threadsReportingTogetherRunEachActionOnce();
};

void tst_PassWaiters::anActionRunsOnceItsEventsHavePassed()
{
    PassWaiters waiters;
    int runs = 0;
    waiters.waitFor(3, [&runs] { ++runs; });
    waiters.report(2);
    QCOMPARE(runs, 0);
    QCOMPARE(waiters.waiting(), size_t(1));
    waiters.report(3);
    QCOMPARE(runs, 1);
    waiters.report(10);
    QCOMPARE(runs, 1);
    QCOMPARE(waiters.waiting(), size_t(0));
}

void tst_PassWaiters::anActionAlreadyDueRunsAtOnce()
{
    PassWaiters waiters;
    waiters.report(5);
    int runs = 0;
    waiters.waitFor(5, [&runs] { ++runs; });
    QCOMPARE(runs, 1);
    waiters.waitFor(0, [&runs] { ++runs; });
    QCOMPARE(runs, 2);
    // A report of fewer than before takes nothing back.
    waiters.report(1);
    waiters.waitFor(4, [&runs] { ++runs; });
    QCOMPARE(runs, 3);
}

void tst_PassWaiters::actionsAreReleasedInTheOrderTheyCame()
{
    PassWaiters waiters;
    QList<int> ran;
    waiters.waitFor(1, [&ran] { ran.append(1); });
    waiters.waitFor(2, [&ran] { ran.append(2); });
    waiters.waitFor(2, [&ran] { ran.append(3); });
    waiters.waitFor(4, [&ran] { ran.append(4); });
    waiters.report(2);
    QCOMPARE(ran, QList<int>({1, 2, 3}));
    waiters.report(4);
    QCOMPARE(ran, QList<int>({1, 2, 3, 4}));
}

void tst_PassWaiters::releaseAllRunsEveryActionLeft()
{
    PassWaiters waiters;
    int runs = 0;
    for (quint64 events : {10, 20, 30})
        waiters.waitFor(events, [&runs] { ++runs; });
    waiters.report(10);
    QCOMPARE(runs, 1);
    waiters.releaseAll();
    QCOMPARE(runs, 3);
    QCOMPARE(waiters.waiting(), size_t(0));
}

void tst_PassWaiters::threadsReportingTogetherRunEachActionOnce()
{
    // One thread adds actions, as the service does; four report passes, as shards do.
    constexpr int Actions = 20000;
    PassWaiters waiters;
    std::vector<std::atomic<int>> runs(Actions);
    std::atomic<quint64> published{0};
    std::atomic<bool> adding{true};
    std::vector<std::thread> shards;
    for (int shard = 0; shard < 4; ++shard) {
        shards.emplace_back([&] {
            while (adding.load())
                waiters.report(published.load());
            waiters.report(published.load());
        });
    }
    for (int i = 0; i < Actions; ++i) {
        // Due with the event published next, which a reporting thread sees, or this one.
        waiters.waitFor(quint64(i) + 1, [&runs, i] { runs[size_t(i)].fetch_add(1); });
        published.fetch_add(1);
    }
    adding = false;
    for (std::thread &shard : shards)
        shard.join();
    QCOMPARE(waiters.waiting(), size_t(0));
    for (int i = 0; i < Actions; ++i)
        QCOMPARE(runs[size_t(i)].load(), 1);
}

QTEST_APPLESS_MAIN(tst_PassWaiters)
#include "tst_passwaiters.moc"
