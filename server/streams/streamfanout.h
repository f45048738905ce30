#pragma once

#include "passwaiters.h"
#include "streamshard.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

/// Spreads event streams over a few StreamShard loops (one per core but one by default) and hands
/// every published event to all of them. Lives on the service thread; the shards report
/// ended streams back to it as queued signals, and run what waits for their passes themselves.
/// A shard with no stream has every event passed as it is published: it takes the events
/// later, many at once, so that publishing with nobody listening wakes no stream thread.
class StreamFanOut : public QObject
{
    Q_OBJECT

public:
    StreamFanOut(int shardCount, qint64 maxQueuedBytes, QObject *parent = nullptr);
    ~StreamFanOut() override;

    bool start(QString *errorMessage);
    void addStreams(std::vector<StreamSubscription> subscriptions);
    void publish(const EventPointer &event);
    /// Keeps what is published from now on until releasePublished(), which hands it all to the
    /// shards at once, with one wake-up each. Holds nest; anything else sent to the shards
    /// meanwhile (a new stream, a close) first releases what is held, so order is kept.
    void holdPublished();
    void releasePublished();
    void closeStream(quint64 connection, const QByteArray &farewell);
    /// Sends \a farewell on every stream and closes them all, waiting at most \a deadlineMs;
    /// then runs every action still waiting for a pass.
    void closeAll(const QByteArray &farewell, int deadlineMs);
    void setMaxQueuedBytes(qint64 bytes);

    /// Events published through this fan-out so far.
    quint64 publishedCount() const { return m_publishedCount.load(std::memory_order_relaxed); }
    /// How many of them every stream has been offered: written, or queued for a slow reader.
    /// Thread-safe.
    quint64 passedCount() const;
    /// Runs \a action once passedCount() has reached \a events: on the stream thread that
    /// finishes the pass, or now, on this thread, when it already has. After closeAll(), at once.
    void whenPassed(quint64 events, PassWaiters::Action action);

    /// Events written out in full to clients, over all streams ever opened.
    quint64 deliveredTotal() const { return m_deliveredTotal.load(std::memory_order_relaxed); }

Q_SIGNALS:
    void streamEnded(quint64 connection, StreamEnd reason);

private:
    size_t shardIndexFor(quint64 connection) const { return connection % m_shards.size(); }
    /// Hands the events held so far to the shards.
    void flushHeld();
    StreamShard &shardFor(quint64 connection) { return *m_shards[shardIndexFor(connection)]; }
    /// A shard's stream has ended; called on that shard's thread.
    void onShardStreamEnded(quint64 connection, StreamEnd reason);

    std::atomic<quint64> m_deliveredTotal{0};
    std::atomic<quint64> m_publishedCount{0};
    /// Hands \a events to every shard: at once to those with streams.
    void handOver(const std::vector<EventPointer> &events);

    std::vector<std::unique_ptr<StreamShard>> m_shards;
    /// Of each shard: the streams it has or is about to take, as this thread knows (a stream
    /// counts until its end has been reported here).
    std::vector<int> m_streamCounts;
    /// Of each shard: the events published while it had no stream, which have passed.
    std::vector<std::atomic<quint64>> m_passedWhileIdle;
    PassWaiters m_passWaiters;
    bool m_closed = false;
    int m_holdDepth = 0;
    std::vector<EventPointer> m_held;
};
