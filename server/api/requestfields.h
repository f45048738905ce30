#pragma once

#include <QString>
#include <QUrlQuery>

// The pieces of a request's query that publishing and subscribing read alike.

/// A query built from a URL's query string with form decoding ("+" is a space).
QUrlQuery formQuery(const QString &encodedQuery);

/// A query value decoded as HTML forms encode it ("+" is a space).
QString formQueryValue(const QUrlQuery &query, const QString &key);
