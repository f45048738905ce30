#include "jsontext.h"

#include "event.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <charconv>

namespace {

constexpr char HexDigits[] = "0123456789abcdef";

template<typename Integer>
void appendDecimal(QByteArray &json, Integer number)
{
    char digits[24]; // a 64-bit number and its sign
    const auto written = std::to_chars(digits, digits + sizeof digits, number);
    json.append(digits, written.ptr - digits);
}

} // namespace

void JsonText::appendString(QByteArray &json, QByteArrayView utf8)
{
    if (!utf8.isValidUtf8()) {
        appendString(json, Event::textOf(utf8).toUtf8());
        return;
    }
    json.reserve(json.size() + utf8.size() + 2);
    json += '"';
    qsizetype plainFrom = 0; // the run of bytes that need no escape, appended in one go
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const uchar c = uchar(utf8[i]);
        const bool bom = c == 0xEF && i + 2 < utf8.size() && uchar(utf8[i + 1]) == 0xBB && uchar(utf8[i + 2]) == 0xBF;
        if (c >= 0x20 && c != '"' && c != '\\' && !bom)
            continue;
        json.append(utf8.sliced(plainFrom, i - plainFrom));
        switch (c) {
        case '"':
            json += "\\\"";
            break;
        case '\\':
            json += "\\\\";
            break;
        case '\b':
            json += "\\b";
            break;
        case '\f':
            json += "\\f";
            break;
        case '\n':
            json += "\\n";
            break;
        case '\r':
            json += "\\r";
            break;
        case '\t':
            json += "\\t";
            break;
        case 0xEF: // U+FEFF, which Qt's reader would drop at a string's start
            json += "\\ufeff";
            i += 2;
            break;
        default:
            json += "\\u00";
            json += HexDigits[c >> 4];
            json += HexDigits[c & 0xF];
            break;
        }
        plainFrom = i + 1;
    }
    json.append(utf8.sliced(plainFrom));
    json += '"';
}

void JsonText::appendText(QByteArray &json, const QString &text)
{
    if (QStringView(text).isValidUtf16()) {
        appendString(json, text.toUtf8());
        return;
    }
    // Rare (a JSON publish's "\ud800"): Qt writes it, without the array around it.
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    json += QByteArrayView(array).sliced(1, array.size() - 2);
}

void JsonText::appendNumber(QByteArray &json, qint64 number)
{
    appendDecimal(json, number);
}

void JsonText::appendNumber(QByteArray &json, quint64 number)
{
    appendDecimal(json, number);
}
