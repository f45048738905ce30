#pragma once

#include <QtGlobal>

/// The values an integer setting takes: on the command line in the flag's unit, and in the saved
/// settings and the Settings dialog in the unit they are saved in. Each integer row of the
/// settings table (settingstable.h) has one, so a range is written once.
struct SettingRange
{
    qint64 minimum = 0; ///< in the flag's unit
    qint64 maximum = 0;
    /// 0 is also taken in the saved settings and the dialog, where it means "let Herald decide";
    /// on the command line the flag is left out instead.
    bool zeroIsAutomatic = false;
    /// Saved and shown in this many of the flag's units (1024: bytes are saved in KiB).
    qint64 savedUnit = 1;

    /// The range as saved and shown in the dialog.
    constexpr qint64 savedMinimum() const { return zeroIsAutomatic ? 0 : (minimum + savedUnit - 1) / savedUnit; }
    constexpr qint64 savedMaximum() const { return maximum / savedUnit; }
    /// Whether \a saved, in saved units, is a value the setting takes.
    constexpr bool acceptsSaved(qint64 saved) const { return saved >= savedMinimum() && saved <= savedMaximum(); }
};
