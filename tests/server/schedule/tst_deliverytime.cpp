#include "deliverytime.h"

#include <QTest>
#include <QTimeZone>

/// The times a scheduled publish names, as ntfy's Delay, At and In take them and the README
/// documents them: durations, Unix times, times of day in Herald's time zone; 10 s to 3 days ahead.
class tst_DeliveryTime : public QObject
{
    Q_OBJECT

private slots:
    void takesEachForm_data();
    void takesEachForm();
    void refusesWhatIsNoTimeOrOutOfBounds_data();
    void refusesWhatIsNoTimeOrOutOfBounds();
    void aTimeOfDayIsInTheZoneOfNow();
};

namespace {

constexpr qint64 Minimum = 10'000;

/// 10:00:00 on a Tuesday in Berlin.
QDateTime morning()
{
    return QDateTime(QDate(2026, 3, 10), QTime(10, 0), QTimeZone("Europe/Berlin"));
}

qint64 at(const QDateTime &base, int days, QTime time)
{
    return QDateTime(base.date().addDays(days), time, base.timeZone()).toMSecsSinceEpoch();
}

} // namespace

void tst_DeliveryTime::takesEachForm_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<qint64>("expected");
    const QDateTime now = morning();
    const qint64 ms = now.toMSecsSinceEpoch();
    QTest::newRow("30s") << u"30s"_qs << now << ms + 30'000;
    QTest::newRow("10m") << u"10m"_qs << now << ms + 600'000;
    QTest::newRow("2h") << u"2h"_qs << now << ms + 7'200'000;
    QTest::newRow("1d") << u"1d"_qs << now << ms + 86'400'000;
    QTest::newRow("1h30m") << u"1h30m"_qs << now << ms + 5'400'000;
    QTest::newRow("90 minutes") << u"90 minutes"_qs << now << ms + 5'400'000;
    QTest::newRow("2 Hours, any case") << u" 2 Hours "_qs << now << ms + 7'200'000;
    QTest::newRow("3 days, the most") << u"3 days"_qs << now << ms + 3 * 86'400'000LL;
    QTest::newRow("10 s, the least") << u"10s"_qs << now << ms + 10'000;
    QTest::newRow("a Unix time") << QString::number(ms / 1000 + 3600) << now << (ms / 1000 + 3600) * 1000;
    QTest::newRow("14:55, later today") << u"14:55"_qs << now << at(now, 0, QTime(14, 55));
    QTest::newRow("9:30, tomorrow") << u"9:30"_qs << now << at(now, 1, QTime(9, 30));
    QTest::newRow("9am, tomorrow") << u"9am"_qs << now << at(now, 1, QTime(9, 0));
    QTest::newRow("9:30 pm") << u"9:30 pm"_qs << now << at(now, 0, QTime(21, 30));
    QTest::newRow("12pm is noon") << u"12pm"_qs << now << at(now, 0, QTime(12, 0));
    QTest::newRow("12am is midnight") << u"12am"_qs << now << at(now, 1, QTime(0, 0));
    QTest::newRow("23:59:30") << u"23:59:30"_qs << now << at(now, 0, QTime(23, 59, 30));
    QTest::newRow("tomorrow 11am, though 11 is today") << u"tomorrow 11am"_qs << now << at(now, 1, QTime(11, 0));
    QTest::newRow("Tomorrow, 8:00") << u"Tomorrow, 8:00"_qs << now << at(now, 1, QTime(8, 0));
}

void tst_DeliveryTime::takesEachForm()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, now);
    const DeliveryTime::Parsed parsed = DeliveryTime::parse(text, now, Minimum);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.error));
    QTEST(parsed.atMs, "expected");
}

void tst_DeliveryTime::refusesWhatIsNoTimeOrOutOfBounds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("named");
    const QDateTime now = morning();
    for (const char *garbage : {"soon", "", "10 parsecs", "-5m", "25:00", "13pm", "0am", "9:60", "5m later", "1e9",
                                "10:00:00:00", "tomorrow"})
        QTest::newRow(garbage) << QString::fromLatin1(garbage) << u"a duration"_qs;
    QTest::newRow("9s, too soon") << u"9s"_qs << u"10 seconds"_qs;
    QTest::newRow("a Unix time past") << QString::number(now.toSecsSinceEpoch() - 60) << u"10 seconds"_qs;
    QTest::newRow("30, a Unix time long past") << u"30"_qs << u"10 seconds"_qs;
    QTest::newRow("3 days and a second") << u"3d1s"_qs << u"3 days"_qs;
    QTest::newRow("a week") << u"7 days"_qs << u"3 days"_qs;
    QTest::newRow("10:00:05, five seconds away") << u"10:00:05"_qs << u"10 seconds"_qs;
}

void tst_DeliveryTime::refusesWhatIsNoTimeOrOutOfBounds()
{
    QFETCH(QString, text);
    const DeliveryTime::Parsed parsed = DeliveryTime::parse(text, morning(), Minimum);
    QVERIFY(!parsed.isValid());
    QFETCH(QString, named);
    QVERIFY2(parsed.error.contains(named), qPrintable(parsed.error));
}

void tst_DeliveryTime::aTimeOfDayIsInTheZoneOfNow()
{
    // The same moment seen in Tokyo: 18:00 there, so 14:55 is tomorrow's.
    const QDateTime tokyo = morning().toTimeZone(QTimeZone("Asia/Tokyo"));
    QCOMPARE(tokyo.time(), QTime(18, 0));
    const DeliveryTime::Parsed parsed = DeliveryTime::parse(u"14:55"_qs, tokyo, Minimum);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.error));
    QCOMPARE(parsed.atMs, at(tokyo, 1, QTime(14, 55)));
    // Across the night Berlin leaves winter time (29 March 2026): 9am is still 9 on the clock.
    const QDateTime evening(QDate(2026, 3, 28), QTime(22, 0), QTimeZone("Europe/Berlin"));
    const DeliveryTime::Parsed after = DeliveryTime::parse(u"9am"_qs, evening, Minimum);
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(after.atMs, QTimeZone("Europe/Berlin")).time(), QTime(9, 0));
    QCOMPARE(after.atMs - evening.toMSecsSinceEpoch(), 10 * 3600 * 1000LL); // 11 hours on the clock, 10 in fact
}

QTEST_APPLESS_MAIN(tst_DeliveryTime)
#include "tst_deliverytime.moc"
