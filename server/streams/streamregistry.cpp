#include "streamregistry.h"

#include <algorithm>
#include <iterator>

void StreamRegistry::add(const StreamInfo &info, const StreamRequest &request, std::shared_ptr<StreamCounters> counters)
{
    const Entry &entry
        = m_streams
              .insert_or_assign(info.connection,
                                Entry{info, request.format, std::move(counters), request.filter, !request.poll})
              .first->second;
    m_connectionsByClient[info.clientId].append(info.connection);
    ++m_streamsPerFormat[int(entry.format)];
    count(entry, +1);
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
    count(entry, -1);
}

void StreamRegistry::count(const Entry &entry, int change)
{
    // Only the streams that take live events count as an event's recipients.
    if (!entry.live)
        return;
    if (!isNtfyFormat(entry.format)) {
        m_broadcastReaders += change;
        if (entry.info.topics.isEmpty())
            m_unfilteredStreams += change;
    }
    for (const QString &topic : entry.info.topics) {
        if (entry.filter) {
            QList<quint64> &filtered = m_filteredByTopic[topic];
            if (change > 0)
                filtered.append(entry.info.connection);
            else
                filtered.removeOne(entry.info.connection);
            if (filtered.isEmpty())
                m_filteredByTopic.remove(topic);
        } else if ((m_subscribersByTopic[topic] += change) == 0) {
            m_subscribersByTopic.remove(topic);
        }
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
    const auto sees = [&event](const Entry &entry) {
        return entry.live
            && streamSees(event, entry.info.clientId, entry.info.topics, entry.format, entry.filter.get());
    };
    if (!event.target.isEmpty()) {
        int count = 0;
        const auto client = m_connectionsByClient.constFind(event.target);
        if (client == m_connectionsByClient.cend())
            return 0;
        for (const quint64 connection : *client) {
            const auto stream = m_streams.find(connection);
            if (stream != m_streams.end() && sees(stream->second))
                ++count;
        }
        return count;
    }
    if (event.topic.isEmpty())
        return m_broadcastReaders;
    int count = m_unfilteredStreams + m_subscribersByTopic.value(event.topic);
    for (const quint64 connection : m_filteredByTopic.value(event.topic)) {
        const auto stream = m_streams.find(connection);
        if (stream != m_streams.end() && sees(stream->second))
            ++count;
    }
    return count;
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
