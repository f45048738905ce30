#include "ntfypublish.h"

#include "event.h"
#include "ntfymessage.h"
#include "requestfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace {

/// ntfy's message when a publish gives none.
const QByteArray TriggeredMessage = "triggered";

/// The members of ntfy's JSON publish that Herald takes.
const QStringList NtfyJsonMembers{QStringLiteral("topic"),    QStringLiteral("message"),  QStringLiteral("title"),
                                  QStringLiteral("tags"),     QStringLiteral("priority"), QStringLiteral("click"),
                                  QStringLiteral("markdown"), QStringLiteral("attach"),   QStringLiteral("filename"),
                                  QStringLiteral("delay")};

/// The path's segments: "/kitchen/publish" is {"kitchen", "publish"}.
QList<QByteArrayView> segmentsOf(QByteArrayView path)
{
    QList<QByteArrayView> segments;
    if (!path.startsWith('/'))
        return segments;
    for (QByteArrayView rest = path.sliced(1); !rest.isEmpty();) {
        const qsizetype slash = rest.indexOf('/');
        segments.append(slash < 0 ? rest : rest.first(slash));
        rest = slash < 0 ? QByteArrayView() : rest.sliced(slash + 1);
        if (slash >= 0 && rest.isEmpty())
            segments.append(QByteArrayView()); // a trailing slash
    }
    return segments;
}

bool isPublishVerb(QByteArrayView segment)
{
    return segment == "publish" || segment == "send" || segment == "trigger";
}

/// ntfy's features Herald does not take yet, by the headers that ask for them (query parameters:
/// the same in lower case). A publish asking for one is refused, rather than sent without it: an
/// e-mail never sent, or an action button dropped, would surprise its sender.
struct NtfyFeature
{
    const char *feature;
    std::initializer_list<const char *> names;
};
const NtfyFeature FeaturesNotTaken[] = {
    {"action buttons", {"X-Actions", "Actions", "Action"}},
    {"e-mail notifications", {"X-Email", "X-E-Mail", "Email", "E-Mail", "Mail"}},
    {"phone calls", {"X-Call", "Call"}},
    {"icons", {"X-Icon", "Icon"}},
};

/// The first header or query parameter that asks for a feature Herald does not take, with the
/// feature, or an empty string.
QString featureNotTaken(const HeaderLookup &header, const QUrlQuery &query)
{
    for (const NtfyFeature &feature : FeaturesNotTaken) {
        for (const char *name : feature.names) {
            const QString lower = QString::fromLatin1(name).toLower();
            if ((header && !header(name).isEmpty()) || query.hasQueryItem(lower))
                return QStringLiteral("%1 (%2) is not something Herald takes yet; send without it")
                    .arg(QLatin1String(name), QLatin1String(feature.feature));
        }
    }
    return {};
}

} // namespace

const QStringList NtfyReservedTopics{
    QStringLiteral("events"), QStringLiteral("sse"),     QStringLiteral("publish"), QStringLiteral("say"),
    QStringLiteral("api"),    QStringLiteral("healthz"), QStringLiteral("metrics"), QStringLiteral("message"),
    QStringLiteral("v1"),     QStringLiteral("docs"),    QStringLiteral("static"),  QStringLiteral("file"),
};

bool isNtfyPublish(QByteArrayView method, QByteArrayView path)
{
    const bool posts = method == "POST" || method == "PUT";
    const QList<QByteArrayView> segments = segmentsOf(path);
    if (segments.isEmpty())
        return posts && path == "/";
    if (segments.first().isEmpty())
        return false; // "//publish" names no topic
    if (segments.size() == 1)
        return posts;
    return segments.size() == 2 && isPublishVerb(segments.at(1)) && (posts || method == "GET");
}

QString ntfyTopicError(QStringView topic)
{
    static const QRegularExpression rule(QStringLiteral("^[-_A-Za-z0-9]{1,64}$"));
    if (!rule.match(topic).hasMatch())
        return QStringLiteral("a topic is 1 to 64 letters, digits, \"-\" and \"_\", not \"%1\"")
            .arg(topic.left(80).toString());
    if (NtfyReservedTopics.contains(topic.toString()))
        return QStringLiteral("\"%1\" is one of Herald's own paths, not a topic").arg(topic.toString());
    return {};
}

