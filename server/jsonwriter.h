#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

/// Writes the pieces of compact JSON that Herald writes often (journal records, publish answers)
/// without building a QJsonObject first: the very bytes QJsonDocument::Compact would write.
namespace JsonWriter {

/// Appends \a utf8 as a JSON string, quoted and escaped as QJsonDocument writes a QString of this
/// text: ", \ and control characters escaped (\b \f \n \r \t, else \u00XX), the rest as it is.
/// Text that is not valid UTF-8 is written as QJsonDocument writes QString::fromUtf8() of it.
void appendString(QByteArray &json, QByteArrayView utf8);
void appendString(QByteArray &json, QStringView text);

} // namespace JsonWriter
