#include "publishdecoding.h"

#include "headernames.h"
#include "requestfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

PublishDecoding PublishDecoding::refused(PublishRefusal refusal, const QString &error)
{
    PublishDecoding decoding;
    decoding.refusal = refusal;
    decoding.error = error;
    return decoding;
}

PublishDecoding PublishDecoding::bodyTooLarge(qint64 maxBodyBytes)
{
    return refused(PublishRefusal::TooLarge,
                   QStringLiteral("the body is larger than the limit of %1 bytes").arg(maxBodyBytes));
}

bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    [[maybe_unused]] const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

namespace {

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

/// A message field of a text publish: the headers that give it (any case), which in lower case
/// are also its query parameters, as ntfy names them (each lower-cased once here, not per publish).
struct TextField
{
    TextField(std::initializer_list<const char *> names)
    {
        for (const char *name : names)
            aliases.append({name, QString::fromLatin1(name).toLower()});
    }

    struct Alias
    {
        QByteArrayView header; ///< measured once, not at each lookup
        QString queryKey;
    };
    QList<Alias> aliases;
};
const TextField TitleField{{"X-Title", "Title", "ti", "t"}};
const TextField PriorityField{{"X-Priority", "Priority", "prio", "p"}};
const TextField TagsField{{"X-Tags", "Tags", "tag", "ta"}};
const TextField ClickField{{"X-Click", "Click"}};
const TextField MarkdownField{{"X-Markdown", "Markdown", "md"}};
const TextField AttachField{{"X-Attach", "Attach", "a"}};
const TextField FilenameField{{"X-Filename", "Filename", "file", "f"}};
const TextField DelayField{{"X-Delay", "Delay", "X-At", "At", "X-In", "In"}};

/// The value of \a field as the first of its headers or query parameters gives it; null when none does.
QString textFieldValue(const TextField &field, const HeaderLookup &header, const QUrlQuery &query)
{
    const bool queried = !query.isEmpty();
    for (const TextField::Alias &alias : field.aliases) {
        if (header) {
            const QByteArray value = header(alias.header);
            if (!value.isEmpty())
                return QString::fromUtf8(value.trimmed());
        }
        if (queried && query.hasQueryItem(alias.queryKey))
            return formQueryValue(query, alias.queryKey);
    }
    return QString();
}

} // namespace

HeaderLookup headersFrom(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return [headers](QByteArrayView name) {
        for (const auto &[key, value] : headers) {
            if (isSameHeaderName(key, name))
                return value;
        }
        return QByteArray();
    };
}

QString readMessageFields(const HeaderLookup &header, const QUrlQuery &query, MessageFields *fields)
{
    if (const QString title = textFieldValue(TitleField, header, query); !title.isNull())
        fields->title = title;
    if (const QString priority = textFieldValue(PriorityField, header, query); !priority.isNull()) {
        fields->priority = MessageFields::priorityFrom(priority);
        if (fields->priority == 0)
            return QStringLiteral("\"priority\" must be 1 to 5, or min, low, default, high or urgent (max), not %1")
                .arg(priority);
    }
    if (const QString tags = textFieldValue(TagsField, header, query); !tags.isNull())
        fields->tags = MessageFields::tagsFrom(tags);
    if (const QString click = textFieldValue(ClickField, header, query); !click.isNull())
        fields->click = click;
    if (const QString markdown = textFieldValue(MarkdownField, header, query); !markdown.isNull()) {
        bool ok = false;
        fields->markdown = MessageFields::switchFrom(markdown, &ok);
        if (!ok)
            return QStringLiteral("\"markdown\" must be yes or no (1, true, 0, false), not %1").arg(markdown);
    }
    // An empty Attach asks for nothing, as an empty Title does.
    if (const QString attach = textFieldValue(AttachField, header, query); !attach.isEmpty())
        fields->attachment = Attachment::link(attach, textFieldValue(FilenameField, header, query));
    return {};
}

QString messageOutsideTheBody(const HeaderLookup &header, const QUrlQuery &query)
{
    for (QByteArrayView name : {QByteArrayView("X-Message"), QByteArrayView("Message"), QByteArrayView("m")}) {
        if (const QByteArray value = header ? header(name) : QByteArray(); !value.isEmpty())
            return QString::fromUtf8(value);
    }
    for (const QString &name : {QStringLiteral("message"), QStringLiteral("msg"), QStringLiteral("m")}) {
        if (query.hasQueryItem(name))
            return formQueryValue(query, name);
    }
    return {};
}

QString deliveryTimeText(const HeaderLookup &header, const QUrlQuery &query)
{
    return textFieldValue(DelayField, header, query);
}

QString deliveryTimeText(const QJsonObject &object, bool *ok)
{
    const QJsonValue delay = object.value(QStringLiteral("delay"));
    *ok = delay.isUndefined() || delay.isNull() || delay.isString();
    return delay.toString();
}

QString uploadFileName(const HeaderLookup &header, const QUrlQuery &query)
{
    if (!textFieldValue(AttachField, header, query).isEmpty())
        return {}; // a link to a file elsewhere, with its name
    return textFieldValue(FilenameField, header, query);
}

