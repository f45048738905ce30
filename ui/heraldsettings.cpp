#include "heraldsettings.h"

#include <QRandomGenerator>
#include <QSettings>

namespace {

int boundedInt(const QSettings &settings, const QString &key, int fallback, int minimum, int maximum)
{
    bool ok = false;
    const int value = settings.value(key, fallback).toInt(&ok);
    return ok && value >= minimum && value <= maximum ? value : fallback;
}

} // namespace

HeraldSettings HeraldSettings::load(QSettings &settings)
{
    HeraldSettings loaded;
    ServiceConfig &config = loaded.service;
    config.port = quint16(boundedInt(settings, QStringLiteral("service/port"), config.port, 0, 65535));
    const QString bind = settings.value(QStringLiteral("service/bind"), QStringLiteral("all")).toString();
    if (bind == QLatin1String("localhost"))
        config.bindAddress = QHostAddress::LocalHost;
    else if (bind != QLatin1String("all"))
        config.bindAddress.setAddress(bind);
    if (config.bindAddress.isNull())
        config.bindAddress = QHostAddress::Any;
    config.token = settings.value(QStringLiteral("service/token")).toString();
    config.historySize = boundedInt(settings, QStringLiteral("service/history"), config.historySize, 0, 1000000);
    config.heartbeatSeconds = boundedInt(settings, QStringLiteral("service/heartbeat"), config.heartbeatSeconds, 1, 3600);
    config.retryMilliseconds = boundedInt(settings, QStringLiteral("service/retry"), config.retryMilliseconds, 0, 3600000);
    config.corsOrigin = settings.value(QStringLiteral("service/corsOrigin"), config.corsOrigin).toString();
    config.privateStreams = settings.value(QStringLiteral("service/private"), false).toBool() && !config.token.isEmpty();
    config.maxClients = boundedInt(settings, QStringLiteral("service/maxClients"), config.maxClients, 0, 10000000);
    config.maxBodyBytes = qint64(boundedInt(settings, QStringLiteral("service/maxBodyKiB"), int(config.maxBodyBytes / 1024), 1, 1024 * 1024)) * 1024;
    config.clientBufferBytes = qint64(boundedInt(settings, QStringLiteral("service/clientBufferKiB"), int(config.clientBufferBytes / 1024), 1, 1024 * 1024)) * 1024;
    config.requestTimeoutSeconds = boundedInt(settings, QStringLiteral("service/requestTimeout"), config.requestTimeoutSeconds, 1, 3600);
    loaded.listenAtLaunch = settings.value(QStringLiteral("panel/listenAtLaunch"), true).toBool();
    return loaded;
}

bool HeraldSettings::save(QSettings &settings) const
{
    QString bind = QStringLiteral("all");
    if (service.bindAddress == QHostAddress(QHostAddress::LocalHost))
        bind = QStringLiteral("localhost");
    else if (service.bindAddress != QHostAddress(QHostAddress::Any))
        bind = service.bindAddress.toString();
    settings.setValue(QStringLiteral("service/port"), service.port);
    settings.setValue(QStringLiteral("service/bind"), bind);
    settings.setValue(QStringLiteral("service/token"), service.token);
    settings.setValue(QStringLiteral("service/history"), service.historySize);
    settings.setValue(QStringLiteral("service/heartbeat"), service.heartbeatSeconds);
    settings.setValue(QStringLiteral("service/retry"), service.retryMilliseconds);
    settings.setValue(QStringLiteral("service/corsOrigin"), service.corsOrigin);
    settings.setValue(QStringLiteral("service/private"), service.privateStreams);
    settings.setValue(QStringLiteral("service/maxClients"), service.maxClients);
    settings.setValue(QStringLiteral("service/maxBodyKiB"), int(service.maxBodyBytes / 1024));
    settings.setValue(QStringLiteral("service/clientBufferKiB"), int(service.clientBufferBytes / 1024));
    settings.setValue(QStringLiteral("service/requestTimeout"), service.requestTimeoutSeconds);
    settings.setValue(QStringLiteral("panel/listenAtLaunch"), listenAtLaunch);
    settings.sync();
    return settings.status() == QSettings::NoError;
}

QString HeraldSettings::generateToken()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QString token;
    for (int i = 0; i < 32; ++i)
        token += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(64)]);
    return token;
}
