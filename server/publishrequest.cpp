#include "publishrequest.h"

#include "eventstreamencoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace {

constexpr qsizetype MaxFieldLength = 256;

bool isValidUtf8(QByteArrayView bytes, QString *text)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = decoder.decode(bytes);
    return !decoder.hasError();
}

QString checkField(const QString &name, const QString &value)
{
    if (value.size() > MaxFieldLength)
        return QStringLiteral("%1 is longer than %2 characters").arg(name).arg(MaxFieldLength);
    if (!EventStreamEncoder::isValidFieldValue(value))
        return QStringLiteral("%1 must not contain CR, LF or NUL").arg(name);
    return {};
}

PublishDecoding failure(int status, const QString &error)
{
    PublishDecoding decoding;
    decoding.status = status;
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
        const QString error = checkField(name, value);
        if (!error.isEmpty())
            return error;
    }
    if (type.startsWith(QLatin1String("herald-")))
        return QStringLiteral("event types starting with \"herald-\" are reserved for Herald");
    if (topic.contains(u','))
        return QStringLiteral("topic must not contain a comma");
    return {};
}

QUrlQuery formQuery(const QString &encodedQuery)
{
    QString query = encodedQuery;
    query.replace(u'+', QLatin1String("%20"));
    return QUrlQuery(query);
}

QString formQueryValue(const QUrlQuery &query, const QString &key)
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

PublishDecoding decodePublishRequest(QByteArrayView contentType, QByteArrayView body,
                                     const QUrlQuery &query, qint64 maxBodyBytes)
{
    if (body.size() > maxBodyBytes) {
        return failure(413, QStringLiteral("the body is larger than the limit of %1 bytes").arg(maxBodyBytes));
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
        return failure(415, QStringLiteral("send the body as text/plain or application/json, not %1 "
                                           "(with curl: -H 'Content-Type: text/plain')")
                                    .arg(QString::fromLatin1(mediaType)));
    }
    if (!charset.isEmpty() && charset != "utf-8" && charset != "utf8")
        return failure(415, QStringLiteral("the body must be UTF-8, not %1").arg(QString::fromLatin1(charset)));

    QString text;
    if (!isValidUtf8(body, &text))
        return failure(400, QStringLiteral("the body is not valid UTF-8"));

    PublishDecoding decoding;
    PublishRequest &request = decoding.request;
    request.type = formQueryValue(query, QStringLiteral("event"));
    request.topic = formQueryValue(query, QStringLiteral("topic"));
    request.target = formQueryValue(query, QStringLiteral("to"));

    if (isText) {
        request.data = text;
    } else {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return failure(400, QStringLiteral("malformed JSON: %1 at offset %2")
                                        .arg(parseError.errorString()).arg(parseError.offset));
        if (!document.isObject())
            return failure(400, QStringLiteral("the JSON body must be an object with a \"data\" member"));
        const QJsonObject object = document.object();

        const QJsonValue data = object.value(QStringLiteral("data"));
        if (data.isString()) {
            request.data = data.toString();
        } else if (data.isArray() || data.isObject()) {
            request.data = QString::fromUtf8(data.isArray()
                    ? QJsonDocument(data.toArray()).toJson(QJsonDocument::Compact)
                    : QJsonDocument(data.toObject()).toJson(QJsonDocument::Compact));
        } else if (data.isBool() || data.isDouble()) {
            // A scalar is sent as its JSON text, as an array holding it would show it.
            const QByteArray wrapped = QJsonDocument(QJsonArray{data}).toJson(QJsonDocument::Compact);
            request.data = QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
        } else if (!data.isNull() && !data.isUndefined()) {
            return failure(400, QStringLiteral("\"data\" has an unsupported type"));
        }

        for (const auto &[key, field] : {std::pair{QStringLiteral("event"), &request.type},
                                         std::pair{QStringLiteral("topic"), &request.topic},
                                         std::pair{QStringLiteral("to"), &request.target}}) {
            const QJsonValue value = object.value(key);
            if (value.isUndefined() || value.isNull())
                continue;
            if (!value.isString())
                return failure(400, QStringLiteral("\"%1\" must be a string").arg(key));
            *field = value.toString();
        }
    }

    const QString error = request.validationError();
    if (!error.isEmpty())
        return failure(400, error);
    return decoding;
}