namespace {

/// The members of a JSON publish that are neither a message field nor its delay. Most publishes
/// have only these, and need not look each field up.
const QStringList PlainMembers{QStringLiteral("data"), QStringLiteral("event"), QStringLiteral("topic"),
                               QStringLiteral("to")};

/// The members a JSON publish may have.
const QStringList JsonMembers
    = PlainMembers + QStringList{QStringLiteral("title"),    QStringLiteral("priority"), QStringLiteral("tags"),
                                 QStringLiteral("click"),    QStringLiteral("markdown"), QStringLiteral("attach"),
                                 QStringLiteral("filename"), QStringLiteral("delay")};

/// The message when a JSON "delay" is not a string.
const QString DelayNotAString = QStringLiteral("\"delay\" must be a string such as \"10m\", \"14:55\" or a Unix time");

} // namespace

QString unknownMember(const QJsonObject &object, const QStringList &known)
{
    for (auto member = object.begin(); member != object.end(); ++member) {
        if (!known.contains(member.key()))
            return member.key();
    }
    return {};
}

QString readMessageFields(const QJsonObject &object, MessageFields *fields)
{
    const auto given = [&object](const QString &name) {
        const QJsonValue value = object.value(name);
        return !value.isUndefined() && !value.isNull();
    };
    if (given(QStringLiteral("title"))) {
        if (!object.value(QStringLiteral("title")).isString())
            return QStringLiteral("\"title\" must be a string");
        fields->title = object.value(QStringLiteral("title")).toString();
    }
    if (given(QStringLiteral("priority"))) {
        const QJsonValue priority = object.value(QStringLiteral("priority"));
        const double number = priority.toDouble(-1);
        // In range before it is made an int: a number past int's range cannot be converted.
        const bool whole = priority.isDouble() && number >= MessageFields::MinPriority
            && number <= MessageFields::MaxPriority && number == int(number);
        fields->priority = priority.isString() ? MessageFields::priorityFrom(priority.toString())
            : whole                            ? int(number)
                                               : 0;
        if (fields->priority == 0)
            return QStringLiteral("\"priority\" must be 1 to 5, or min, low, default, high or urgent (max)");
    }
    if (given(QStringLiteral("tags"))) {
        const QJsonValue tags = object.value(QStringLiteral("tags"));
        if (tags.isString()) {
            fields->tags = MessageFields::tagsFrom(tags.toString());
        } else if (tags.isArray()) {
            for (const QJsonValue tag : tags.toArray()) {
                if (!tag.isString())
                    return QStringLiteral("\"tags\" must be a list of strings");
                fields->tags.append(tag.toString());
            }
        } else {
            return QStringLiteral("\"tags\" must be a list of strings");
        }
    }
    if (given(QStringLiteral("click"))) {
        if (!object.value(QStringLiteral("click")).isString())
            return QStringLiteral("\"click\" must be a string");
        fields->click = object.value(QStringLiteral("click")).toString();
    }
    if (given(QStringLiteral("markdown"))) {
        if (!object.value(QStringLiteral("markdown")).isBool())
            return QStringLiteral("\"markdown\" must be true or false");
        fields->markdown = object.value(QStringLiteral("markdown")).toBool();
    }
    if (given(QStringLiteral("attach"))) {
        const QJsonValue filename = object.value(QStringLiteral("filename"));
        if (!object.value(QStringLiteral("attach")).isString() || !(filename.isUndefined() || filename.isString()))
            return QStringLiteral("\"attach\" and \"filename\" must be strings");
        if (!object.value(QStringLiteral("attach")).toString().isEmpty())
            fields->attachment
                = Attachment::link(object.value(QStringLiteral("attach")).toString(), filename.toString());
    } else if (given(QStringLiteral("filename"))) {
        return QStringLiteral("\"filename\" names the file of \"attach\"; to send a file, upload it (see the README)");
    }
    return {};
}

PublishDecoding decodeEventEdit(QByteArrayView contentType, const QByteArray &body, qint64 maxBodyBytes,
                                const QByteArray &currentData, const MessageFields &currentFields)
{
    static const QStringList EditMembers{QStringLiteral("data"), QStringLiteral("title"), QStringLiteral("priority"),
                                         QStringLiteral("tags"), QStringLiteral("click"), QStringLiteral("markdown")};
    if (body.size() > maxBodyBytes)
        return PublishDecoding::bodyTooLarge(maxBodyBytes);
    // JSON whatever its Content-Type says: curl -d calls it a form.
    Q_UNUSED(contentType);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject() || document.object().isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed,
                                        QStringLiteral("an edit is a JSON object with the members to change: %1")
                                            .arg(EditMembers.join(QStringLiteral(", "))));
    const QJsonObject object = document.object();
    if (const QString unknown = unknownMember(object, EditMembers); !unknown.isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed,
                                        QStringLiteral("unknown member \"%1\": an edit takes %2")
                                            .arg(unknown, EditMembers.join(QStringLiteral(", "))));
    PublishDecoding decoding;
    PublishRequest &request = decoding.request;
    request.data = currentData;
    request.fields = currentFields;
    const QJsonValue data = object.value(QStringLiteral("data"));
    if (!data.isUndefined()) {
        if (!data.isString())
            return PublishDecoding::refused(PublishRefusal::Malformed, QStringLiteral("\"data\" must be a string"));
        request.data = data.toString().toUtf8();
        if (request.data.isEmpty())
            return PublishDecoding::refused(PublishRefusal::Malformed,
                                            QStringLiteral("no data: an event needs some text"));
    }
    if (const QString error = readMessageFields(object, &request.fields); !error.isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed, error);
    if (const QString error = request.fields.validationError(); !error.isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed, error);
    return decoding;
}

