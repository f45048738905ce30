#include "deliverytime.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace DeliveryTime {

namespace {

/// Milliseconds in one of \a unit, or 0 when it names no unit.
qint64 unitMs(const QString &unit)
{
    static const struct
    {
        QStringList names;
        qint64 ms;
    } units[] = {
        {{QStringLiteral("s"), QStringLiteral("sec"), QStringLiteral("secs"), QStringLiteral("second"),
          QStringLiteral("seconds")},
         1000},
        {{QStringLiteral("m"), QStringLiteral("min"), QStringLiteral("mins"), QStringLiteral("minute"),
          QStringLiteral("minutes")},
         60'000},
        {{QStringLiteral("h"), QStringLiteral("hr"), QStringLiteral("hrs"), QStringLiteral("hour"),
          QStringLiteral("hours")},
         3'600'000},
        {{QStringLiteral("d"), QStringLiteral("day"), QStringLiteral("days")}, 86'400'000},
    };
    for (const auto &entry : units) {
        if (entry.names.contains(unit))
            return entry.ms;
    }
    return 0;
}

/// The milliseconds a duration such as "1h30m" or "90 minutes" lasts; -1 when \a text is none.
qint64 durationMs(const QString &text)
{
    static const QRegularExpression whole(QStringLiteral("^(\\d{1,7}\\s*[a-z]+\\s*)+$"));
    static const QRegularExpression part(QStringLiteral("(\\d{1,7})\\s*([a-z]+)"));
    if (!whole.match(text).hasMatch())
        return -1;
    qint64 total = 0;
    for (const QRegularExpressionMatch &match : part.globalMatch(text)) {
        const qint64 unit = unitMs(match.captured(2));
        if (unit == 0)
            return -1;
        total += match.captured(1).toLongLong() * unit;
        if (total > MaximumMs)
            return MaximumMs + 1; // out of bounds however long the rest is
    }
    return total;
}

/// The next moment after \a now at the time of day \a text names ("14:55", "9am", "tomorrow
/// 9:30pm"), in \a now's time zone; an invalid QDateTime when \a text is none.
QDateTime nextTimeOfDay(const QString &text, const QDateTime &now)
{
    static const QRegularExpression rule(
        QStringLiteral("^(tomorrow,?\\s*)?(\\d{1,2})(?::(\\d{2}))?(?::(\\d{2}))?\\s*(am|pm)?$"));
    const QRegularExpressionMatch match = rule.match(text);
    if (!match.hasMatch() || (match.captured(3).isEmpty() && match.captured(5).isEmpty()))
        return {};
    int hour = match.captured(2).toInt();
    const int minute = match.captured(3).isEmpty() ? 0 : match.captured(3).toInt();
    const int second = match.captured(4).isEmpty() ? 0 : match.captured(4).toInt();
    const QString half = match.captured(5);
    if (!half.isEmpty()) {
        if (hour < 1 || hour > 12)
            return {};
        hour = hour % 12 + (half == QLatin1String("pm") ? 12 : 0);
    }
    const QTime time(hour, minute, second);
    if (!time.isValid())
        return {};
    const bool tomorrow = !match.captured(1).isEmpty();
    QDateTime at(now.date().addDays(tomorrow ? 1 : 0), time, now.timeZone());
    if (!tomorrow && at <= now)
        at = QDateTime(now.date().addDays(1), time, now.timeZone());
    return at;
}

} // namespace

Parsed parse(QStringView given, const QDateTime &now, qint64 minimumMs)
{
    const QString text = given.trimmed().toString().toLower();
    const qint64 nowMs = now.toMSecsSinceEpoch();
    static const QRegularExpression unixTime(QStringLiteral("^\\d{1,12}$"));
    Parsed parsed;
    if (unixTime.match(text).hasMatch()) {
        parsed.atMs = text.toLongLong() * 1000;
    } else if (const qint64 duration = durationMs(text); duration >= 0) {
        parsed.atMs = nowMs + duration;
    } else if (const QDateTime at = nextTimeOfDay(text, now); at.isValid()) {
        parsed.atMs = at.toMSecsSinceEpoch();
    } else {
        parsed.error = QStringLiteral("\"%1\" is no time Herald takes: give a duration (30s, 10m, 2h, 1d), a Unix "
                                      "time in seconds, or a time of day (14:55, 9am, tomorrow 9am)")
                           .arg(given.left(64).toString());
        return parsed;
    }
    if (parsed.atMs - nowMs < minimumMs) {
        parsed.error = QStringLiteral("\"%1\" is less than %2 seconds from now: send it now, or later")
                           .arg(given.left(64).toString())
                           .arg(minimumMs / 1000);
    } else if (parsed.atMs - nowMs > MaximumMs) {
        parsed.error = QStringLiteral("\"%1\" is more than 3 days from now: Herald schedules up to 3 days ahead")
                           .arg(given.left(64).toString());
    }
    return parsed;
}

} // namespace DeliveryTime
