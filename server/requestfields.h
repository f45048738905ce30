#pragma once

#include <QString>
#include <QUrlQuery>

// The pieces of a request that publishing and subscribing read alike.

/// A query built from a URL's query string with form decoding ("+" is a space).
QUrlQuery formQuery(const QString &encodedQuery);

/// A query value decoded as HTML forms encode it ("+" is a space).
QString formQueryValue(const QUrlQuery &query, const QString &key);

/// The longest event type, topic, client id, name or target Herald takes.
constexpr qsizetype MaxLabelLength = 256;

/// Why \a value cannot be the label \a name (too long, or a CR, LF or NUL in it), or an empty
/// string when it can.
QString labelError(const QString &name, const QString &value);