PublishDecoding decodePublishDefaults(const QUrlQuery &query, const HeaderLookup &headerOf, bool markdown)
{
    PublishDecoding decoding;
    PublishRequest &request = decoding.request;
    request.type = formQueryValue(query, QStringLiteral("event"));
    request.topic = formQueryValue(query, QStringLiteral("topic"));
    request.target = formQueryValue(query, QStringLiteral("to"));
    request.fields.markdown = markdown;
    if (const QString error = readMessageFields(headerOf, query, &request.fields); !error.isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed, error);
    decoding.delay = deliveryTimeText(headerOf, query);
    return decoding;
}

PublishDecoding decodeJsonPublish(const QByteArray &body, PublishDecoding defaults)
{
    PublishDecoding decoding = std::move(defaults);
    PublishRequest &request = decoding.request;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return PublishDecoding::refused(
            PublishRefusal::Malformed,
            QStringLiteral("malformed JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject()) {
        return PublishDecoding::refused(PublishRefusal::Malformed,
                                        QStringLiteral("the JSON body must be an object with a \"data\" member"));
    }
    const QJsonObject object = document.object();
    if (const QString unknown = unknownMember(object, JsonMembers); !unknown.isEmpty()) {
        return PublishDecoding::refused(PublishRefusal::Malformed,
                                        QStringLiteral("unknown member \"%1\": a JSON publish takes %2")
                                            .arg(unknown, JsonMembers.join(QStringLiteral(", "))));
    }
    bool hasFields = false;
    for (auto member = object.constBegin(); member != object.constEnd() && !hasFields; ++member)
        hasFields = !PlainMembers.contains(member.key());
    if (hasFields) {
        if (const QString error = readMessageFields(object, &request.fields); !error.isEmpty())
            return PublishDecoding::refused(PublishRefusal::Malformed, error);
        bool delayOk = false;
        if (const QString delay = deliveryTimeText(object, &delayOk); !delay.isEmpty())
            decoding.delay = delay;
        if (!delayOk)
            return PublishDecoding::refused(PublishRefusal::Malformed, DelayNotAString);
    }

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
        return PublishDecoding::refused(PublishRefusal::Malformed, QStringLiteral("\"data\" has an unsupported type"));
    }

    for (const auto &[key, field] :
         {std::pair{QStringLiteral("event"), &request.type}, std::pair{QStringLiteral("topic"), &request.topic},
          std::pair{QStringLiteral("to"), &request.target}}) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            continue;
        if (!value.isString())
            return PublishDecoding::refused(PublishRefusal::Malformed,
                                            QStringLiteral("\"%1\" must be a string").arg(key));
        *field = value.toString();
    }

    if (const QString error = request.validationError(); !error.isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed, error);
    return decoding;
}

PublishDecoding decodePublishRequest(QByteArrayView contentType, const QByteArray &body, const QUrlQuery &query,
                                     qint64 maxBodyBytes, const HeaderLookup &headerOf)
{
    if (body.size() > maxBodyBytes) {
        return PublishDecoding::bodyTooLarge(maxBodyBytes);
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
    const bool isMarkdown = mediaType == "text/markdown";
    const bool isText = mediaType.isEmpty() || mediaType == "text/plain" || isMarkdown;
    const bool isJson = mediaType == "application/json";
    if (!isText && !isJson) {
        return PublishDecoding::refused(
            PublishRefusal::UnsupportedMediaType,
            QStringLiteral("send the body as text/plain, text/markdown or application/json, not %1 "
                           "(with curl: -H 'Content-Type: text/plain')")
                .arg(QString::fromLatin1(mediaType)));
    }
    if (!charset.isEmpty() && charset != "utf-8" && charset != "utf8") {
        return PublishDecoding::refused(
            PublishRefusal::UnsupportedMediaType,
            QStringLiteral("the body must be UTF-8, not %1").arg(QString::fromLatin1(charset)));
    }
    if (!isValidUtf8(body))
        return PublishDecoding::refused(PublishRefusal::Malformed, QStringLiteral("the body is not valid UTF-8"));

    PublishDecoding decoding = decodePublishDefaults(query, headerOf, isMarkdown);
    if (!decoding.isValid())
        return decoding;
    if (!isText)
        return decodeJsonPublish(body, std::move(decoding));
    decoding.request.data = body; // shared with the request, not copied
    if (const QString error = decoding.request.validationError(); !error.isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed, error);
    return decoding;
}
