#include "streamdecoding.h"

#include "labels.h"
#include "requestfields.h"
#include "requesthead.h"

namespace {
constexpr int MaxRewind = 1'000'000; // as many as history can hold (--history)
}

StreamDecoding decodeStreamRequest(QByteArrayView target, QByteArrayView lastEventIdHeader, int maxTopics)
{
    StreamDecoding decoding;
    StreamRequest &request = decoding.request;
    auto refuse = [&decoding](const QString &error) {
        decoding.error = error;
        return decoding;
    };

    const QUrlQuery query = formQuery(targetQuery(target));
    request.token = formQueryValue(query, QStringLiteral("token")).toUtf8();

    // The browser sends Last-Event-ID itself when it reconnects; a page that opens a fresh
    // EventSource passes the id in the query instead.
    QByteArray lastIdText = lastEventIdHeader.toByteArray().trimmed();
    if (lastIdText.isEmpty())
        lastIdText = formQueryValue(query, QStringLiteral("lastEventId")).trimmed().toUtf8();
    if (!lastIdText.isEmpty()) {
        request.lastEventId = lastIdText.toULongLong(&request.resume);
        if (!request.resume)
            return refuse(QStringLiteral("the last event id must be a number Herald sent"));
    }

    const QString rewind = formQueryValue(query, QStringLiteral("rewind")).trimmed();
    if (!rewind.isEmpty()) {
        bool isNumber = false;
        request.rewind = rewind.toInt(&isNumber);
        if (!isNumber || request.rewind < 0 || request.rewind > MaxRewind)
            return refuse(QStringLiteral("rewind must be a number of events from 0 to %1").arg(MaxRewind));
    }

    for (const QString &value : query.allQueryItemValues(QStringLiteral("topic"), QUrl::FullyDecoded)) {
        for (const QString &part : value.split(u',')) {
            const QString topic = part.trimmed();
            if (topic.isEmpty() || request.topics.contains(topic))
                continue;
            // Each topic is held for as long as the stream is open: a short request line could
            // otherwise hold a thousand times its size. Reading stops at the first one too many.
            if (request.topics.size() >= maxTopics) {
                return refuse(QStringLiteral("a stream may ask for at most %1 topics (--max-topics)").arg(maxTopics));
            }
            const QString error = labelError(QStringLiteral("topic"), topic);
            if (!error.isEmpty())
                return refuse(error);
            request.topics.append(topic);
        }
    }

    const QString format = formQueryValue(query, QStringLiteral("format"));
    if (!format.isEmpty() && format != QLatin1String("json") && format != QLatin1String("plain"))
        return refuse(QStringLiteral("format must be plain or json"));
    request.format = format == QLatin1String("json") ? StreamFormat::Json : StreamFormat::Plain;

    request.name = formQueryValue(query, QStringLiteral("name")).trimmed();
    request.clientId = formQueryValue(query, QStringLiteral("client")).trimmed();
    for (const auto &[label, value] :
         {std::pair{QStringLiteral("name"), request.name}, std::pair{QStringLiteral("client"), request.clientId}}) {
        const QString error = labelError(label, value);
        if (!error.isEmpty())
            return refuse(error);
    }
    return decoding;
}
