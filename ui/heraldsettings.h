#pragma once

#include "servicetypes.h"

#include <QString>
#include <QVariantMap>

class QSettings;

/// The panel's saved preferences, over QSettings: what the settings dialog edits, and what
/// the next launch starts with. Command-line flags override them for one run. Each service
/// setting is kept under the key its row of the settings table gives (settingstable.h); whether
/// to listen at launch is the window's own.
struct HeraldSettings
{
    ServiceConfig service;
    bool listenAtLaunch = true;

    /// Reads from \a settings, with Herald's defaults for what is missing or invalid.
    static HeraldSettings load(QSettings &settings);
    /// Writes to \a settings and syncs it to disk. Returns false if that failed.
    bool save(QSettings &settings) const;
    /// Writes only what differs from \a used, the settings this run used, so that a flag given
    /// for one run stays out of the file unless the operator changed that very setting.
    bool saveChanges(QSettings &settings, const HeraldSettings &used) const;
    /// Every value, under the key it is saved as.
    QVariantMap values() const;
    /// A random token of 32 URL-safe characters, for the settings dialog's Generate button.
    static QString generateToken();
};
