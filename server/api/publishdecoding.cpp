#include "publishdecoding.h"

#include "requestfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace {

bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    [[maybe_unused]] const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

/// Skips the JSON value that starts at \a at in \a json, which is valid JSON; returns where it ends.
qsizetype skipValue(QByteArrayView json, qsizetype at)
{
    int depth = 0;
    bool inString = false;
    for (; at < json.size(); ++at) {
        const char c = json[at];
        if (inString) {
            if (c == '\\')
                ++at;
            else if (c == '"')
                inString = false;
            else
                continue;
            if (depth == 0 && !inString)
                return at + 1;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '{':
        case '[':
            ++depth;
            break;
        case '}':
        case ']':
            if (depth == 0)
                return at; // the end of the object this value is in
            if (--depth == 0)
                return at + 1;
            break;
        case ',':
        case ' ':
        case '\t':
        case '\r':
        case '\n':
            if (depth == 0)
                return at;
            break;
        default:
            break;
        }
    }
    return at;
}

/// The text of the member \a name of the JSON object \a json (valid JSON), as the publisher
/// wrote it; the last one when the name is there twice, as QJsonDocument reads it.
QByteArrayView memberAsWritten(QByteArrayView json, const QString &name)
{
    const auto skipSpace = [&json](qsizetype at) {
        while (at < json.size() && (json[at] == ' ' || json[at] == '\t' || json[at] == '\r' || json[at] == '\n'))
            ++at;
        return at;
    };
    QByteArrayView found;
    qsizetype at = skipSpace(0) + 1; // past the '{'
    for (;;) {
        at = skipSpace(at);
        if (at >= json.size() || json[at] != '"')
            return found;
        const qsizetype keyEnd = skipValue(json, at);
        const QByteArrayView key = json.sliced(at, keyEnd - at);
        const QString keyText = key.contains('\\')
            ? QJsonDocument::fromJson('[' + key.toByteArray() + ']').array().first().toString()
            : QString::fromUtf8(key.sliced(1, key.size() - 2));
        at = skipSpace(skipSpace(keyEnd) + 1); // past the ':'
        const qsizetype valueEnd = skipValue(json, at);
        if (keyText == name)
            found = json.sliced(at, valueEnd - at);
        at = skipSpace(valueEnd) + 1; // past the ',' or the '}'
    }
}

PublishDecoding failure(PublishRefusal refusal, const QString &error)
{
    PublishDecoding decoding;
    decoding.refusal = refusal;
    decoding.error = error;
    return decoding;
}

} // namespace

PublishDecoding decodePublishRequest(QByteArrayView contentType, const QByteArray &body, const QUrlQuery &query,
                                     qint64 maxBodyBytes)
{
    if (body.size() > maxBodyBytes) {
        return failure(PublishRefusal::TooLarge,
                       QStringLiteral("the body is larger than the limit of %1 bytes").arg(maxBodyBytes));
    }

    // "type/subtype; charset=..." -> the media type and its charset, if any.
    const QByteArray header = contentType.toByteArray().trimmed().toLower();
    const qsizetype semicolon = header.indexOf(';');
    const QByteArray mediaType = (semicolon < 0 ? header : header.left(semicolon)).trimmed();
    QByteArray charset;
    if (semicolon >= 0) {
        for (const QByteArray &parameter : header.mid(semicolon + 1).split(';')) {
            const QByteArray trimmed = parameter.trimmed();
            if (trimmed.startsWith("charset="))
                charset = trimmed.mid(8).replace('"', QByteArray());
        }
    }
    const bool isText = mediaType.isEmpty() || mediaType == "text/plain";
    const bool isJson = mediaType == "application/json";
    if (!isText && !isJson) {
        return failure(PublishRefusal::UnsupportedMediaType,
                       QStringLiteral("send the body as text/plain or application/json, not %1 "
                                      "(with curl: -H 'Content-Type: text/plain')")
                           .arg(QString::fromLatin1(mediaType)));
    }
    if (!charset.isEmpty() && charset != "utf-8" && charset != "utf8") {
        return failure(PublishRefusal::UnsupportedMediaType,
                       QStringLiteral("the body must be UTF-8, not %1").arg(QString::fromLatin1(charset)));
    }
    if (!isValidUtf8(body))
        return failure(PublishRefusal::Malformed, QStringLiteral("the body is not valid UTF-8"));

    PublishDecoding decoding;
    PublishRequest &request = decoding.request;
    request.type = formQueryValue(query, QStringLiteral("event"));
    request.topic = formQueryValue(query, QStringLiteral("topic"));
    request.target = formQueryValue(query, QStringLiteral("to"));

    if (isText) {
        request.data = body; // shared with the request, not copied
    } else {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return failure(
                PublishRefusal::Malformed,
                QStringLiteral("malformed JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
        if (!document.isObject()) {
            return failure(PublishRefusal::Malformed,
                           QStringLiteral("the JSON body must be an object with a \"data\" member"));
        }
        const QJsonObject object = document.object();

        const QJsonValue data = object.value(QStringLiteral("data"));
        if (data.isString()) {
            request.data = data.toString().toUtf8();
        } else if (data.isArray() || data.isObject()) {
            request.data = data.isArray() ? QJsonDocument(data.toArray()).toJson(QJsonDocument::Compact)
                                          : QJsonDocument(data.toObject()).toJson(QJsonDocument::Compact);
        } else if (data.isBool()) {
            request.data = data.toBool() ? "true" : "false";
        } else if (data.isDouble()) {
            // As written: a double would lose the digits of a long number, and the sign of -0.
            request.data = memberAsWritten(body, QStringLiteral("data")).toByteArray();
        } else if (!data.isNull() && !data.isUndefined()) {
            return failure(PublishRefusal::Malformed, QStringLiteral("\"data\" has an unsupported type"));
        }

        for (const auto &[key, field] :
             {std::pair{QStringLiteral("event"), &request.type}, std::pair{QStringLiteral("topic"), &request.topic},
              std::pair{QStringLiteral("to"), &request.target}}) {
            const QJsonValue value = object.value(key);
            if (value.isUndefined() || value.isNull())
                continue;
            if (!value.isString())
                return failure(PublishRefusal::Malformed, QStringLiteral("\"%1\" must be a string").arg(key));
            *field = value.toString();
        }
    }

    const QString error = request.validationError();
    if (!error.isEmpty())
        return failure(PublishRefusal::Malformed, error);
    return decoding;
}
