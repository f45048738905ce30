/// Decodes arbitrary batch publishes (query, headers and a body of lines) and checks that a batch is
/// taken whole or refused whole: a refusal carries an error (naming a line when one is to blame),
/// and a batch taken has one valid request per line that is not blank, each the request that line
/// alone makes as a JSON publish, within the bounds.
#include "batchdecoding.h"
#include "fuzzcheck.h"
#include "fuzzinput.h"
#include "requestfields.h"

#include <QByteArray>
#include <QByteArrayView>

// Input: one selector byte, query NUL, [headers NUL] when the selector's bit 6 is set, body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const qint64 bodyLimits[] = {1 << 20, 256, 16, 0};
    static const int lineLimits[] = {1000, 3, 1, 2};

    const uchar selector = data[0];
    QByteArrayView rest(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const QUrlQuery query = formQuery(QString::fromUtf8(takeUntilNul(&rest)));
    const HeaderLookup headers = (selector & 0x40) ? headersOfLines(takeUntilNul(&rest)) : HeaderLookup();
    const QByteArray body = rest.toByteArray();
    const qint64 maxBody = bodyLimits[(selector >> 4) % 4];
    const int maxLines = lineLimits[selector % 4];

    const BatchDecoding batch = decodePublishBatch(body, query, maxBody, maxLines, headers);

    require(batch.isValid() == batch.error.isEmpty());
    require(batch.isValid() == !batch.requests.isEmpty());
    if (body.size() > maxBody)
        require(batch.refusal == PublishRefusal::TooLarge);
    if (!batch.isValid())
        return 0;
    require(batch.requests.size() <= maxLines);
    qsizetype taken = 0;
    for (const QByteArray &text : body.split('\n')) {
        const QByteArray line = text.trimmed();
        if (line.isEmpty())
            continue;
        const PublishDecoding alone = decodePublishRequest("application/json", line, query, maxBody, headers);
        require(alone.isValid() && alone.delay.isEmpty());
        const PublishRequest &request = batch.requests.at(taken++);
        require(request.validationError().isEmpty());
        require(request.data == alone.request.data && request.fields == alone.request.fields
                && request.topic == alone.request.topic && request.type == alone.request.type
                && request.target == alone.request.target);
    }
    require(taken == batch.requests.size());
    return 0;
}