PublishDecoding decodeNtfyPublish(QByteArrayView method, QByteArrayView path, QByteArrayView contentType,
                                  const QByteArray &body, const QUrlQuery &query, qint64 maxBodyBytes,
                                  const HeaderLookup &header)
{
    if (body.size() > maxBodyBytes)
        return PublishDecoding::bodyTooLarge(maxBodyBytes);
    if (!isValidUtf8(body))
        return PublishDecoding::refused(PublishRefusal::Malformed,
                                        QStringLiteral("the body is not UTF-8 text; Herald takes text"));

    PublishDecoding decoding;
    PublishRequest &request = decoding.request;
    if (path == "/") {
        // ntfy's JSON: {"topic", "message"?, "title"?, "tags"?, "priority"?, "click"?, "markdown"?}
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return PublishDecoding::refused(
                PublishRefusal::Malformed,
                QStringLiteral("publishing to / takes ntfy's JSON: {\"topic\": ..., \"message\": ...}"));
        const QJsonObject object = document.object();
        if (const QString unknown = unknownMember(object, NtfyJsonMembers); !unknown.isEmpty()) {
            return PublishDecoding::refused(PublishRefusal::Malformed,
                                            QStringLiteral("unknown member \"%1\": Herald takes %2")
                                                .arg(unknown, NtfyJsonMembers.join(QStringLiteral(", "))));
        }
        const QJsonValue topic = object.value(QStringLiteral("topic"));
        const QJsonValue message = object.value(QStringLiteral("message"));
        if (!topic.isString())
            return PublishDecoding::refused(PublishRefusal::Malformed,
                                            QStringLiteral("\"topic\" must be given, as a string"));
        if (!message.isUndefined() && !message.isNull() && !message.isString())
            return PublishDecoding::refused(PublishRefusal::Malformed, QStringLiteral("\"message\" must be a string"));
        request.topic = topic.toString();
        request.data = message.toString().toUtf8();
        if (const QString error = readMessageFields(object, &request.fields); !error.isEmpty())
            return PublishDecoding::refused(PublishRefusal::Malformed, error);
        bool delayOk = false;
        decoding.delay = deliveryTimeText(object, &delayOk);
        if (!delayOk)
            return PublishDecoding::refused(PublishRefusal::Malformed,
                                            QStringLiteral("\"delay\" must be a string such as \"10m\""));
    } else {
        if (const QString error = featureNotTaken(header, query); !error.isEmpty())
            return PublishDecoding::refused(PublishRefusal::Malformed, error);
        const QList<QByteArrayView> segments = segmentsOf(path);
        request.topic = QString::fromLatin1(segments.first());
        const bool bodyIsMessage = segments.size() == 1 || method != "GET";
        request.data = bodyIsMessage ? body : QByteArray();
        if (request.data.isEmpty())
            request.data = messageOutsideTheBody(header, query).toUtf8();
        const QByteArray mediaType = contentType.toByteArray().split(';').first().trimmed().toLower();
        request.fields.markdown = mediaType == "text/markdown";
        if (const QString error = readMessageFields(header, query, &request.fields); !error.isEmpty())
            return PublishDecoding::refused(PublishRefusal::Malformed, error);
        decoding.delay = deliveryTimeText(header, query);
    }
    if (const QString error = ntfyTopicError(request.topic); !error.isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed, error);
    if (request.data.isEmpty())
        request.data = TriggeredMessage;
    if (const QString error = request.validationError(); !error.isEmpty())
        return PublishDecoding::refused(PublishRefusal::Malformed, error);
    return decoding;
}

QJsonObject ntfyMessage(quint64 id, qint64 timeMs, const PublishRequest &request)
{
    return NtfyMessage::message(id, 0, timeMs, request.topic, Event::textOf(request.data), request.fields);
}

QJsonObject ntfyMessage(const PublishResult &result, qint64 nowMs, const PublishRequest &request)
{
    if (result.scheduleId.isEmpty())
        return ntfyMessage(result.id, nowMs, request);
    // As ntfy answers a scheduled message: the time it goes out; its id, the schedule's.
    QJsonObject message = ntfyMessage(0, result.scheduledAtMs, request);
    message.insert(QStringLiteral("id"), result.scheduleId);
    return message;
}
