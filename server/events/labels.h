#pragma once

#include <QString>

// The rule every label of an event or a stream follows: its type, topic and target, a stream's
// topics, client id and name.

/// The longest event type, topic, client id, name or target Herald takes.
constexpr qsizetype MaxLabelLength = 256;

/// Why \a value cannot be the label \a name (too long, or a CR, LF or NUL in it), or an empty
/// string when it can.
QString labelError(const QString &name, const QString &value);
