#include "streamfanout.h"

#include <QThread>

StreamFanOut::StreamFanOut(int shardCount, qint64 maxQueuedBytes, QObject *parent)
    : QObject(parent)
{
    // By default one core is left to the rest of Herald (the window, the service thread and the
    // request gate) and to whatever else runs on the machine: a fan-out that takes every core
    // makes the window stutter through a burst and, when readers share the machine, delays them.
    if (shardCount <= 0)
        shardCount = qBound(1, QThread::idealThreadCount() - 1, 8);
    m_streamCounts.resize(size_t(shardCount));
    m_passedWhileIdle = std::vector<std::atomic<quint64>>(size_t(shardCount));
    for (int i = 0; i < shardCount; ++i) {
        m_shards.push_back(std::make_unique<StreamShard>(
            maxQueuedBytes, &m_deliveredTotal,
            [this](quint64 connection, StreamEnd reason) { onShardStreamEnded(connection, reason); }));
        // On the shard's thread: what waited for this pass runs there and then.
        m_shards.back()->setEventsPassedCallback([this] { m_passWaiters.report(passedCount()); });
    }
}

void StreamFanOut::onShardStreamEnded(quint64 connection, StreamEnd reason)
{
    // Called on a shard's thread: the count and the signal belong to the service thread.
    QMetaObject::invokeMethod(
        this,
        [this, connection, reason] {
            --m_streamCounts[shardIndexFor(connection)];
            Q_EMIT streamEnded(connection, reason);
        },
        Qt::QueuedConnection);
}

StreamFanOut::~StreamFanOut()
{
    closeAll(QByteArray(), 0);
}

bool StreamFanOut::start(QString *errorMessage)
{
    for (auto &shard : m_shards) {
        if (!shard->start(errorMessage))
            return false;
    }
    return true;
}

void StreamFanOut::addStreams(std::vector<StreamSubscription> subscriptions)
{
    flushHeld(); // a stream starts after the events before it, which its replay holds
    std::vector<std::vector<StreamSubscription>> perShard(m_shards.size());
    for (StreamSubscription &subscription : subscriptions)
        perShard[shardIndexFor(subscription.connection)].push_back(std::move(subscription));
    for (size_t i = 0; i < m_shards.size(); ++i) {
        if (perShard[i].empty())
            continue;
        m_streamCounts[i] += int(perShard[i].size());
        m_shards[i]->addStreams(std::move(perShard[i]));
    }
}

void StreamFanOut::publish(const EventPointer &event)
{
    m_publishedCount.fetch_add(1, std::memory_order_relaxed);
    m_held.push_back(event);
    if (m_holdDepth == 0)
        flushHeld();
}

void StreamFanOut::holdPublished()
{
    ++m_holdDepth;
}

void StreamFanOut::releasePublished()
{
    if (m_holdDepth > 0 && --m_holdDepth == 0)
        flushHeld();
}

void StreamFanOut::flushHeld()
{
    if (m_held.empty())
        return;
    handOver(m_held);
    m_held.clear();
}

void StreamFanOut::handOver(const std::vector<EventPointer> &events)
{
    bool passed = false;
    for (size_t i = 0; i < m_shards.size(); ++i) {
        if (m_streamCounts[i] > 0) {
            m_shards[i]->publish(events);
            continue;
        }
        // Nobody there to offer them to: they have passed, and the shard takes them in bulk.
        m_shards[i]->publishWhileIdle(events);
        m_passedWhileIdle[i].store(publishedCount());
        passed = true;
    }
    // No shard will report these passes: what waited for them (an answer) goes now.
    if (passed)
        m_passWaiters.report(passedCount());
}

void StreamFanOut::closeStream(quint64 connection, const QByteArray &farewell)
{
    flushHeld();
    shardFor(connection).closeStream(connection, farewell);
}

void StreamFanOut::closeAll(const QByteArray &farewell, int deadlineMs)
{
    m_holdDepth = 0;
    flushHeld();
    // Shards stop in parallel: ask them all first, then wait for each.
    std::vector<std::thread> stoppers;
    for (auto &shard : m_shards) {
        StreamShard *s = shard.get();
        stoppers.emplace_back([s, farewell, deadlineMs] { s->closeAllAndStop(farewell, deadlineMs); });
    }
    for (std::thread &stopper : stoppers)
        stopper.join();
    // Nothing passes any more: what waited for it is not kept waiting.
    m_closed = true;
    m_passWaiters.releaseAll();
}

void StreamFanOut::setMaxQueuedBytes(qint64 bytes)
{
    for (auto &shard : m_shards)
        shard->setMaxQueuedBytes(bytes);
}

quint64 StreamFanOut::passedCount() const
{
    quint64 passed = publishedCount();
    for (size_t i = 0; i < m_shards.size(); ++i)
        passed = qMin(passed, qMax(m_shards[i]->passedEvents(), m_passedWhileIdle[i].load()));
    return passed;
}

void StreamFanOut::whenPassed(quint64 events, PassWaiters::Action action)
{
    if (m_closed) {
        action();
        return;
    }
    // A pass may have finished since a shard last reported: known before the action waits.
    m_passWaiters.report(passedCount());
    m_passWaiters.waitFor(events, std::move(action));
}
