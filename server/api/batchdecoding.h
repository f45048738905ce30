#pragma once

#include "publishdecoding.h"

#include <QList>

/// The outcome of decoding a batch publish: every event's request, or why none is published.
struct BatchDecoding
{
    QList<PublishRequest> requests;
    PublishRefusal refusal = PublishRefusal::None;
    QString error; ///< names the line that broke a rule

    bool isValid() const { return refusal == PublishRefusal::None; }
};

/// Whether \a contentType names a batch publish: application/x-ndjson (also called
/// application/jsonl), one JSON publish per line.
bool isBatchPublish(QByteArrayView contentType);

/// Decodes a batch publish, all or nothing: each line that is not blank is one event, a JSON object
/// as a JSON publish (decodePublishRequest()) takes it, with the query's and the headers' fields as
/// every line's defaults. A batch over \a maxBodyBytes or \a maxLines is TooLarge; a line that
/// breaks a rule (or asks for a "delay": a batch goes out now) refuses the whole batch, naming the
/// line by its number from 1.
BatchDecoding decodePublishBatch(const QByteArray &body, const QUrlQuery &query, qint64 maxBodyBytes, int maxLines,
                                 const HeaderLookup &headerOf);

/// The idempotency key of the event on \a line (from 1) of a batch sent with \a batchKey, so that
/// a retried batch finds each of its events; empty without a key.
QByteArray batchEventKey(const QByteArray &batchKey, qsizetype line);
