#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

/// JSON text written straight into bytes, for the records written for every publish, where
/// building a QJsonObject costs more than the rest of the record. It writes what
/// QJsonDocument::toJson(QJsonDocument::Compact) writes for the same string, and U+FEFF as
/// \ufeff (see Event::compactJson()), so that either reader reads it back the same.
namespace JsonText {

/// Appends \a utf8 as a JSON string, quoted and escaped. Bytes that are not UTF-8 are read as
/// Event::textOf() reads them, each bad sequence becoming U+FFFD.
void appendString(QByteArray &json, QByteArrayView utf8);
/// appendString() for \a text, a lone surrogate in it written as Qt writes it (\udXXX), so that it
/// reads back as it was.
void appendText(QByteArray &json, const QString &text);
/// Appends \a number in decimal, as QByteArray::number() writes it, with no bytes of its own.
void appendNumber(QByteArray &json, qint64 number);
void appendNumber(QByteArray &json, quint64 number);

} // namespace JsonText
