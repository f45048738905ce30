#include "batchdecoding.h"

namespace {

BatchDecoding refusedBatch(PublishRefusal refusal, const QString &error)
{
    BatchDecoding batch;
    batch.refusal = refusal;
    batch.error = error;
    return batch;
}

} // namespace

bool isBatchPublish(QByteArrayView contentType)
{
    const QByteArray header = contentType.toByteArray().trimmed().toLower();
    const qsizetype semicolon = header.indexOf(';');
    const QByteArray mediaType = (semicolon < 0 ? header : header.left(semicolon)).trimmed();
    return mediaType == "application/x-ndjson" || mediaType == "application/jsonl";
}

BatchDecoding decodePublishBatch(const QByteArray &body, const QUrlQuery &query, qint64 maxBodyBytes, int maxLines,
                                 const HeaderLookup &headerOf)
{
    if (body.size() > maxBodyBytes) {
        const PublishDecoding tooLarge = PublishDecoding::bodyTooLarge(maxBodyBytes);
        return refusedBatch(tooLarge.refusal, tooLarge.error);
    }
    // The query's and the headers' fields are read once, for every line.
    const PublishDecoding defaults = decodePublishDefaults(query, headerOf, false);
    if (!defaults.isValid())
        return refusedBatch(defaults.refusal, defaults.error);
    if (!defaults.delay.isEmpty()) {
        return refusedBatch(PublishRefusal::Malformed,
                            QStringLiteral("a batch goes out now and takes no Delay: schedule a message with a "
                                           "publish of its own; nothing was published"));
    }
    BatchDecoding batch;
    qsizetype number = 0;
    for (const QByteArray &text : body.split('\n')) {
        ++number;
        const QByteArray line = text.trimmed();
        if (line.isEmpty())
            continue;
        if (batch.requests.size() == maxLines) {
            return refusedBatch(
                PublishRefusal::TooLarge,
                QStringLiteral("a batch carries at most %1 events (--max-batch); nothing was published").arg(maxLines));
        }
        const PublishDecoding decoding = isValidUtf8(line)
            ? decodeJsonPublish(line, defaults)
            : PublishDecoding::refused(PublishRefusal::Malformed, QStringLiteral("the line is not valid UTF-8"));
        if (!decoding.isValid())
            return refusedBatch(decoding.refusal,
                                QStringLiteral("line %1: %2; nothing was published").arg(number).arg(decoding.error));
        if (!decoding.delay.isEmpty()) {
            return refusedBatch(PublishRefusal::Malformed,
                                QStringLiteral("line %1: a batch goes out now and takes no \"delay\": schedule a "
                                               "message with a publish of its own; nothing was published")
                                    .arg(number));
        }
        batch.requests.append(decoding.request);
    }
    if (batch.requests.isEmpty())
        return refusedBatch(PublishRefusal::Malformed,
                            QStringLiteral("the batch holds no event: send one JSON object per line"));
    return batch;
}

QByteArray batchEventKey(const QByteArray &batchKey, qsizetype line)
{
    return batchKey.isEmpty() ? QByteArray() : batchKey + '#' + QByteArray::number(line);
}
