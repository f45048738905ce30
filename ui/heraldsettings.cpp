#include "heraldsettings.h"

#include "settingstable.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace {

bool syncForOwnerOnly(QSettings &settings)
{
    // It holds the tokens and the cluster's password: for this user's eyes only, from before
    // anything is written to it. QSettings keeps the mode of the file it replaces.
    const QString fileName = settings.fileName();
    const QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
    if (QFile::exists(fileName)) {
        QFile::setPermissions(fileName, ownerOnly); // one an older Herald made
    } else {
        QDir().mkpath(QFileInfo(fileName).path());
        QFile file(fileName);
        file.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnly);
    }
    settings.sync();
    return settings.status() == QSettings::NoError;
}

} // namespace

HeraldSettings HeraldSettings::load(QSettings &settings)
{
    HeraldSettings loaded;
    ServiceConfig &config = loaded.service;
    for (const Setting *setting : SettingsTable::All) {
        if (setting->settingsKey)
            setting->load(settings.value(QLatin1String(setting->settingsKey)), config);
    }
    // Private mode needs the token: without one, saved or not, Herald is open.
    config.privateStreams = config.privateStreams && !config.token.isEmpty();
    loaded.listenAtLaunch = settings.value(QStringLiteral("panel/listenAtLaunch"), true).toBool();
    return loaded;
}

QVariantMap HeraldSettings::values() const
{
    QVariantMap saved;
    for (const Setting *setting : SettingsTable::All) {
        if (setting->settingsKey)
            saved.insert(QLatin1String(setting->settingsKey), setting->saved(service));
    }
    saved.insert(QStringLiteral("panel/listenAtLaunch"), listenAtLaunch);
    return saved;
}

bool HeraldSettings::save(QSettings &settings) const
{
    const QVariantMap all = values();
    for (auto it = all.cbegin(); it != all.cend(); ++it)
        settings.setValue(it.key(), it.value());
    return syncForOwnerOnly(settings);
}

bool HeraldSettings::saveChanges(QSettings &settings, const HeraldSettings &used) const
{
    const QVariantMap now = values();
    const QVariantMap before = used.values();
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        if (it.value() != before.value(it.key()))
            settings.setValue(it.key(), it.value());
    }
    return syncForOwnerOnly(settings);
}

QString HeraldSettings::generateToken()
{
    return ServiceConfig::generateToken();
}
