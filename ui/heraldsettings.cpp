#include "heraldsettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace {

/// Reads the saved value of \a setting into \a value, which keeps its default when the saved
/// value is missing or out of range.
template<typename T>
void readSaved(const QSettings &settings, const IntegerSetting &setting, T *value)
{
    bool ok = false;
    const qint64 saved = settings.value(QLatin1String(setting.settingsKey)).toLongLong(&ok);
    if (ok && setting.acceptsSaved(saved))
        *value = T(saved * setting.savedUnit);
}

template<typename T>
void writeSaved(QVariantMap &values, const IntegerSetting &setting, T value)
{
    values.insert(QLatin1String(setting.settingsKey), qint64(value) / setting.savedUnit);
}

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
    readSaved(settings, Setting::Port, &config.port);
    const QString bind = settings.value(QStringLiteral("service/bind"), QStringLiteral("all")).toString();
    if (bind == QLatin1String("localhost"))
        config.bindAddress = QHostAddress::LocalHost;
    else if (bind != QLatin1String("all"))
        config.bindAddress.setAddress(bind);
    if (config.bindAddress.isNull())
        config.bindAddress = QHostAddress::Any;
    config.token = settings.value(QStringLiteral("service/token")).toString();
    config.readToken = settings.value(QStringLiteral("service/readToken")).toString();
    readSaved(settings, Setting::History, &config.history.maxEvents);
    readSaved(settings, Setting::HistoryBytes, &config.history.maxBytes);
    readSaved(settings, Setting::PageHistory, &config.pageHistory);
    config.durability = durabilityFromName(settings.value(QStringLiteral("service/durability")).toString())
                                .value_or(config.durability);
    readSaved(settings, Setting::Heartbeat, &config.heartbeatSeconds);
    readSaved(settings, Setting::Retry, &config.retryMilliseconds);
    config.corsOrigin = settings.value(QStringLiteral("service/corsOrigin"), config.corsOrigin).toString();
    config.privateStreams = settings.value(QStringLiteral("service/private"), false).toBool() && !config.token.isEmpty();
    readSaved(settings, Setting::MaxClients, &config.maxStreams);
    readSaved(settings, Setting::MaxBody, &config.maxBodyBytes);
    readSaved(settings, Setting::ClientBuffer, &config.streamBufferBytes);
    readSaved(settings, Setting::RequestTimeout, &config.requestTimeoutSeconds);
    readSaved(settings, Setting::MaxTopics, &config.maxTopics);
    config.clusterUrl = settings.value(QStringLiteral("cluster/url")).toString();
    config.clusterPassword = settings.value(QStringLiteral("cluster/password")).toByteArray();
    const QString prefix = settings.value(QStringLiteral("cluster/prefix")).toString();
    if (ServiceConfig::isClusterPrefix(prefix))
        config.clusterPrefix = prefix;
    loaded.listenAtLaunch = settings.value(QStringLiteral("panel/listenAtLaunch"), true).toBool();
    return loaded;
}

QVariantMap HeraldSettings::values() const
{
    QVariantMap saved;
    QString bind = QStringLiteral("all");
    if (service.bindAddress == QHostAddress(QHostAddress::LocalHost))
        bind = QStringLiteral("localhost");
    else if (service.bindAddress != QHostAddress(QHostAddress::Any))
        bind = service.bindAddress.toString();
    writeSaved(saved, Setting::Port, service.port);
    saved.insert(QStringLiteral("service/bind"), bind);
    saved.insert(QStringLiteral("service/token"), service.token);
    saved.insert(QStringLiteral("service/readToken"), service.readToken);
    writeSaved(saved, Setting::History, service.history.maxEvents);
    writeSaved(saved, Setting::HistoryBytes, service.history.maxBytes);
    writeSaved(saved, Setting::PageHistory, service.pageHistory);
    saved.insert(QStringLiteral("service/durability"), durabilityName(service.durability));
    writeSaved(saved, Setting::Heartbeat, service.heartbeatSeconds);
    writeSaved(saved, Setting::Retry, service.retryMilliseconds);
    saved.insert(QStringLiteral("service/corsOrigin"), service.corsOrigin);
    saved.insert(QStringLiteral("service/private"), service.privateStreams);
    writeSaved(saved, Setting::MaxClients, service.maxStreams);
    writeSaved(saved, Setting::MaxBody, service.maxBodyBytes);
    writeSaved(saved, Setting::ClientBuffer, service.streamBufferBytes);
    writeSaved(saved, Setting::RequestTimeout, service.requestTimeoutSeconds);
    writeSaved(saved, Setting::MaxTopics, service.maxTopics);
    saved.insert(QStringLiteral("cluster/url"), service.clusterUrl);
    saved.insert(QStringLiteral("cluster/password"), service.clusterPassword);
    saved.insert(QStringLiteral("cluster/prefix"), service.clusterPrefix);
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
