#include "clientregistry.h"

#include <algorithm>

void ClientRegistry::add(const StreamInfo &info, StreamFormat format, std::shared_ptr<StreamCounters> counters)
{
    m_streams.insert(info.connection, Entry{info, format, std::move(counters)});
    m_connectionsByClient.insert(info.clientId, info.connection);
    ++m_streamsPerClient[info.clientId];
    ++m_streamsPerFormat[int(format)];
    if (info.topics.isEmpty())
        ++m_unfilteredStreams;
    for (const QString &topic : info.topics)
        ++m_subscribersByTopic[topic];
}

void ClientRegistry::remove(quint64 connection)
{
    const auto it = m_streams.constFind(connection);
    if (it == m_streams.cend())
        return;
    const Entry entry = *it;
    m_streams.erase(it);
    m_bytesSentByEndedStreams += entry.counters->bytesSent.load(std::memory_order_relaxed);
    m_connectionsByClient.remove(entry.info.clientId, connection);
    if (--m_streamsPerClient[entry.info.clientId] == 0)
        m_streamsPerClient.remove(entry.info.clientId);
    --m_streamsPerFormat[int(entry.format)];
    if (entry.info.topics.isEmpty())
        --m_unfilteredStreams;
    for (const QString &topic : entry.info.topics) {
        if (--m_subscribersByTopic[topic] == 0)
            m_subscribersByTopic.remove(topic);
    }
}

QString ClientRegistry::clientIdOf(quint64 connection) const
{
    const auto it = m_streams.constFind(connection);
    return it == m_streams.cend() ? QString() : it->info.clientId;
}

int ClientRegistry::recipientsOf(const Event &event) const
{
    if (!event.target.isEmpty()) {
        int count = 0;
        for (auto it = m_connectionsByClient.constFind(event.target);
             it != m_connectionsByClient.cend() && it.key() == event.target; ++it) {
            const auto stream = m_streams.constFind(it.value());
            if (stream != m_streams.cend() && event.isVisibleTo(stream->info.clientId, stream->info.topics))
                ++count;
        }
        return count;
    }
    if (event.topic.isEmpty())
        return int(m_streams.size());
    return m_unfilteredStreams + m_subscribersByTopic.value(event.topic);
}

QList<StreamInfo> ClientRegistry::snapshot() const
{
    QList<StreamInfo> list;
    list.reserve(m_streams.size());
    for (const Entry &entry : m_streams) {
        StreamInfo info = entry.info;
        info.eventsSent = entry.counters->eventsSent.load(std::memory_order_relaxed);
        info.bytesSent = entry.counters->bytesSent.load(std::memory_order_relaxed);
        info.queuedBytes = entry.counters->queuedBytes.load(std::memory_order_relaxed);
        info.lastEventId = entry.counters->lastEventId.load(std::memory_order_relaxed);
        list.append(info);
    }
    std::sort(list.begin(), list.end(),
              [](const StreamInfo &a, const StreamInfo &b) { return a.connection < b.connection; });
    return list;
}

quint64 ClientRegistry::bytesSent() const
{
    quint64 total = m_bytesSentByEndedStreams;
    for (const Entry &entry : m_streams)
        total += entry.counters->bytesSent.load(std::memory_order_relaxed);
    return total;
}
