#pragma once

#include "publishdecoding.h"
#include "servicetypes.h"

#include <QByteArrayView>
#include <QJsonObject>

// Publishing as ntfy's clients do (docs.ntfy.sh, "Publishing"), into the same events as /publish.

/// Whether \a method and \a path are one of ntfy's ways to publish: POST or PUT /<topic>; GET,
/// POST or PUT /<topic>/publish (or /send, /trigger); POST or PUT / with ntfy's JSON.
bool isNtfyPublish(QByteArrayView method, QByteArrayView path);

/// Why \a topic cannot be an ntfy topic, or an empty string: a topic is 1 to 64 of A-Z, a-z, 0-9,
/// "-" and "_", and not one of Herald's own paths (see NtfyReservedTopics).
QString ntfyTopicError(QStringView topic);

/// The first path segments that are Herald's own and so no topic: its routes and ntfy's.
extern const QStringList NtfyReservedTopics;

/// Decodes an ntfy publish (see isNtfyPublish) into Herald's PublishRequest: the message is the
/// body, or the Message header or message query parameter, or "triggered"; the topic is the
/// path's, or the JSON's; the fields come as for /publish. Bad input is refused as /publish
/// refuses it, naming what is wrong.
PublishDecoding decodeNtfyPublish(QByteArrayView method, QByteArrayView path, QByteArrayView contentType,
                                  const QByteArray &body, const QUrlQuery &query, qint64 maxBodyBytes,
                                  const HeaderLookup &header);

/// ntfy's message JSON for the event \a id that \a request made at \a timeMs: id (as a string),
/// time (in seconds), event "message", topic, message, and the fields that are set.
QJsonObject ntfyMessage(quint64 id, qint64 timeMs, const PublishRequest &request);
/// The same for \a result, at \a nowMs; for a scheduled one, its schedule's id and its time.
QJsonObject ntfyMessage(const PublishResult &result, qint64 nowMs, const PublishRequest &request);
