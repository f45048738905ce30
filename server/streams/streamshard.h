#pragma once

#include "event.h"
#include "eventhistory.h"
#include "loopmailbox.h"
#include "messagefilter.h"
#include "socketpoller.h"
#include "streamcounters.h"
#include "tlssession.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <atomic>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

/// Bytes a stream sends before the shared events: the response head, a replay, a farewell.
struct StreamChunk
{
    QByteArray bytes;
    quint64 eventId = 0; ///< non-zero when the chunk is an event, so it counts as one when sent
    /// Counts against the stream's buffer (--client-buffer) until sent. A catch-up read from
    /// history does not: it is taken as the socket drains, and only what piles up live counts.
    bool counted = true;
};

/// The retained events a new stream catches up on before its live ones: the ids after
/// \a afterId, up to \a throughId (the newest committed before the stream joined), read from
/// \a history piece by piece as the socket drains. So a catch-up of any size is never held
/// whole, and a reader that takes it slowly still gets all of it, then its live events.
struct StreamCatchUp
{
    const EventHistory *history = nullptr; ///< null: nothing to catch up on; outlives the shard's streams
    quint64 afterId = 0;
    quint64 throughId = 0;
};

/// Everything a shard needs to take over a stream whose request has been answered.
struct StreamSubscription
{
    quint64 connection = 0;
    int fd = -1; ///< the shard owns and closes it
    std::shared_ptr<TlsSession> tls; ///< on the HTTPS port: the connection's TLS, which the shard writes through
    QString clientId;
    QStringList topics;
    StreamFormat format = StreamFormat::Plain;
    std::shared_ptr<const MessageFilter> filter; ///< ntfy's filters, or null
    /// Sends its preamble and catch-up, then ends: it takes no live event (ntfy's poll=1).
    bool endAfterCatchUp = false;
    QList<StreamChunk> preamble;
    StreamCatchUp catchUp; ///< encoded for \a format before the shard is handed the stream
    std::shared_ptr<StreamCounters> counters;
};

/// Why a stream ended.
enum class StreamEnd {
    PeerClosed, ///< the browser went away
    WriteFailed, ///< the connection broke
    TooSlow, ///< its unsent bytes passed the per-stream cap
    Closed, ///< Herald closed it (a disconnect or a shutdown) after a farewell event
};

/// One loop (a SocketPoller) on its own thread that owns a set of event-stream sockets.
///
/// Events are shared, never copied per stream. A broadcast (no topic, no target) is for every
/// stream: each stream keeps a cursor into the shard's list of broadcasts. Any other event goes
/// only to the streams that may see it, found through the shard's indexes by topic and by client
/// id, and is queued on each of them by number; so it costs in proportion to its recipients, not
/// to the streams the shard holds. Everything a stream has pending, from both, leaves in order
/// in one gathered send (SocketCalls::sendPieces()).
///
/// Events are offered in passes over the streams, in connection order: a pass visits every
/// stream when a broadcast is pending and only the streams with something queued otherwise.
/// A pass takes in events published while it runs, so the streams it has yet to reach get them
/// in the same write, and the next pass starts at once for the streams it had already passed:
/// an event waits at most one pass, and counts as passed as soon as the next pass has reached
/// where it came in.
/// A stream is watched for writability only after the kernel refused bytes (WouldBlock), so a
/// slow reader costs nothing until it catches up, and never holds up the others.
/// An event's encoding may be empty for a format (a broadcast for ntfy's streams, which see only
/// their topics): such a stream moves past it without a byte or a delivery. ntfy's streams get a
/// keepalive of their own, naming their topics, with each heartbeat.
/// Every public function is thread-safe; work is handed over in order through one queue.
class StreamShard
{
public:
    using StreamEndedCallback = std::function<void(quint64 connection, StreamEnd reason)>;

    StreamShard(qint64 maxQueuedBytes, std::atomic<quint64> *deliveredTotal, StreamEndedCallback streamEnded);
    ~StreamShard();

    StreamShard(const StreamShard &) = delete;
    StreamShard &operator=(const StreamShard &) = delete;

    bool start(QString *errorMessage);

    /// Takes over streams in order, with one wake-up for all of them.
    void addStreams(std::vector<StreamSubscription> subscriptions);
    /// Publishes \a events in order, with one wake-up for all of them.
    void publish(const std::vector<EventPointer> &events);
    /// Publishes \a events to a shard that has no stream: they wait for its next wake-up, which
    /// comes at the latest once IdleBacklog commands wait, so that they are let go in time.
    void publishWhileIdle(const std::vector<EventPointer> &events);
    static constexpr size_t IdleBacklog = 64;
    /// Sends what the stream has queued, then \a farewell, then closes it.
    void closeStream(quint64 connection, const QByteArray &farewell);
    /// Like closeStream() for every stream; then waits until they are gone or
    /// \a deadlineMs has passed, closes what is left and stops the thread.
    void closeAllAndStop(const QByteArray &farewell, int deadlineMs);

    void setMaxQueuedBytes(qint64 bytes) { m_maxQueuedBytes.store(bytes); }

