#pragma once

#include <QDateTime>
#include <QString>

/// When a scheduled message goes out, as ntfy's Delay, At and In take it (docs.ntfy.sh,
/// "Scheduled delivery"): a duration ("30s", "10m", "2h", "1d", "1h30m", "90 minutes"), a Unix time
/// in seconds ("1767225600"), or a time of day in Herald's local time zone ("14:55", "9am",
/// "9:30 pm", "tomorrow 9am"), the next one to come.
namespace DeliveryTime {

constexpr qint64 MaximumMs = 3 * 24 * 3600 * 1000; ///< later than this is refused

struct Parsed
{
    qint64 atMs = 0; ///< since the Unix epoch
    QString error; ///< for a person, naming what is wrong and what is taken

    bool isValid() const { return error.isEmpty(); }
};

/// The moment \a text names, seen at \a now (whose time zone a time of day is in), at least
/// \a minimumMs (ServiceConfig::minimumDelayMs) and at most MaximumMs ahead.
Parsed parse(QStringView text, const QDateTime &now, qint64 minimumMs);

} // namespace DeliveryTime
