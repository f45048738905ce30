#include "ntfysubscribe.h"

#include "ntfymessage.h"
#include "ntfypublish.h"
#include "requestfields.h"

#include <QRegularExpression>

namespace {

/// The path's last segment, and the format it names.
const std::pair<QByteArrayView, StreamFormat> FormatSegments[]
    = {{"/json", StreamFormat::NtfyJson}, {"/sse", StreamFormat::NtfySse}, {"/raw", StreamFormat::NtfyRaw}};

/// How far back since= may reach: as far as history can.
constexpr qint64 MaxSinceSeconds = qint64(100) * 365 * 24 * 3600;

/// The topics of \a path (without its format segment), or none when one is not an ntfy topic.
QStringList topicsOf(QByteArrayView path, QByteArrayView *format)
{
    for (const auto &[segment, streamFormat] : FormatSegments) {
        if (path.size() > segment.size() + 1 && path.endsWith(segment)) {
            *format = segment;
            const QString topics = QString::fromUtf8(
                QByteArray::fromPercentEncoding(path.sliced(1, path.size() - segment.size() - 1).toByteArray()));
            QStringList list = topics.split(u',');
            for (const QString &topic : std::as_const(list)) {
                if (!ntfyTopicError(topic).isEmpty())
                    return {};
            }
            return list;
        }
    }
    return {};
}

/// The first of \a names given as a header (X-<Name> or <Name>) or a query parameter, as ntfy reads
/// its parameters; null when none is.
QString parameter(const QUrlQuery &query, const HeaderLookup &header, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        if (header) {
            for (const QByteArray &headerName : {QByteArray("X-") + name, QByteArray(name)}) {
                const QByteArray value = header(headerName);
                if (!value.isNull())
                    return QString::fromUtf8(value).trimmed();
            }
        }
    }
    for (const char *name : names) {
        const QString key = QString::fromLatin1(name);
        if (query.hasQueryItem(key))
            return formQueryValue(query, key);
    }
    return {};
}

/// Reads ntfy's since= into \a request; an error naming what is wrong, or an empty string.
QString readSince(const QString &since, qint64 nowMs, StreamRequest *request)
{
    static const QRegularExpression duration(QStringLiteral("^(\\d{1,12})([smhd])$"));
    if (since == QLatin1String("all")) {
        request->resume = true; // after id 0: everything retained
        request->lastEventId = 0;
        return {};
    }
    if (since == QLatin1String("latest")) {
        request->rewind = 1;
        return {};
    }
    if (const QRegularExpressionMatch match = duration.match(since); match.hasMatch()) {
        static const QHash<QChar, qint64> unitSeconds{{u's', 1}, {u'm', 60}, {u'h', 3600}, {u'd', 86400}};
        const qint64 seconds
            = qMin(match.captured(1).toLongLong() * unitSeconds.value(match.captured(2).at(0)), MaxSinceSeconds);
        request->sinceMs = qMax<qint64>(0, nowMs - seconds * 1000);
        return {};
    }
    // Ten digits or more is a Unix time (from September 2001 on); fewer, one of Herald's ids.
    bool ok = false;
    if (since.size() >= 10 && since.size() <= 12) {
        const qint64 seconds = since.toLongLong(&ok);
        if (ok) {
            request->sinceMs = seconds * 1000;
            return {};
        }
    }
    const quint64 id = NtfyMessage::eventIdOf(since, &ok);
    if (ok) {
        request->resume = true;
        request->lastEventId = id;
        return {};
    }
    return QStringLiteral("since must be a duration (30s, 10m, 2h, 1d), a Unix time, a message id, all or latest");
}

} // namespace

bool isNtfySubscribePath(QByteArrayView path)
{
    QByteArrayView format;
    return !topicsOf(path, &format).isEmpty();
}

StreamDecoding decodeNtfySubscribe(QByteArrayView path, const QUrlQuery &query, const HeaderLookup &header,
                                   int maxTopics, qint64 nowMs)
{
    StreamDecoding decoding;
    StreamRequest &request = decoding.request;
    auto refuse = [&decoding](const QString &error) {
        decoding.error = error;
        return decoding;
    };
    request.token = formQueryValue(query, QStringLiteral("token")).toUtf8();

    QByteArrayView formatSegment;
    const QStringList topics = topicsOf(path, &formatSegment);
    if (topics.isEmpty())
        return refuse(QStringLiteral("an ntfy subscription is /<topic>/json, /<topic>/sse or /<topic>/raw"));
    for (const auto &[segment, format] : FormatSegments) {
        if (segment == formatSegment)
            request.format = format;
    }
    for (const QString &topic : topics) {
        if (request.topics.contains(topic))
            continue;
        if (request.topics.size() >= maxTopics)
            return refuse(QStringLiteral("a stream may ask for at most %1 topics (--max-topics)").arg(maxTopics));
        request.topics.append(topic);
    }

    const QString poll = parameter(query, header, {"poll", "po"});
    if (!poll.isNull()) {
        bool ok = false;
        request.poll = MessageFields::switchFrom(poll, &ok);
        if (!ok)
            return refuse(QStringLiteral("poll must be 1 or 0"));
    }
    QString since = parameter(query, header, {"since", "si"});
    if (since.isNull() && request.poll)
        since = QStringLiteral("all"); // as ntfy: a poll without since= reads everything retained
    if (!since.isNull()) {
        if (const QString error = readSince(since.trimmed(), nowMs, &request); !error.isEmpty())
            return refuse(error);
    } else if (header) {
        // An EventSource coming back on an ntfy /sse stream says where it stopped.
        const QByteArray lastEventId = header("Last-Event-ID").trimmed();
        if (!lastEventId.isEmpty()) {
            bool ok = false;
            request.lastEventId = NtfyMessage::eventIdOf(QString::fromLatin1(lastEventId), &ok);
            if (!ok)
                return refuse(QStringLiteral("the last event id must be a message id Herald sent"));
            request.resume = true;
        }
    }

    MessageFilter filter;
    const QString priorities = parameter(query, header, {"priority", "prio", "p"});
    if (!priorities.isEmpty()) {
        for (QStringView name : QStringView(priorities).split(u',')) {
            const int priority = MessageFields::priorityFrom(name);
            if (priority == 0)
                return refuse(QStringLiteral("priority must list 1 to 5, or min, low, default, high or urgent (max)"));
            filter.priorities.append(priority);
        }
    }
    filter.tags = MessageFields::tagsFrom(parameter(query, header, {"tags", "tag", "ta"}));
    // As ntfy: an empty filter is no filter.
    if (const QString title = parameter(query, header, {"title", "ti", "t"}); !title.isEmpty())
        filter.title = title;
    if (const QString message = parameter(query, header, {"message", "msg", "m"}); !message.isEmpty())
        filter.message = message;
    if (!filter.isEmpty())
        request.filter = std::make_shared<const MessageFilter>(std::move(filter));
    return decoding;
}
