#include "eventhistory.h"
#include "eventids.h"

#include <QTest>

#include <limits>

namespace {
EventPointer makeEvent(quint64 id, const QString &topic = QString(), const QString &target = QString())
{
    return Event::create(id, QString(), topic, target, QByteArray("event ") + QByteArray::number(id), 0);
}

const auto everything = [](const Event &) {
    return true;
};

/// Reads the catch-up after \a after through \a through as a stream does, piece after piece,
/// each piece kept in \a pieces; the ids it got, in order. It stops at a piece that does not
/// move on, or that gives an id outside what it covers, so that a broken reader cannot loop.
QList<quint64> readCatchUp(const EventHistory &history, quint64 after, quint64 through, const EventFilter &visible,
                           qint64 maxBytes, QList<CatchUpPiece> *pieces)
{
    QList<quint64> read;
    while (after < through) {
        const CatchUpPiece piece = history.catchUpAfter(after, through, visible, maxBytes);
        pieces->append(piece);
        for (const EventPointer &event : piece.events) {
            if (event->id <= after || event->id > piece.coveredThrough)
                return read;
            read.append(event->id);
        }
        if (piece.coveredThrough <= after)
            return read;
        after = piece.coveredThrough;
    }
    return read;
}

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
    void anEditTakesItsEventsPlaceOnlyWhenNewer();
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
    void latestTakesWhatFitsInItsBytesAndAlwaysTheNewest();
    void aCatchUpComesInPiecesThatCoverEveryId();
    void aCatchUpPieceLooksAtABoundedNumberOfEvents();
    void eventsDroppedDuringACatchUpAreAGap();
    void aCatchUpEndsWhereTheStreamJoined();
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
    const auto replay
        = history.replayAfter(0, [&](const Event &event) { return event.isVisibleTo(u"alice"_qs, topics); });
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
    const auto oddOnly = [&](const Event &event) {
        return event.isVisibleTo(u"c"_qs, odd);
    };
    QCOMPARE(idsOf(history.latest(2, oddOnly)), (QList<quint64>{3, 5}));
    QCOMPARE(idsOf(history.latest(50, oddOnly)), (QList<quint64>{1, 3, 5}));
    QVERIFY(history.latest(0, everything).isEmpty());
}

void tst_EventHistory::latestTakesWhatFitsInItsBytesAndAlwaysTheNewest()
{
    EventHistory history(keeping(10));
    for (quint64 id = 1; id <= 6; ++id)
        history.append(Event::create(id, QString(), QString(), QString(), QByteArray(100, 'x'), 0));
    QCOMPARE(idsOf(history.latest(5, everything, 250)), (QList<quint64>{5, 6}));
    QCOMPARE(idsOf(history.latest(5, everything, 300)), (QList<quint64>{4, 5, 6}));
    QCOMPARE(idsOf(history.latest(5, everything, 10)), (QList<quint64>{6}));
}

void tst_EventHistory::aCatchUpComesInPiecesThatCoverEveryId()
{
    EventHistory history(keeping(100));
    for (quint64 id = 1; id <= 40; ++id)
        history.append(
            Event::create(id, QString(), id % 3 ? QString() : u"other"_qs, QString(), QByteArray(100, 'x'), 0));
    const QStringList mine{u"mine"_qs};
    const auto visible = [&](const Event &event) {
        return event.isVisibleTo(u"c"_qs, mine);
    };
    // Pieces of at most about 250 bytes, from after id 5 to id 30: each id looked at once.
    QList<CatchUpPiece> pieces;
    const QList<quint64> read = readCatchUp(history, 5, 30, visible, 250, &pieces);
    QList<quint64> expected;
    for (quint64 id = 6; id <= 30; ++id) {
        if (id % 3)
            expected.append(id);
    }
    QCOMPARE(read, expected);
    QVERIFY(pieces.size() >= 8);
    for (const CatchUpPiece &piece : std::as_const(pieces)) {
        QVERIFY(!piece.gap);
        QVERIFY(!piece.events.empty() || piece.coveredThrough == 30); // only the last may find nothing
        QVERIFY(piece.events.size() <= 2);
    }
    // One event larger than a piece still comes, alone.
    history.append(Event::create(41, QString(), QString(), QString(), QByteArray(1000, 'x'), 0));
    const CatchUpPiece large = history.catchUpAfter(40, 41, everything, 250);
    QCOMPARE(large.events.size(), size_t(1));
    QCOMPARE(large.coveredThrough, 41u);
}

