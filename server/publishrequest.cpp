#include "publishrequest.h"

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

PublishDecoding failure(PublishRefusal refusal, const QString &error)
{
    PublishDecoding decoding;
    decoding.refusal = refusal;
    decoding.error = error;
    return decoding;
}

} // namespace

QString PublishRequest::validationError() const
{
    if (data.isEmpty())
        return QStringLiteral("no data: an event needs some text");
    for (const auto &[name, value] : {std::pair{QStringLiteral("event"), type},
                                      std::pair{QStringLiteral("topic"), topic},
                                      std::pair{QStringLiteral("to"), target}}) {
        const QString error = labelError(name, value);
        if (!error.isEmpty())
            return error;
    }
    if (type.startsWith(QLatin1String("herald-")))
        return QStringLiteral("event types starting with \"herald-\" are reserved for Herald");
    if (topic.contains(u','))
        return QStringLiteral("topic must not contain a comma");
    return {};
}

PublishDecoding decodePublishRequest(QByteArrayView contentType, const QByteArray &body,
                                     const QUrlQuery &query, qint64 maxBodyBytes)
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
            return failure(PublishRefusal::Malformed, QStringLiteral("malformed JSON: %1 at offset %2")
                                                              .arg(parseError.errorString()).arg(parseError.offset));
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
        } else if (data.isBool() || data.isDouble()) {
            // A scalar is sent as its JSON text, as an array holding it would show it.
            const QByteArray wrapped = QJsonDocument(QJsonArray{data}).toJson(QJsonDocument::Compact);
            request.data = wrapped.mid(1, wrapped.size() - 2);
        } else if (!data.isNull() && !data.isUndefined()) {
            return failure(PublishRefusal::Malformed, QStringLiteral("\"data\" has an unsupported type"));
        }

        for (const auto &[key, field] : {std::pair{QStringLiteral("event"), &request.type},
                                         std::pair{QStringLiteral("topic"), &request.topic},
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
