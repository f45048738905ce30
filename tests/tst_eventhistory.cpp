#include "eventhistory.h"
#include "eventids.h"

#include <QTest>

#include <limits>

namespace {
EventPointer makeEvent(quint64 id, const QString &topic = QString(), const QString &target = QString())
{
    return Event::create(id, QString(), topic, target, QByteArray("event ") + QByteArray::number(id), 0);
}

const auto everything = [](const Event &) { return true; };

/// Limits that keep \a events events, however large.
HistoryLimits keeping(int events)
{
    return {events, std::numeric_limits<qint64>::max()};
}
} // namespace

class tst_EventHistory : public QObject
{
    Q_OBJECT

private slots:
    void keepsOnlyTheNewestEvents();
    void replaysExactlyTheEventsAfterAnId();
    void replayFromTheNewestIdIsEmpty();
    void anIdOlderThanHistoryReportsAGap();
    void anIdFromTheFutureReportsAGap();
    void aRetractionIsNoGap();
    void aHistoryThatStartsLateHasMissedWhatCameBefore();
    void replayHonoursTheClientsFilter();
    void numberingSurvivesAnEmptyHistory();
    void shrinkingTheCapacityDropsOldest();
    void bytesAreALimitTooAndTheOldestGoFirst();
    void latestGivesTheNewestVisibleEventsInOrder();
};

void tst_EventHistory::keepsOnlyTheNewestEvents()
{
    EventHistory history(keeping(3));
    for (quint64 id = 1; id <= 5; ++id)
        history.append(makeEvent(id));
    QCOMPARE(history.size(), 3);
    QCOMPARE(idsOf(history.events()), (QList<quint64>{3, 4, 5}));
    QCOMPARE(history.lastId(), 5u);
}

void tst_EventHistory::replaysExactlyTheEventsAfterAnId()
{
    EventHistory history(keeping(10));
    for (quint64 id = 1; id <= 6; ++id)
        history.append(makeEvent(id));
    const auto replay = history.replayAfter(3, everything);
    QVERIFY(!replay.gap);
    QCOMPARE(idsOf(replay.events), (QList<quint64>{4, 5, 6}));
}

void tst_EventHistory::replayFromTheNewestIdIsEmpty()
{
    EventHistory history(keeping(10));
    history.append(makeEvent(1));
    history.append(makeEvent(2));
    const auto replay = history.replayAfter(2, everything);
    QVERIFY(!replay.gap);
    QVERIFY(replay.events.isEmpty());
}

void tst_EventHistory::anIdOlderThanHistoryReportsAGap()
{
    EventHistory history(keeping(3));
    for (quint64 id = 1; id <= 10; ++id)
        history.append(makeEvent(id));

    auto replay = history.replayAfter(2, everything); // 3..7 are gone
    QVERIFY(replay.gap);
    QCOMPARE(idsOf(replay.events), (QList<quint64>{8, 9, 10}));

    replay = history.replayAfter(7, everything); // nothing missing: 8 is the oldest retained
    QVERIFY(!replay.gap);
    QCOMPARE(idsOf(replay.events), (QList<quint64>{8, 9, 10}));
}

void tst_EventHistory::anIdFromTheFutureReportsAGap()
{
    // A browser that saw id 50 from a Herald that has since lost its history.
    EventHistory history(keeping(10));
    history.append(makeEvent(1));
    history.append(makeEvent(2));
    const auto replay = history.replayAfter(50, everything);
    QVERIFY(replay.gap);
    QCOMPARE(idsOf(replay.events), (QList<quint64>{1, 2}));
}

void tst_EventHistory::aRetractionIsNoGap()
{
    // Retracting the oldest retained event leaves nothing missed for a client just before it.
    EventHistory history(keeping(3));
    for (quint64 id = 1; id <= 5; ++id)
        history.append(makeEvent(id)); // 3, 4, 5 retained
    QVERIFY(history.remove(3));
    auto replay = history.replayAfter(2, everything);
    QVERIFY(!replay.gap);
    QCOMPARE(idsOf(replay.events), (QList<quint64>{4, 5}));
    // Nor does retracting the newest.
    QVERIFY(history.remove(5));
    replay = history.replayAfter(4, everything);
    QVERIFY(!replay.gap);
    QVERIFY(replay.events.isEmpty());
    // What was trimmed is still missed.
    QVERIFY(history.replayAfter(1, everything).gap);
}

