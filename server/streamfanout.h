#pragma once

#include "streamshard.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

/// Spreads event streams over a few StreamShard loops (one per core but one by default) and hands
/// every published event to all of them. Lives on the service thread; the shards report
/// ended streams back to it as queued signals.
class StreamFanOut : public QObject
{
    Q_OBJECT

public:
    StreamFanOut(int shardCount, qint64 maxQueuedBytes, QObject *parent = nullptr);
    ~StreamFanOut() override;

    bool start(QString *errorMessage);
    void addStreams(std::vector<StreamSubscription> subscriptions);
    void publish(const EventPointer &event);
    void closeStream(quint64 connection, const QByteArray &farewell);
    /// Sends \a farewell on every stream and closes them all, waiting at most \a deadlineMs.
    void closeAll(const QByteArray &farewell, int deadlineMs);
    void setMaxQueuedBytes(qint64 bytes);

    /// Events published through this fan-out so far.
    quint64 publishedCount() const { return m_publishedCount; }
    /// How many of them every stream has been offered: written, or queued for a slow reader.
    quint64 passedCount() const;

    /// Events written out in full to clients, over all streams ever opened.
    quint64 deliveredTotal() const { return m_deliveredTotal.load(std::memory_order_relaxed); }

Q_SIGNALS:
    void streamEnded(quint64 connection, StreamEnd reason);
    /// passedCount() has grown.
    void eventsPassed();

private:
    size_t shardIndexFor(quint64 connection) const { return connection % m_shards.size(); }
    StreamShard &shardFor(quint64 connection) { return *m_shards[shardIndexFor(connection)]; }

    void onEventsPassed();

    std::atomic<quint64> m_deliveredTotal{0};
    std::atomic<bool> m_passReportQueued{false};
    quint64 m_publishedCount = 0;
    std::vector<std::unique_ptr<StreamShard>> m_shards;
};
