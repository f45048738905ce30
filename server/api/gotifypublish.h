#pragma once

#include "publishdecoding.h"

#include <QJsonObject>

// Publishing as Gotify's clients do (POST /message), into the same events as /publish.

/// A Gotify publish, decoded: Herald's request, and the priority as Gotify gave it (0 to 10).
struct GotifyDecoding
{
    PublishDecoding decoding;
    int gotifyPriority = -1; ///< -1: none was given
};

/// Herald's priority (1 to 5) for Gotify's 0 to 10: 0 is min (1), 1-3 low (2), 4-7 default (3),
/// 8-9 high (4) and 10 urgent (5), as Gotify's clients treat them (silent, quiet, with sound, popping up).
int priorityOfGotify(int gotifyPriority);

/// Decodes the body of POST /message, as JSON or as a form (URL-encoded, or multipart as curl -F sends it): "title",
/// "message" (needed), "priority" 0 to 10, and "extras", whose client::display.contentType "text/markdown" makes the
/// message Markdown and client::notification.click.url its click URL. Other extras are hints for
/// Gotify's own apps, which Herald does not show. Any other member is refused, naming it.
GotifyDecoding decodeGotifyPublish(QByteArrayView contentType, const QByteArray &body, qint64 maxBodyBytes);

/// Gotify's message JSON for the event \a id made at \a timeMs: id, appid, message, title,
/// priority (as it was given, or 0), date, and extras for Markdown and a click URL.
QJsonObject gotifyMessage(quint64 id, qint64 timeMs, const PublishRequest &request, int gotifyPriority);
