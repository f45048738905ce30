/// Decodes arbitrary publishes as ntfy's clients send them (method, path, query, headers and body)
/// and checks that a publish taken has a topic by ntfy's rule, a message, and fields within their
/// rules, that a refusal says why, and that the same request decodes the same way again.
#include "fuzzcheck.h"
#include "fuzzinput.h"
#include "ntfypublish.h"
#include "requestfields.h"

#include <QByteArray>
#include <QByteArrayView>

// Input: one selector byte (its method), path NUL, query NUL, headers NUL, body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const QByteArray methods[] = {"POST", "PUT", "GET", "DELETE"};
    const QByteArray &method = methods[data[0] % 4];
    QByteArrayView rest(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const QByteArray path = takeUntilNul(&rest).toByteArray();
    const QUrlQuery query = formQuery(QString::fromUtf8(takeUntilNul(&rest)));
    const QByteArrayView headerLines = takeUntilNul(&rest);
    const HeaderLookup headers = headersOfLines(headerLines);
    const QByteArray body = rest.toByteArray();
    if (!isNtfyPublish(method, path))
        return 0;

    const PublishDecoding decoding
        = decodeNtfyPublish(method, path, headers("Content-Type"), body, query, 4096, headers);
    require(decoding.isValid() == decoding.error.isEmpty());
    if (decoding.isValid()) {
        const PublishRequest &request = decoding.request;
        require(ntfyTopicError(request.topic).isEmpty());
        require(!request.data.isEmpty());
        require(request.validationError().isEmpty());
        require(request.type.isEmpty() && request.target.isEmpty());
        const QJsonObject message = ntfyMessage(1, 0, request);
        require(message.value(QStringLiteral("topic")).toString() == request.topic);
    }
    const PublishDecoding again = decodeNtfyPublish(method, path, headers("Content-Type"), body, query, 4096, headers);
    require(again.refusal == decoding.refusal && again.error == decoding.error
            && again.request.data == decoding.request.data && again.request.fields == decoding.request.fields);
    return 0;
}
