#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

/// Encodes text/event-stream fields as the WHATWG HTML "Server-sent events" section defines them.
namespace EventStreamEncoder {

/// "id: <id>", an optional "event: <type>", one "data: " line per line of \a data (UTF-8,
/// split on CR, LF and CRLF) and the blank line that dispatches the event.
/// \a type must satisfy isValidFieldValue().
QByteArray encodeEvent(quint64 id, const QString &type, QByteArrayView data);

/// An event without an id field, for Herald's own notices (herald-gap, herald-kicked,
/// herald-shutdown): the browser's last event id stays that of the last real event.
QByteArray encodeNotice(const QString &type, const QString &data);

/// A comment line (": text"), as used for heartbeats. Line breaks in \a text are dropped.
QByteArray encodeComment(QByteArrayView text);

/// The "retry:" field that tells the browser how long to wait before reconnecting.
QByteArray encodeRetry(int milliseconds);

/// True when \a value can stand in a single-line field: no CR, LF or NUL.
bool isValidFieldValue(QStringView value);

} // namespace EventStreamEncoder
