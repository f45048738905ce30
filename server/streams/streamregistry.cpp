#include "streamregistry.h"

#include <algorithm>
#include <iterator>

void StreamRegistry::add(const StreamInfo &info, StreamFormat format, std::shared_ptr<StreamCounters> counters)
{
    m_streams.insert_or_assign(info.connection, Entry{info, format, std::move(counters)});
    m_connectionsByClient[info.clientId].append(info.connection);
    ++m_streamsPerFormat[int(format)];
    if (info.topics.isEmpty())
        ++m_unfilteredStreams;
    for (const QString &topic : info.topics)
        ++m_subscribersByTopic[topic];
}

void StreamRegistry::remove(quint64 connection)
{
    const auto it = m_streams.find(connection);
    if (it == m_streams.end())
        return;
    const Entry entry = std::move(it->second);
    m_streams.erase(it);
    m_bytesSentByEndedStreams += entry.counters->bytesSent.load(std::memory_order_relaxed);
    const auto client = m_connectionsByClient.find(entry.info.clientId);
    if (client != m_connectionsByClient.end()) {
        client->erase(std::find(client->begin(), client->end(), connection));
        if (client->isEmpty())
            m_connectionsByClient.erase(client);
    }
    --m_streamsPerFormat[int(entry.format)];
    if (entry.info.topics.isEmpty())
        --m_unfilteredStreams;
    for (const QString &topic : entry.info.topics) {
        if (--m_subscribersByTopic[topic] == 0)
            m_subscribersByTopic.remove(topic);
    }
}

QList<quint64> StreamRegistry::connectionsOf(const QString &clientId) const
{
    const auto client = m_connectionsByClient.constFind(clientId);
    return client == m_connectionsByClient.cend() ? QList<quint64>() : QList<quint64>(client->cbegin(), client->cend());
}

QString StreamRegistry::clientIdOf(quint64 connection) const
{
    const auto it = m_streams.find(connection);
    return it == m_streams.end() ? QString() : it->second.info.clientId;
}

int StreamRegistry::recipientsOf(const Event &event) const
{
    if (!event.target.isEmpty()) {
        int count = 0;
        const auto client = m_connectionsByClient.constFind(event.target);
        if (client == m_connectionsByClient.cend())
            return 0;
        for (const quint64 connection : *client) {
            const auto stream = m_streams.find(connection);
            if (stream != m_streams.end()
                && event.isVisibleTo(stream->second.info.clientId, stream->second.info.topics))
                ++count;
        }
        return count;
    }
    if (event.topic.isEmpty())
        return int(m_streams.size());
    return m_unfilteredStreams + m_subscribersByTopic.value(event.topic);
}

QList<StreamInfo> StreamRegistry::snapshot(qsizetype offset, qsizetype limit) const
{
    QList<StreamInfo> list;
    if (offset >= qsizetype(m_streams.size()) || limit <= 0)
        return list;
    list.reserve(qMin(limit, qsizetype(m_streams.size()) - offset));
    auto it = m_streams.cbegin();
    std::advance(it, offset);
    for (; it != m_streams.cend() && list.size() < limit; ++it) {
        const Entry &entry = it->second;
        StreamInfo info = entry.info;
        info.eventsSent = entry.counters->eventsSent.load(std::memory_order_relaxed);
        info.bytesSent = entry.counters->bytesSent.load(std::memory_order_relaxed);
        info.queuedBytes = entry.counters->queuedBytes.load(std::memory_order_relaxed);
        info.lastEventId = entry.counters->lastEventId.load(std::memory_order_relaxed);
        list.append(info);
    }
    return list;
}

quint64 StreamRegistry::bytesSent() const
{
    quint64 total = m_bytesSentByEndedStreams;
    for (const auto &[connection, entry] : m_streams)
        total += entry.counters->bytesSent.load(std::memory_order_relaxed);
    return total;
}
