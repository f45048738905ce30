#pragma once

#include "servicetypes.h"

#include <QString>

class QSettings;

/// The panel's saved preferences, over QSettings: what the settings dialog edits, and what
/// the next launch starts with. Command-line flags override them for one run.
struct HeraldSettings
{
    ServiceConfig service;
    bool listenAtLaunch = true;

    /// Reads from \a settings, with Herald's defaults for what is missing or invalid.
    static HeraldSettings load(QSettings &settings);
    /// Writes to \a settings and syncs it to disk. Returns false if that failed.
    bool save(QSettings &settings) const;
    /// A random token of 32 URL-safe characters, for the settings dialog's Generate button.
    static QString generateToken();
};
