#pragma once

#include "messageschedule.h"
#include "publishdecoding.h"

#include <QJsonObject>

// How the HTTP API speaks of the messages that wait for their time.

/// A scheduled message as GET /api/scheduled lists it: {"id", "scheduled" and "created" (Unix
/// seconds), "data", "event"?, "topic"?, "to"?, and the message fields that are set}.
QJsonObject scheduledJson(const ScheduledMessage &message);

/// Decodes the body of PUT /api/scheduled/<id>: a JSON object with the members to change, as an
/// edit of an event takes them (data, title, priority, tags, click, markdown), and "delay" for a
/// new time, as a publish takes it. The decoding holds \a message's request with those changes, and
/// the new time as written in its delay (empty to keep the time).
PublishDecoding decodeScheduledChange(QByteArrayView contentType, const QByteArray &body, qint64 maxBodyBytes,
                                      const ScheduledMessage &message);
