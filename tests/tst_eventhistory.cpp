#include "eventhistory.h"

#include <QTest>

namespace {
EventPointer makeEvent(quint64 id, const QString &topic = QString(), const QString &target = QString())
{
    return Event::create(id, QString(), topic, target, QStringLiteral("event %1").arg(id), 0);
}

QList<quint64> idsOf(const QList<EventPointer> &events)
{
    QList<quint64> ids;
    for (const EventPointer &event : events)
        ids.append(event->id);
    return ids;
}

const auto everything = [](const Event &) { return true; };
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
    void replayHonoursTheClientsFilter();
    void numberingSurvivesAnEmptyHistory();
    void shrinkingTheCapacityDropsOldest();
};

void tst_EventHistory::keepsOnlyTheNewestEvents()
{
    EventHistory history(3);
    for (quint64 id = 1; id <= 5; ++id)
        history.append(makeEvent(id));
    QCOMPARE(history.size(), 3);
    QCOMPARE(idsOf(history.events()), (QList<quint64>{3, 4, 5}));
    QCOMPARE(history.lastId(), 5u);
}

void tst_EventHistory::replaysExactlyTheEventsAfterAnId()
{
    EventHistory history(10);
    for (quint64 id = 1; id <= 6; ++id)
        history.append(makeEvent(id));
    const auto replay = history.replayAfter(3, everything);
    QVERIFY(!replay.gap);
    QCOMPARE(idsOf(replay.events), (QList<quint64>{4, 5, 6}));
}

void tst_EventHistory::replayFromTheNewestIdIsEmpty()
{
    EventHistory history(10);
    history.append(makeEvent(1));
    history.append(makeEvent(2));
    const auto replay = history.replayAfter(2, everything);
    QVERIFY(!replay.gap);
    QVERIFY(replay.events.isEmpty());
}

void tst_EventHistory::anIdOlderThanHistoryReportsAGap()
{
    EventHistory history(3);
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
    EventHistory history(10);
    history.append(makeEvent(1));
    history.append(makeEvent(2));
    const auto replay = history.replayAfter(50, everything);
    QVERIFY(replay.gap);
    QCOMPARE(idsOf(replay.events), (QList<quint64>{1, 2}));
}

void tst_EventHistory::replayHonoursTheClientsFilter()
{
    EventHistory history(10);
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
    EventHistory history(0);
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
    EventHistory history(5);
    for (quint64 id = 1; id <= 5; ++id)
        history.append(makeEvent(id));
    history.setCapacity(2);
    QCOMPARE(idsOf(history.events()), (QList<quint64>{4, 5}));
}

QTEST_APPLESS_MAIN(tst_EventHistory)
#include "tst_eventhistory.moc"