    /// How many published events every stream has been offered so far. Sequentially consistent,
    /// so that of two shards that pass the same event, the later sees the other's pass.
    quint64 passedEvents() const { return m_passedEvents.load(); }
    /// Called on the shard's thread whenever passedEvents() grows; set before start().
    void setEventsPassedCallback(std::function<void()> callback) { m_eventsPassed = std::move(callback); }

    /// How many streams the shard visited in passes so far (for tests of what an event costs).
    quint64 streamsVisited() const { return m_streamsVisited.load(std::memory_order_relaxed); }

private:
    struct Stream;
    struct Command
    {
        enum Kind { Publish, Add, Close, CloseAll } kind;
        EventPointer event;
        std::unique_ptr<StreamSubscription> subscription;
        quint64 connection = 0;
        QByteArray farewell;
    };
    static std::vector<Command> publishCommands(const std::vector<EventPointer> &events);
    /// Streams by topic.
    using StreamSet = std::unordered_set<Stream *>;
    /// A client's streams: nearly always one, kept without an allocation of its own.
    using ClientStreams = QVarLengthArray<Stream *, 1>;

    void run();
    void applyCommands(std::vector<Command> commands);
    void addStream(StreamSubscription &subscription, std::vector<quint64> *added);
    void takeEvent(EventPointer event);
    /// Puts a keepalive of \a timeMs, naming its topics, ahead of what each ntfy stream has queued.
    void addKeepalives(qint64 timeMs);
    void queueFor(Stream &stream, quint64 sequence);
    void offerPass();
    void notePublished();
    void settlePasses(quint64 visitedBelow);
    void handleReady(quint64 connection, quint32 readiness);
    void readAndDiscard(Stream &stream);
    /// Takes the next piece of the stream's catch-up from history into its preamble.
    void readCatchUp(Stream &stream);
    void flush(Stream &stream);
    bool writePending(Stream &stream);
    void setBlocked(Stream &stream, bool blocked);
    void publishDeliveredCount();
    void account(Stream &stream);
    void index(Stream &stream);
    void unindex(Stream &stream);
    /// Lets go of the events \a stream still has queued by number.
    void releaseQueued(Stream &stream);
    void beginClosing(Stream &stream, const QByteArray &farewell);
    void finishClosing(Stream &stream);
    void endStream(quint64 connection, StreamEnd reason);
    void trimEvents(bool visitedEveryStream);
    std::vector<quint64> connectionList() const;
    quint64 headSequence() const { return m_firstSequence + m_events.size(); }
    quint64 headBroadcast() const { return m_firstBroadcast + m_broadcasts.size(); }
    const Event &eventAt(quint64 sequence) const { return *m_events[sequence - m_firstSequence]; }
    quint64 broadcastSequence(quint64 number) const { return m_broadcasts[number - m_firstBroadcast]; }

    SocketPoller m_poller;
    LoopMailbox<Command> m_mailbox{[this] {
        m_poller.wake();
    }}; // shared with the posting threads

    // Owned by the shard's thread.
    std::thread m_thread;
    std::atomic<bool> m_running{false};
    std::atomic<qint64> m_maxQueuedBytes;
    std::atomic<quint64> *m_deliveredTotal;
    StreamEndedCallback m_streamEnded;
    std::function<void()> m_eventsPassed;
    std::atomic<quint64> m_passedEvents{0};
    std::atomic<quint64> m_streamsVisited{0};
    std::map<quint64, std::unique_ptr<Stream>> m_streams; // passes visit them in this order

    QHash<QString, StreamSet> m_streamsByTopic;
    QHash<QString, ClientStreams> m_streamsByClient;
    std::vector<Stream *> m_unfilteredStreams; ///< each knows its place in it (Stream::unfilteredSlot)
    std::set<quint64> m_queuedStreams; ///< streams with events queued by number since their last visit

    /// Events taken in by a pass (or between passes) that not every stream has been offered.
    struct PendingPass
    {
        quint64 head; ///< the events before this sequence
        quint64 boundary; ///< streams from this connection on were offered them in \a pass
        quint64 pass;
    };
    static constexpr quint64 NotInPass = std::numeric_limits<quint64>::max();
    std::deque<PendingPass> m_passes;
    quint64 m_passNumber = 0;
    quint64 m_passPosition = NotInPass; ///< the stream the running pass visits next
    bool m_passVisitsAll = false; ///< the running pass visits every stream from here on
    bool m_nextPassVisitsAll = false; ///< a broadcast came in: the next pass visits every stream

    std::deque<EventPointer> m_events; ///< every event not yet sent to all it is for
    std::deque<quint32> m_queuedCounts; ///< for each event: streams that have it queued by number
    quint64 m_firstSequence = 0;
    std::deque<quint64> m_broadcasts; ///< the sequences of the broadcasts in m_events
    quint64 m_firstBroadcast = 0;
    quint64 m_oldestBroadcastOwed = 0; ///< no stream's broadcast cursor is below this

    bool m_stopping = false;
    qint64 m_stopDeadlineMs = 0;
    quint64 m_deliveredPending = 0;
    int m_closingCount = 0;
};
