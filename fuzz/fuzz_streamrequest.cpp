/// Decodes arbitrary stream requests (a request target and a Last-Event-ID header) and checks that
/// an accepted request only carries labels a stream may have, that the header wins over the query,
/// and that the answer is the same every time.
#include "fuzzcheck.h"
#include "labels.h"
#include "requestfields.h"
#include "serviceconfig.h"
#include "streamdecoding.h"

#include <QByteArray>
#include <QByteArrayView>

// Input: the request target up to a NUL, then the Last-Event-ID header's value.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nul = input.indexOf('\0');
    const QByteArrayView target = nul < 0 ? input : input.first(nul);
    const QByteArrayView header = nul < 0 ? QByteArrayView() : input.sliced(nul + 1);

    const int maxTopics = ServiceConfig().maxTopics;
    const StreamDecoding decoding = decodeStreamRequest(target, header, maxTopics);
    require(decoding.isValid() == decoding.error.isEmpty());
    if (decoding.isValid()) {
        const StreamRequest &request = decoding.request;
        require(request.topics.size() <= maxTopics);
        QStringList seen;
        for (const QString &topic : request.topics) {
            require(!topic.isEmpty() && !topic.contains(u',') && topic == topic.trimmed());
            require(labelError(QStringLiteral("topic"), topic).isEmpty());
            require(!seen.contains(topic));
            seen.append(topic);
        }
        require(labelError(QStringLiteral("client"), request.clientId).isEmpty());
        require(labelError(QStringLiteral("name"), request.name).isEmpty());
        require(request.format == StreamFormat::Plain || request.format == StreamFormat::Json);
        require(request.resume || request.lastEventId == 0);
    }
    // A browser's own Last-Event-ID, when it is a number, is what the stream resumes from.
    bool headerIsNumber = false;
    const quint64 headerId = header.toByteArray().trimmed().toULongLong(&headerIsNumber);
    if (headerIsNumber && decoding.isValid())
        require(decoding.request.resume && decoding.request.lastEventId == headerId);

    const StreamDecoding again = decodeStreamRequest(target, header, maxTopics);
    require(again.error == decoding.error && again.request.topics == decoding.request.topics
            && again.request.clientId == decoding.request.clientId && again.request.token == decoding.request.token
            && again.request.lastEventId == decoding.request.lastEventId);
    return 0;
}
