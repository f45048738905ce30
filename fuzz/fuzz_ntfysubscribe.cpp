/// Decodes arbitrary ntfy subscriptions (a path, a query and headers) and checks that an accepted
/// one is a stream of one of ntfy's formats, for ntfy topics within --max-topics, that it starts
/// in one place only, and that the answer is the same every time.
#include "fuzzcheck.h"
#include "fuzzinput.h"
#include "ntfypublish.h"
#include "ntfysubscribe.h"
#include "requestfields.h"
#include "serviceconfig.h"

#include <QByteArray>
#include <QByteArrayView>

// Input: the path up to a NUL, the query up to a NUL, then headers a line each.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArrayView rest(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArrayView path = takeUntilNul(&rest);
    const QUrlQuery query = formQuery(QString::fromUtf8(takeUntilNul(&rest)));
    const HeaderLookup header = headersOfLines(rest);
    constexpr qint64 Now = 1'700'000'000'000;

    const int maxTopics = ServiceConfig().maxTopics;
    const StreamDecoding decoding = decodeNtfySubscribe(path, query, header, maxTopics, Now);
    require(decoding.isValid() == decoding.error.isEmpty());
    if (decoding.isValid()) {
        const StreamRequest &request = decoding.request;
        require(isNtfySubscribePath(path));
        require(isNtfyFormat(request.format));
        require(!request.topics.isEmpty() && request.topics.size() <= maxTopics);
        for (const QString &topic : request.topics)
            require(ntfyTopicError(topic).isEmpty() && request.topics.count(topic) == 1);
        // One starting point at most: an id, a time, or the newest.
        require(int(request.resume) + int(request.sinceMs >= 0) + int(request.rewind > 0) <= 1);
        require(request.sinceMs <= qint64(999'999'999'999) * 1000);
        require(request.rewind == 0 || request.rewind == 1);
        require(!request.poll || request.resume || request.sinceMs >= 0 || request.rewind > 0);
        if (request.filter) {
            require(!request.filter->isEmpty());
            for (int priority : request.filter->priorities)
                require(priority >= 1 && priority <= 5);
        }
    } else {
        require(!decoding.error.isEmpty());
    }

    const StreamDecoding again = decodeNtfySubscribe(path, query, header, maxTopics, Now);
    require(again.error == decoding.error && again.request.topics == decoding.request.topics
            && again.request.sinceMs == decoding.request.sinceMs
            && again.request.lastEventId == decoding.request.lastEventId
            && again.request.poll == decoding.request.poll);
    return 0;
}
