#pragma once

#include "event.h"
#include "servicetypes.h"
#include "streamcounters.h"
#include "streamrequest.h"

#include <QHash>
#include <QList>
#include <QVarLengthArray>

#include <limits>
#include <map>
#include <memory>

/// The open streams, indexed by connection, by client id and by topic: who is connected, how
/// many an event reaches, and the snapshots the panel and /api/clients show. Lives on the
/// service thread; the shards update each stream's counters.
class StreamRegistry
{
public:
    /// Adds the stream \a info opened by \a request (its format, filters and whether it polls).
    void add(const StreamInfo &info, const StreamRequest &request, std::shared_ptr<StreamCounters> counters);
    /// Adds a live stream of \a format without filters.
    void add(const StreamInfo &info, StreamFormat format, std::shared_ptr<StreamCounters> counters)
    {
        StreamRequest request;
        request.format = format;
        add(info, request, std::move(counters));
    }
    /// Forgets a stream; its bytes still count in bytesSent().
    void remove(quint64 connection);

    bool contains(quint64 connection) const { return m_streams.count(connection) > 0; }
    /// The client id of a stream, or an empty string when there is no such stream.
    QString clientIdOf(quint64 connection) const;
    /// Every open stream of the client \a clientId.
    QList<quint64> connectionsOf(const QString &clientId) const;

    /// How many open streams take \a event live (a poll takes none).
    int recipientsOf(const Event &event) const;
    int streamCount() const { return int(m_streams.size()); }
    int clientCount() const { return int(m_connectionsByClient.size()); }
    /// Whether any open stream asked for \a format, so that events need its encoding.
    bool isInUse(StreamFormat format) const { return m_streamsPerFormat[int(format)] > 0; }

    /// The open streams with their current figures, in connection order: \a limit of them from
    /// the one at \a offset in that order (every one by default).
    QList<StreamInfo> snapshot(qsizetype offset = 0, qsizetype limit = std::numeric_limits<qsizetype>::max()) const;
    /// Bytes written to every stream since start, the ended ones included.
    quint64 bytesSent() const;

private:
    struct Entry
    {
        StreamInfo info;
        StreamFormat format = StreamFormat::Plain;
        std::shared_ptr<StreamCounters> counters;
        std::shared_ptr<const MessageFilter> filter;
        bool live = true; ///< it takes live events
    };
    /// Adds \a change (1 or -1) for \a entry to the counts recipientsOf() reads.
    void count(const Entry &entry, int change);

    std::map<quint64, Entry> m_streams; ///< in connection order, so that a page of them is cheap
    /// A client's streams: nearly always one, kept without an allocation of its own.
    QHash<QString, QVarLengthArray<quint64, 1>> m_connectionsByClient;
    QHash<QString, int> m_subscribersByTopic; ///< live streams without filters
    QHash<QString, QList<quint64>> m_filteredByTopic; ///< live streams with ntfy's filters
    int m_unfilteredStreams = 0; ///< live streams of Herald's formats without a topic
    int m_broadcastReaders = 0; ///< live streams of Herald's formats
    int m_streamsPerFormat[StreamFormatCount] = {};
    quint64 m_bytesSentByEndedStreams = 0;
};