void tst_EventHistory::aCatchUpPieceLooksAtABoundedNumberOfEvents()
{
    // A stream that sees almost nothing of a long history reads it in several short looks.
    EventHistory history(keeping(20000));
    for (quint64 id = 1; id <= 20000; ++id)
        history.append(makeEvent(id, id == 19999 ? u"rare"_qs : u"common"_qs));
    const QStringList rare{u"rare"_qs};
    const auto visible = [&](const Event &event) {
        return event.isVisibleTo(u"c"_qs, rare);
    };
    QList<CatchUpPiece> looks;
    QCOMPARE(readCatchUp(history, 0, 20000, visible, 1 << 20, &looks), QList<quint64>{19999});
    QVERIFY2(looks.size() > 1, qPrintable(QString::number(looks.size())));
}

void tst_EventHistory::eventsDroppedDuringACatchUpAreAGap()
{
    EventHistory history(keeping(10));
    for (quint64 id = 1; id <= 10; ++id)
        history.append(makeEvent(id));
    const CatchUpPiece first = history.catchUpAfter(0, 10, everything, 1);
    QCOMPARE(idsOf(QList<EventPointer>(first.events.cbegin(), first.events.cend())), QList<quint64>{1});
    QVERIFY(!first.gap);
    // While the stream reads slowly, history moves on past what it has read.
    for (quint64 id = 11; id <= 15; ++id)
        history.append(makeEvent(id));
    const CatchUpPiece next = history.catchUpAfter(first.coveredThrough, 10, everything, 1 << 20);
    QVERIFY(next.gap);
    QCOMPARE(next.oldestRetainedId, 6u);
    QCOMPARE(next.lastId, 15u);
    QCOMPARE(idsOf(QList<EventPointer>(next.events.cbegin(), next.events.cend())), (QList<quint64>{6, 7, 8, 9, 10}));
    QCOMPARE(next.coveredThrough, 10u);
    // A retraction is no gap: nothing retracted is missed.
    QVERIFY(history.remove(12));
    const CatchUpPiece after = history.catchUpAfter(10, 15, everything, 1 << 20);
    QVERIFY(!after.gap);
    QCOMPARE(idsOf(QList<EventPointer>(after.events.cbegin(), after.events.cend())), (QList<quint64>{11, 13, 14, 15}));
}

void tst_EventHistory::aCatchUpEndsWhereTheStreamJoined()
{
    EventHistory history(keeping(10));
    for (quint64 id = 1; id <= 8; ++id)
        history.append(makeEvent(id));
    const CatchUpPiece piece = history.catchUpAfter(2, 5, everything, 1 << 20);
    QCOMPARE(idsOf(QList<EventPointer>(piece.events.cbegin(), piece.events.cend())), (QList<quint64>{3, 4, 5}));
    QCOMPARE(piece.coveredThrough, 5u);
}

void tst_EventHistory::anEditTakesItsEventsPlaceOnlyWhenNewer()
{
    EventHistory history;
    for (quint64 id = 1; id <= 3; ++id)
        history.append(makeEvent(id));
    const qint64 before = history.bytes();
    const EventPointer first = Event::edited(*history.find(2), "a longer text than before", {});
    QVERIFY(history.replace(first));
    QCOMPARE(history.find(2), first);
    QCOMPARE(history.bytes(), before - makeEvent(2)->dataSize() + first->dataSize());
    // Its place in id order is kept: a replay gives it where the event was.
    const EventReplay replay = history.replayAfter(1, [](const Event &) { return true; });
    QCOMPARE(replay.events.size(), 2);
    QCOMPARE(replay.events.first(), first);
    // An older or equal version does not take the place of a newer one, and a missing event has none.
    QVERIFY(!history.replace(Event::edited(*makeEvent(2), "stale", {})));
    QCOMPARE(history.find(2), first);
    QVERIFY(!history.replace(Event::edited(*makeEvent(9), "x", {})));
    QCOMPARE(history.size(), 3);
}

QTEST_APPLESS_MAIN(tst_EventHistory)
#include "tst_eventhistory.moc"