void tst_EventHistory::aHistoryThatStartsLateHasMissedWhatCameBefore()
{
    // Loaded after a restart that kept only the newest events.
    EventHistory history(keeping(10));
    history.append(makeEvent(500));
    history.append(makeEvent(501));
    QVERIFY(history.replayAfter(10, everything).gap);
    QVERIFY(!history.replayAfter(499, everything).gap);
    QCOMPARE(idsOf(history.replayAfter(499, everything).events), (QList<quint64>{500, 501}));
}

void tst_EventHistory::replayHonoursTheClientsFilter()
{
    EventHistory history(keeping(10));
    history.append(makeEvent(1, u"sport"_qs));
    history.append(makeEvent(2, u"news"_qs));
    history.append(makeEvent(3));
    history.append(makeEvent(4, QString(), u"alice"_qs));
    history.append(makeEvent(5, QString(), u"bob"_qs));
    const QStringList topics{u"news"_qs};
    const auto replay = history.replayAfter(0, [&](const Event &event) {
        return event.isVisibleTo(u"alice"_qs, topics);
    });
    QCOMPARE(idsOf(replay.events), (QList<quint64>{2, 3, 4}));
}

void tst_EventHistory::numberingSurvivesAnEmptyHistory()
{
    EventHistory history(keeping(0));
    history.setLastId(41);
    QCOMPARE(history.lastId(), 41u);
    history.append(makeEvent(42));
    QCOMPARE(history.size(), 0);
    QCOMPARE(history.lastId(), 42u);
    QVERIFY(history.replayAfter(41, everything).gap);
    QVERIFY(!history.replayAfter(42, everything).gap);
}

void tst_EventHistory::shrinkingTheCapacityDropsOldest()
{
    EventHistory history(keeping(5));
    for (quint64 id = 1; id <= 5; ++id)
        history.append(makeEvent(id));
    history.setLimits(keeping(2));
    QCOMPARE(idsOf(history.events()), (QList<quint64>{4, 5}));
}

void tst_EventHistory::bytesAreALimitTooAndTheOldestGoFirst()
{
    EventHistory history({100, 25});
    for (quint64 id = 1; id <= 4; ++id)
        history.append(Event::create(id, QString(), QString(), QString(), QByteArray(10, 'x'), 0));
    QCOMPARE(idsOf(history.events()), (QList<quint64>{3, 4}));
    QCOMPARE(history.bytes(), 20);
    // An event larger than the whole limit is not kept, but its id is.
    history.append(Event::create(5, QString(), QString(), QString(), QByteArray(30, 'x'), 0));
    QCOMPARE(history.size(), 0);
    QCOMPARE(history.bytes(), 0);
    QCOMPARE(history.lastId(), 5u);
}

void tst_EventHistory::latestGivesTheNewestVisibleEventsInOrder()
{
    EventHistory history(keeping(10));
    for (quint64 id = 1; id <= 6; ++id)
        history.append(makeEvent(id, id % 2 ? u"odd"_qs : u"even"_qs));
    QCOMPARE(idsOf(history.latest(3, everything)), (QList<quint64>{4, 5, 6}));
    const QStringList odd{u"odd"_qs};
    const auto oddOnly = [&](const Event &event) { return event.isVisibleTo(u"c"_qs, odd); };
    QCOMPARE(idsOf(history.latest(2, oddOnly)), (QList<quint64>{3, 5}));
    QCOMPARE(idsOf(history.latest(50, oddOnly)), (QList<quint64>{1, 3, 5}));
    QVERIFY(history.latest(0, everything).isEmpty());
}

QTEST_APPLESS_MAIN(tst_EventHistory)
#include "tst_eventhistory.moc"
