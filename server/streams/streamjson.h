#pragma once

#include "servicetypes.h"

#include <QJsonArray>
#include <QJsonObject>

/// One stream as /api/clients lists it, and back: the API and the cluster's registry share it.
QJsonObject streamToJson(const StreamInfo &stream);
StreamInfo streamFromJson(const QJsonObject &object);
QJsonArray streamsToJson(const QList<StreamInfo> &streams);
