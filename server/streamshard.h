#pragma once

#include "event.h"
#include "loopmailbox.h"
#include "streamcounters.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <thread>
#include <map>
#include <vector>

/// Bytes a stream sends before the shared events: the response head, a replay, a farewell.
struct StreamChunk
{
    QByteArray bytes;
    quint64 eventId = 0; ///< non-zero when the chunk is an event, so it counts as one when sent
};

/// Everything a shard needs to take over a stream whose request has been answered.
struct StreamSubscription
{
    quint64 connection = 0;
    int fd = -1; ///< the shard owns and closes it
    QString clientId;
    QStringList topics;
    StreamFormat format = StreamFormat::Plain;
    QList<StreamChunk> preamble;
    std::shared_ptr<StreamCounters> counters;
};

/// Why a stream ended.
enum class StreamEnd {
    PeerClosed, ///< the browser went away
    WriteFailed, ///< the connection broke
    TooSlow, ///< its unsent bytes passed the per-stream cap
    Closed, ///< Herald closed it (a disconnect or a shutdown) after a farewell event
};

/// One epoll loop on its own thread that owns a set of event-stream sockets.
///
/// Events are shared, never copied per client: each stream keeps a cursor into the shard's
/// list of pending events, and everything a stream has pending leaves in one writev().
/// Events are offered in passes over every stream, in connection order. A pass takes in events
/// published while it runs, so the streams it has yet to reach get them in the same write, and
/// the next pass starts at once for the streams it had already passed: an event waits at most
/// one pass, and counts as passed as soon as the next pass has reached where it came in.
/// A stream is watched for writability only after the kernel refused bytes (EAGAIN), so a
/// slow reader costs nothing until it catches up, and never holds up the others.
/// Every public function is thread-safe; work is handed over in order through one queue.
class StreamShard
{
public:
    using StreamEndedCallback = std::function<void(quint64 connection, StreamEnd reason)>;

    StreamShard(qint64 maxQueuedBytes, std::atomic<quint64> *deliveredTotal,
                StreamEndedCallback streamEnded);
    ~StreamShard();

    StreamShard(const StreamShard &) = delete;
    StreamShard &operator=(const StreamShard &) = delete;

    bool start(QString *errorMessage);

    /// Takes over streams in order, with one wake-up for all of them.
    void addStreams(std::vector<StreamSubscription> subscriptions);
    void publish(EventPointer event);
    /// Sends what the stream has queued, then \a farewell, then closes it.
    void closeStream(quint64 connection, const QByteArray &farewell);
    /// Like closeStream() for every stream; then waits until they are gone or
    /// \a deadlineMs has passed, closes what is left and stops the thread.
    void closeAllAndStop(const QByteArray &farewell, int deadlineMs);

    void setMaxQueuedBytes(qint64 bytes) { m_maxQueuedBytes.store(bytes); }

    /// How many published events every stream has been offered so far.
    quint64 passedEvents() const { return m_passedEvents.load(std::memory_order_acquire); }
    /// Called on the shard's thread whenever passedEvents() grows; set before start().
    void setEventsPassedCallback(std::function<void()> callback) { m_eventsPassed = std::move(callback); }

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

    void run();
    void applyCommands(std::vector<Command> commands);
    void offerPass();
    void notePublished();
    void settlePasses(quint64 visitedBelow);
    void handleReady(quint64 connection, uint32_t events);
    void readAndDiscard(Stream &stream);
    void flush(Stream &stream);
    bool writePending(Stream &stream);
    void setBlocked(Stream &stream, bool blocked);
    void publishDeliveredCount();
    void account(Stream &stream);
    void beginClosing(Stream &stream, const QByteArray &farewell);
    void finishClosing(Stream &stream);
    void endStream(quint64 connection, StreamEnd reason);
    void trimEvents();
    std::vector<quint64> connectionList() const;
    quint64 headSequence() const { return m_firstSequence + m_events.size(); }
    const Event &eventAt(quint64 sequence) const { return *m_events[sequence - m_firstSequence]; }

    LoopMailbox<Command> m_mailbox; // shared with the posting threads

    // Owned by the shard's thread.
    int m_epollFd = -1;
    std::thread m_thread;
    std::atomic<bool> m_running{false};
    std::atomic<qint64> m_maxQueuedBytes;
    std::atomic<quint64> *m_deliveredTotal;
    StreamEndedCallback m_streamEnded;
    std::function<void()> m_eventsPassed;
    std::atomic<quint64> m_passedEvents{0};
    std::map<quint64, std::unique_ptr<Stream>> m_streams; // passes visit them in this order

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
    std::deque<EventPointer> m_events;
    quint64 m_firstSequence = 0;
    bool m_stopping = false;
    qint64 m_stopDeadlineMs = 0;
    quint64 m_deliveredPending = 0;
    int m_closingCount = 0;
};
