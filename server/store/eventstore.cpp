#include "eventstore.h"

#include <memory>

EventStore::Appended EventStore::keyReused()
{
    return {nullptr, PublishError::Invalid,
            QStringLiteral("this Idempotency-Key was sent with a batch of fewer events: a batch is retried as it "
                           "was sent, or with a new key"),
            0};
}

QList<EventStore::AppendDone> EventStore::collected(qsizetype count, AppendBatchDone done)
{
    struct Collection
    {
        QList<Appended> results;
        qsizetype waiting;
        AppendBatchDone done;
    };
    const auto collection = std::make_shared<Collection>(Collection{QList<Appended>(count), count, std::move(done)});
    QList<AppendDone> appends;
    appends.reserve(count);
    for (qsizetype i = 0; i < count; ++i) {
        appends.append([collection, i](const Appended &appended) {
            collection->results[i] = appended;
            if (--collection->waiting == 0)
                collection->done(collection->results);
        });
    }
    if (count == 0)
        collection->done({});
    return appends;
}

void EventStore::appendBatch(const QList<PublishRequest> &requests, qint64 publishedAtMs, AppendBatchDone done)
{
    const QList<AppendDone> appends = collected(requests.size(), std::move(done));
    beginBatch();
    for (qsizetype i = 0; i < requests.size(); ++i)
        append(requests.at(i), publishedAtMs, appends.at(i));
    endBatch();
}
