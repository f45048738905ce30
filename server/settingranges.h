#pragma once

#include <QtGlobal>

/// One integer setting: the flag that sets it, where the window saves it, and the values it
/// takes. The command line, the saved settings and the Settings dialog all read their ranges
/// from the table below, so a range is written once.
struct IntegerSetting
{
    const char *flag; ///< the command-line flag, without its dashes
    const char *settingsKey; ///< the key in the saved settings; null when not saved
    qint64 minimum; ///< in the flag's unit
    qint64 maximum;
    const char *valueKind; ///< how an error message names a value, such as "a number of events"
    /// 0 is also taken in the saved settings and the dialog, where it means "let Herald decide";
    /// on the command line the flag is left out instead.
    bool zeroIsAutomatic = false;
    /// Saved and shown in this many of the flag's units (1024: bytes are saved in KiB).
    qint64 savedUnit = 1;

    /// The range as saved and shown in the dialog.
    qint64 savedMinimum() const { return zeroIsAutomatic ? 0 : (minimum + savedUnit - 1) / savedUnit; }
    qint64 savedMaximum() const { return maximum / savedUnit; }
    /// Whether \a saved, in saved units, is a value the setting takes.
    bool acceptsSaved(qint64 saved) const { return saved >= savedMinimum() && saved <= savedMaximum(); }
};

/// Herald's integer settings.
namespace Setting {
inline constexpr IntegerSetting Port{"port", "service/port", 0, 65535, "a port number"};
inline constexpr IntegerSetting History{"history", "service/history", 0, 1'000'000, "a number of events"};
inline constexpr IntegerSetting HistoryBytes{"history-bytes", "service/historyKiB", 0, qint64(1) << 36,
                                             "a number of bytes", false, 1024};
inline constexpr IntegerSetting PageHistory{"page-history", "page/history", 0, 1000, "a number of events"};
inline constexpr IntegerSetting Heartbeat{"heartbeat", "service/heartbeat", 1, 3600, "a number of seconds"};
inline constexpr IntegerSetting Retry{"retry", "service/retry", 0, 3'600'000, "a number of milliseconds"};
inline constexpr IntegerSetting MaxBody{"max-body", "service/maxBodyKiB", 1, qint64(1) << 30, "a number of bytes",
                                        false, 1024};
inline constexpr IntegerSetting ClientBuffer{"client-buffer", "service/clientBufferKiB", 1024, qint64(1) << 30,
                                             "a number of bytes", false, 1024};
inline constexpr IntegerSetting MaxClients{"max-clients", "service/maxClients", 1, 10'000'000, "a number of clients",
                                           true};
inline constexpr IntegerSetting RequestTimeout{"request-timeout", "service/requestTimeout", 1, 3600,
                                               "a number of seconds"};
// A request line of at most 8 KiB leaves room for about 4,000 one-letter topics: no more can be asked for.
inline constexpr IntegerSetting MaxTopics{"max-topics", "service/maxTopics", 1, 4096, "a number of topics"};
inline constexpr IntegerSetting StreamThreads{"stream-threads", nullptr, 1, 64, "a number of threads"};

inline constexpr const IntegerSetting *All[] = {&Port, &History, &HistoryBytes, &PageHistory, &Heartbeat, &Retry, &MaxBody,
                                                &ClientBuffer, &MaxClients, &RequestTimeout, &MaxTopics,
                                                &StreamThreads};
} // namespace Setting
