#pragma once

#include "messagefields.h"
#include "streamformat.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

/// ntfy's message JSON and the three ways its subscribers read it (docs.ntfy.sh, "Subscribe via
/// API"): the objects Herald's events become on ntfy's streams and in ntfy's publish answers.
namespace NtfyMessage {

/// The "message" object of Herald's event \a id, as edited \a revision times: id (the event's id
/// as a string; "<id>-<revision>" once edited, with "sequence_id" naming the event, as ntfy marks
/// a message that replaces an earlier one), time (seconds), event, topic, message, and the
/// fields that are set (Markdown as "content_type": "text/markdown").
QJsonObject message(quint64 id, quint32 revision, qint64 timeMs, const QString &topic, const QString &text,
                    const MessageFields &fields);

/// One of ntfy's other events, \a kind "open", "keepalive" or "message_delete", for \a topics
/// (comma-separated), with an id of its own.
QJsonObject event(const QString &kind, qint64 timeMs, const QString &topics);

/// \a object as a stream of \a format receives it: a line of JSON; a server-sent event (with
/// "event: <kind>" unless it is a message, and "id: <sseId>" when \a sseId is not 0); or, raw,
/// the message text with its line breaks as spaces, and an empty line for any other event.
/// Herald's own formats receive nothing of it (an empty array).
QByteArray encode(StreamFormat format, const QJsonObject &object, quint64 sseId = 0);

/// A random id of ten letters and digits, as ntfy gives its events.
QString randomId();

/// The Herald event id that an ntfy message id names ("42", or "42-3" for an edited message);
/// false in \a ok when it names none.
quint64 eventIdOf(QStringView messageId, bool *ok);

} // namespace NtfyMessage
