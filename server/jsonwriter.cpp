#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

char hexDigit(uchar value)
{
    return char(value < 10 ? '0' + value : 'a' + value - 10);
}

} // namespace

namespace JsonWriter {

void appendString(QByteArray &json, QByteArrayView utf8)
{
    if (!utf8.isValidUtf8()) {
        // Qt replaces what cannot be decoded; let it, rather than write bytes no reader takes.
        const QByteArray array = QJsonDocument(QJsonArray{QString::fromUtf8(utf8)}).toJson(QJsonDocument::Compact);
        json += QByteArrayView(array).sliced(1, array.size() - 2);
        return;
    }
    json.reserve(json.size() + utf8.size() + 2);
    json += '"';
    qsizetype plainFrom = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const uchar c = uchar(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        json += utf8.sliced(plainFrom, i - plainFrom);
        plainFrom = i + 1;
        json += '\\';
        switch (c) {
        case '"': json += '"'; break;
        case '\\': json += '\\'; break;
        case '\b': json += 'b'; break;
        case '\f': json += 'f'; break;
        case '\n': json += 'n'; break;
        case '\r': json += 'r'; break;
        case '\t': json += 't'; break;
        default:
            json += "u00";
            json += hexDigit(c >> 4);
            json += hexDigit(c & 0xf);
        }
    }
    json += utf8.sliced(plainFrom);
    json += '"';
}

void appendString(QByteArray &json, QStringView text)
{
    appendString(json, text.toUtf8());
}

} // namespace JsonWriter
