#pragma once

#include "servicehost.h"

#include <QDebug>

#include <memory>

/// Replaces \a host with a new ServiceHost and starts it with \a config; false, with a warning
/// that says why, when it does not start. For the tests that run the service in their process.
inline bool startHost(std::unique_ptr<ServiceHost> &host, const ServiceConfig &config)
{
    host = std::make_unique<ServiceHost>();
    QString error;
    if (host->start(config, &error))
        return true;
    qWarning() << "service did not start:" << error;
    return false;
}
