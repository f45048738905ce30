#include "gotifypublish.h"

#include "event.h"
#include "requestfields.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QUrlQuery>

namespace {

const QStringList GotifyMembers{QStringLiteral("title"), QStringLiteral("message"), QStringLiteral("priority"),
                                QStringLiteral("extras")};
const QString DisplayExtras = QStringLiteral("client::display");
const QString NotificationExtras = QStringLiteral("client::notification");

GotifyDecoding refused(PublishRefusal refusal, const QString &error)
{
    return {PublishDecoding::refused(refusal, error)};
}

/// The members of a form body, as a JSON object of strings.
QJsonObject formMembers(const QByteArray &body)
{
    QJsonObject object;
    const QUrlQuery form = formQuery(QString::fromUtf8(body));
    for (const auto &[key, value] : form.queryItems(QUrl::FullyDecoded))
        object.insert(key, value);
    return object;
}

/// The value of parameter \a name of a header such as a Content-Type ("...; boundary=x"), unquoted.
QByteArray headerParameter(QByteArrayView header, QByteArrayView name)
{
    for (const QByteArray &part : header.toByteArray().split(';')) {
        const QByteArray trimmed = part.trimmed();
        const qsizetype equals = trimmed.indexOf('=');
        if (equals > 0 && QByteArrayView(trimmed).first(equals).trimmed().compare(name, Qt::CaseInsensitive) == 0) {
            QByteArray value = trimmed.mid(equals + 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            return value;
        }
    }
    return {};
}

/// Reads the fields of a multipart/form-data body (RFC 7578), as curl -F sends them, into
/// \a object as strings; an error when it is no such body, or holds a file.
QString readMultipartMembers(QByteArrayView contentType, const QByteArray &body, QJsonObject *object)
{
    const QString malformed = QStringLiteral("the multipart form is malformed");
    const QByteArray boundary = headerParameter(contentType, "boundary");
    if (boundary.isEmpty() || boundary.size() > 70)
        return QStringLiteral("a multipart form needs its boundary");
    const QByteArray delimiter = "--" + boundary;
    if (!body.startsWith(delimiter))
        return malformed;
    for (qsizetype at = delimiter.size();;) {
        if (body.mid(at, 2) == "--")
            return {}; // the closing delimiter
        if (body.mid(at, 2) != "\r\n")
            return malformed;
        const qsizetype headStart = at + 2;
        const qsizetype headEnd = body.indexOf("\r\n\r\n", headStart);
        const qsizetype next = headEnd < 0 ? -1 : body.indexOf("\r\n" + delimiter, headEnd + 4);
        if (next < 0)
            return malformed;
        QByteArray name;
        for (const QByteArray &line : body.mid(headStart, headEnd - headStart).split('\n')) {
            const QByteArray header = line.trimmed();
            if (!header.toLower().startsWith("content-disposition:"))
                continue;
            if (!headerParameter(header, "filename").isNull())
                return QStringLiteral("POST /message takes text fields, not files");
            name = headerParameter(header, "name");
        }
        if (name.isEmpty())
            return malformed;
        object->insert(QString::fromUtf8(name), QString::fromUtf8(body.mid(headEnd + 4, next - headEnd - 4)));
        at = next + 2 + delimiter.size();
    }
}

} // namespace

int priorityOfGotify(int gotifyPriority)
{
    if (gotifyPriority <= 0)
        return 1;
    if (gotifyPriority <= 3)
        return 2;
    if (gotifyPriority <= 7)
        return 3;
    if (gotifyPriority <= 9)
        return 4;
    return 5;
}

GotifyDecoding decodeGotifyPublish(QByteArrayView contentType, const QByteArray &body, qint64 maxBodyBytes)
{
    if (body.size() > maxBodyBytes)
        return {PublishDecoding::bodyTooLarge(maxBodyBytes)};
    if (!isValidUtf8(body))
        return refused(PublishRefusal::Malformed, QStringLiteral("the body is not valid UTF-8"));

    const QByteArray mediaType = contentType.toByteArray().split(';').first().trimmed().toLower();
    QJsonObject object;
    if (mediaType == "application/x-www-form-urlencoded") {
        object = formMembers(body);
    } else if (mediaType == "multipart/form-data") {
        if (const QString error = readMultipartMembers(contentType, body, &object); !error.isEmpty())
            return refused(PublishRefusal::Malformed, error);
    } else if (mediaType == "application/json" || mediaType.isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return refused(PublishRefusal::Malformed,
                           QStringLiteral("POST /message takes Gotify's JSON: {\"message\": ..., \"title\"?, "
                                          "\"priority\"?}"));
        object = document.object();
    } else {
        return refused(PublishRefusal::UnsupportedMediaType,
                       QStringLiteral("POST /message takes application/json or a form, not %1")
                           .arg(QString::fromLatin1(mediaType)));
    }
    if (const QString unknown = unknownMember(object, GotifyMembers); !unknown.isEmpty()) {
        return refused(PublishRefusal::Malformed,
                       QStringLiteral("unknown member \"%1\": Gotify's message takes %2")
                           .arg(unknown, GotifyMembers.join(QStringLiteral(", "))));
    }

    GotifyDecoding gotify;
    PublishRequest &request = gotify.decoding.request;
    const QJsonValue message = object.value(QStringLiteral("message"));
    const QJsonValue title = object.value(QStringLiteral("title"));
    const QJsonValue priority = object.value(QStringLiteral("priority"));
    if (!message.isString() || message.toString().isEmpty())
        return refused(PublishRefusal::Malformed, QStringLiteral("\"message\" must be given, as a string"));
    request.data = message.toString().toUtf8();
    if (!title.isUndefined() && !title.isNull()) {
        if (!title.isString())
            return refused(PublishRefusal::Malformed, QStringLiteral("\"title\" must be a string"));
        request.fields.title = title.toString();
    }
    if (!priority.isUndefined() && !priority.isNull()) {
        bool isNumber = priority.isDouble();
        double number = priority.toDouble();
        if (priority.isString())
            number = priority.toString().toInt(&isNumber);
        // In range before it is made an int: a number past int's range cannot be converted.
        if (!isNumber || number < 0 || number > 10 || number != int(number))
            return refused(PublishRefusal::Malformed,
                           QStringLiteral("\"priority\" must be a whole number from 0 to 10"));
        gotify.gotifyPriority = int(number);
        request.fields.priority = priorityOfGotify(gotify.gotifyPriority);
    }
    const QJsonValue extras = object.value(QStringLiteral("extras"));
    if (!extras.isUndefined() && !extras.isNull()) {
        if (!extras.isObject())
            return refused(PublishRefusal::Malformed, QStringLiteral("\"extras\" must be an object"));
        const QJsonObject display = extras.toObject().value(DisplayExtras).toObject();
        const QString contentType = display.value(QStringLiteral("contentType")).toString();
        request.fields.markdown = contentType == QLatin1String("text/markdown");
        request.fields.click = extras.toObject()
                                   .value(NotificationExtras)
                                   .toObject()
                                   .value(QStringLiteral("click"))
                                   .toObject()
                                   .value(QStringLiteral("url"))
                                   .toString();
    }
    if (const QString error = request.validationError(); !error.isEmpty())
        return refused(PublishRefusal::Malformed, error);
    return gotify;
}

QJsonObject gotifyMessage(quint64 id, qint64 timeMs, const PublishRequest &request, int gotifyPriority)
{
    QJsonObject message{
        {QStringLiteral("id"), qint64(id)},
        {QStringLiteral("appid"), 1}, // Herald is one application to Gotify's clients
        {QStringLiteral("message"), Event::textOf(request.data)},
        {QStringLiteral("title"), request.fields.title},
        {QStringLiteral("priority"), qMax(0, gotifyPriority)},
        {QStringLiteral("date"), QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
    };
    QJsonObject extras;
    if (request.fields.markdown)
        extras.insert(DisplayExtras, QJsonObject{{QStringLiteral("contentType"), QStringLiteral("text/markdown")}});
    if (!request.fields.click.isEmpty()) {
        extras.insert(
            NotificationExtras,
            QJsonObject{{QStringLiteral("click"), QJsonObject{{QStringLiteral("url"), request.fields.click}}}});
    }
    if (!extras.isEmpty())
        message.insert(QStringLiteral("extras"), extras);
    return message;
}
