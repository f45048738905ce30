#include "streamshard.h"

#include "heraldnotices.h"
#include "logging.h"
#include "namedthread.h"
#include "ntfymessage.h"
#include "socketcalls.h"

#include <QElapsedTimer>

#include <climits>
#include <cstring>

namespace {

constexpr int MaxPiecesPerWrite = SocketCalls::MaxPieces;
constexpr qsizetype MaxBytesPerWrite = 512 * 1024;
constexpr int ClosingGraceMs = 5000;
// How many streams a pass serves between looks at the mailbox for newly published events.
constexpr size_t CommandCheckInterval = 64;
// A stream's queue of event numbers gives its memory back once drained, past this many.
constexpr size_t KeptQueueCapacity = 16;
constexpr quint64 NoEvent = std::numeric_limits<quint64>::max();
// Text taken from history at once for a stream catching up: about one write's worth.
constexpr qint64 CatchUpPieceBytes = MaxBytesPerWrite;

qint64 monotonicMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.elapsed();
}

bool isBroadcast(const Event &event)
{
    return event.topic.isEmpty() && event.target.isEmpty();
}

} // namespace

struct StreamShard::Stream
{
    quint64 connection = 0;
    int fd = -1;
    /// On the HTTPS port: what is read goes through it, and what is written unless the kernel
    /// encrypts (kernel TLS), when the shard's own gathered send is all it takes.
    std::shared_ptr<TlsSession> tls;
    bool encryptsInUserSpace() const { return tls && !kernelTls; }
    bool kernelTls = false;
    QString clientId;
    QStringList topics;
    StreamFormat format = StreamFormat::Plain;
    std::shared_ptr<const MessageFilter> filter; ///< ntfy's filters, or null
    std::shared_ptr<StreamCounters> counters;

    QList<StreamChunk> preamble; ///< sent before the shared events
    qsizetype preambleOffset = 0; ///< bytes of preamble.first() already sent
    StreamCatchUp catchUp; ///< what is left to read from history before the shared events
    quint64 broadcastCursor = 0; ///< the number of the next broadcast it is owed
    std::vector<quint64> queued; ///< the sequences of the other events it is owed, in order
    size_t queuedHead = 0; ///< queued[queuedHead] is the next of them
    qsizetype eventOffset = 0; ///< bytes already sent of the first event it is owed
    quint64 accountedBroadcasts = 0; ///< broadcasts before this number are counted in queuedBytes
    quint64 queuedBytes = 0;
    bool blocked = false; ///< the kernel refused bytes; wait for room to write
    bool watchingWritable = false;
    bool closing = false;
    qint64 closingDeadlineMs = 0;
    size_t unfilteredSlot = NoSlot; ///< where it is in m_unfilteredStreams, when it has no topic filter

    static constexpr size_t NoSlot = std::numeric_limits<size_t>::max();

    const QByteArray &bytesOf(const Event &event) const { return event.encodedFor(format); }
    /// Herald's routing rule for its format, and its filters.
    bool sees(const Event &event) const { return streamSees(event, clientId, topics, format, filter.get()); }
    bool isCatchingUp() const { return catchUp.history != nullptr; }
    quint64 nextQueued() const { return queuedHead < queued.size() ? queued[queuedHead] : NoEvent; }
};

StreamShard::StreamShard(qint64 maxQueuedBytes, std::atomic<quint64> *deliveredTotal, StreamEndedCallback streamEnded)
    : m_maxQueuedBytes(maxQueuedBytes)
    , m_deliveredTotal(deliveredTotal)
    , m_streamEnded(std::move(streamEnded))
{}

StreamShard::~StreamShard()
{
    if (m_thread.joinable())
        closeAllAndStop(QByteArray(), 0);
    for (auto &[connection, stream] : m_streams)
        SocketCalls::closeSocket(stream->fd);
}

bool StreamShard::start(QString *errorMessage)
{
    if (!m_poller.open(errorMessage))
        return false;
    m_running = true;
    m_thread = startNamedThread("Herald streams", [this] {
        run();
        TlsSession::endThread();
    });
    return true;
}

void StreamShard::addStreams(std::vector<StreamSubscription> subscriptions)
{
    std::vector<Command> commands;
    commands.reserve(subscriptions.size());
    for (StreamSubscription &subscription : subscriptions)
        commands.push_back(
            Command{Command::Add, {}, std::make_unique<StreamSubscription>(std::move(subscription)), 0, {}});
    m_mailbox.post(std::move(commands));
}

void StreamShard::publish(const std::vector<EventPointer> &events)
{
    m_mailbox.post(publishCommands(events));
}

void StreamShard::publishWhileIdle(const std::vector<EventPointer> &events)
{
    m_mailbox.post(publishCommands(events), IdleBacklog);
}

std::vector<StreamShard::Command> StreamShard::publishCommands(const std::vector<EventPointer> &events)
{
    std::vector<Command> commands;
    commands.reserve(events.size());
    for (const EventPointer &event : events)
        commands.push_back(Command{Command::Publish, event, {}, 0, {}});
    return commands;
}

void StreamShard::closeStream(quint64 connection, const QByteArray &farewell)
{
    m_mailbox.post(Command{Command::Close, {}, {}, connection, farewell});
}

void StreamShard::closeAllAndStop(const QByteArray &farewell, int deadlineMs)
{
    if (!m_thread.joinable())
        return;
    m_mailbox.post(Command{Command::CloseAll, {}, {}, quint64(qMax(0, deadlineMs)), farewell});
    m_thread.join();
}

void StreamShard::run()
{
    std::vector<SocketPoller::Ready> ready;
    qint64 lastDeadlineCheckMs = 0;
    while (m_running) {
        // While some event has not been offered to every stream, look at the sockets without
        // waiting and go on with the next pass.
        const bool passPending = !m_passes.empty();
        const int timeoutMs = passPending ? 0 : m_stopping ? 20 : (m_closingCount > 0 ? 250 : -1);
        if (!m_poller.wait(ready, timeoutMs)) {
            qCCritical(lcStreams, "waiting for the streams' sockets failed: %ls",
                       qUtf16Printable(m_poller.lastError()));
            break;
        }
        for (const SocketPoller::Ready &socket : ready) {
            if (socket.key == SocketPoller::Woken)
                applyCommands(m_mailbox.take());
            else
                handleReady(socket.key, socket.readiness);
        }
        if (!m_passes.empty())
            offerPass();

        // Streams being closed get a grace period to take their farewell, then they go.
        const qint64 now = monotonicMs();
        if (m_closingCount > 0 && (m_stopping || now - lastDeadlineCheckMs >= 200)) {
            lastDeadlineCheckMs = now;
            const bool pastStopDeadline = m_stopping && now >= m_stopDeadlineMs;
            std::vector<quint64> overdue;
            for (const auto &[connection, stream] : m_streams) {
                if (stream->closing && (pastStopDeadline || now >= stream->closingDeadlineMs))
                    overdue.push_back(connection);
            }
            for (quint64 connection : overdue)
                endStream(connection, StreamEnd::Closed);
        }
        if (m_stopping && m_streams.empty())
            m_running = false;
    }
}

void StreamShard::applyCommands(std::vector<Command> commands)
{
    std::vector<quint64> added;
    bool published = false;
    for (Command &command : commands) {
        switch (command.kind) {
        case Command::Publish:
            takeEvent(std::move(command.event));
            published = true;
            break;
        case Command::Add:
            addStream(*command.subscription, &added);
            break;
        case Command::Close: {
            auto it = m_streams.find(command.connection);
            if (it != m_streams.end() && !it->second->closing)
                beginClosing(*it->second, command.farewell);
            break;
        }
        case Command::CloseAll:
            m_stopping = true;
            m_stopDeadlineMs = monotonicMs() + qint64(command.connection);
            for (quint64 connection : connectionList()) {
                auto it = m_streams.find(connection);
                if (it != m_streams.end() && !it->second->closing)
                    beginClosing(*it->second, command.farewell);
            }
            break;
        }
    }

    if (published)
        notePublished();
    // New streams get their response head and replay at once.
    for (quint64 connection : added) {
        auto it = m_streams.find(connection);
        if (it != m_streams.end())
            flush(*it->second);
    }
    publishDeliveredCount();
}

void StreamShard::addStream(StreamSubscription &subscription, std::vector<quint64> *added)
{
    auto stream = std::make_unique<Stream>();
    stream->connection = subscription.connection;
    stream->fd = subscription.fd;
    stream->tls = std::move(subscription.tls);
    stream->kernelTls = stream->tls && stream->tls->isKernelTls();
    if (stream->tls) {
        qCDebug(lcStreams, "client %s: %s, encrypted %s", qPrintable(subscription.clientId),
                qPrintable(stream->tls->protocol()), stream->tls->isKernelTls() ? "by the kernel" : "in user space");
    }
    stream->clientId = std::move(subscription.clientId);
    stream->topics = std::move(subscription.topics);
    stream->format = subscription.format;
    stream->filter = std::move(subscription.filter);
    stream->counters = std::move(subscription.counters);
    stream->preamble = std::move(subscription.preamble);
    for (const StreamChunk &chunk : std::as_const(stream->preamble))
        stream->queuedBytes += chunk.counted ? chunk.bytes.size() : 0;
    if (subscription.catchUp.history && subscription.catchUp.afterId < subscription.catchUp.throughId)
        stream->catchUp = subscription.catchUp;
    // Events published before this command were replayed from history by the caller; the
    // stream picks up exactly after them, so there is no gap and no duplicate.
    stream->broadcastCursor = stream->accountedBroadcasts = headBroadcast();

    if (!m_poller.watch(stream->fd, stream->connection, SocketPoller::Input)) {
        qCWarning(lcStreams, "cannot watch stream %llu: %ls", stream->connection,
                  qUtf16Printable(m_poller.lastError()));
        SocketCalls::closeSocket(stream->fd);
        if (m_streamEnded)
            m_streamEnded(stream->connection, StreamEnd::WriteFailed);
        return;
    }
    added->push_back(stream->connection);
    if (subscription.endAfterCatchUp) {
        // Closing from the start, with no time limit: it takes no live event, so it is in no index.
        stream->closing = true;
        stream->closingDeadlineMs = std::numeric_limits<qint64>::max();
        ++m_closingCount;
    } else {
        index(*stream);
    }
    m_streams.emplace(stream->connection, std::move(stream));
}

void StreamShard::takeEvent(EventPointer event)
{
    const quint64 sequence = headSequence();
    m_events.push_back(std::move(event));
    m_queuedCounts.push_back(0);
    const Event &taken = *m_events.back();
    if (taken.isHeartbeat())
        addKeepalives(taken.publishedAtMs);
    if (isBroadcast(taken)) {
        // For everyone: the running pass visits every stream from where it is, the next one all.
        m_broadcasts.push_back(sequence);
        if (m_passPosition != NotInPass)
            m_passVisitsAll = true;
        m_nextPassVisitsAll = true;
        return;
    }
    // For some: queued on exactly the streams that may see it.
    if (!taken.target.isEmpty()) {
        const auto clients = m_streamsByClient.constFind(taken.target);
        if (clients == m_streamsByClient.cend())
            return;
        for (Stream *stream : *clients) {
            if (stream->sees(taken))
                queueFor(*stream, sequence);
        }
        return;
    }
    for (Stream *stream : m_unfilteredStreams)
        queueFor(*stream, sequence);
    const auto subscribers = m_streamsByTopic.constFind(taken.topic);
    if (subscribers != m_streamsByTopic.cend()) {
        for (Stream *stream : *subscribers) {
            if (!stream->filter || stream->filter->matches(taken))
                queueFor(*stream, sequence);
        }
    }
}

void StreamShard::addKeepalives(qint64 timeMs)
{
    // ntfy names the subscription's topics in its keepalive, so each stream gets its own. It
    // goes out ahead of what the stream has queued, which a keepalive may: it carries no message.
    for (auto &[connection, stream] : m_streams) {
        if (!isNtfyFormat(stream->format) || stream->closing)
            continue;
        const QByteArray keepalive = NtfyMessage::encode(
            stream->format, NtfyMessage::event(QStringLiteral("keepalive"), timeMs, stream->topics.join(u',')));
        stream->preamble.append({keepalive, 0});
        stream->queuedBytes += keepalive.size();
    }
}

void StreamShard::queueFor(Stream &stream, quint64 sequence)
{
    stream.queued.push_back(sequence);
    ++m_queuedCounts[sequence - m_firstSequence];
    stream.queuedBytes += stream.bytesOf(eventAt(sequence)).size();
    m_queuedStreams.insert(stream.connection);
}

void StreamShard::offerPass()
{
    // Streams are visited in connection order: every one when a broadcast is pending, else only
    // those with events queued. Events published meanwhile are taken in as the pass goes, so the
    // streams it has yet to reach send them in the same write as the rest; the next pass brings
    // them to the streams already passed, and they count as passed as soon as it has gone that
    // far, not only when it ends.
    ++m_passNumber;
    m_passVisitsAll = m_nextPassVisitsAll;
    m_nextPassVisitsAll = false;
    const bool visitsEveryStream = m_passVisitsAll;
    size_t served = 0;
    quint64 visited = 0;
    quint64 position = 0; // the next connection to visit
    auto all = m_streams.begin();
    for (;;) {
        // The next stream: from the whole list, or from those with something queued.
        Stream *stream = nullptr;
        if (m_passVisitsAll) {
            if (all != m_streams.end())
                stream = all->second.get();
        } else {
            const auto queued = m_queuedStreams.lower_bound(position);
            if (queued != m_queuedStreams.end()) {
                const auto found = m_streams.find(*queued);
                if (found == m_streams.end()) { // it ended meanwhile
                    m_queuedStreams.erase(queued);
                    continue;
                }
                stream = found->second.get();
            }
        }
        if (!stream)
            break;
        const quint64 connection = stream->connection;
        if (++served % CommandCheckInterval == 0) {
            settlePasses(connection);
            m_passPosition = connection;
            if (m_mailbox.hasPending()) {
                const bool visitedAll = m_passVisitsAll;
                applyCommands(m_mailbox.take()); // may end or add streams, or bring a broadcast
                if (m_passVisitsAll || visitedAll)
                    all = m_streams.lower_bound(connection);
                continue; // look the next stream up again
            }
        }
        if (m_passVisitsAll)
            ++all; // flush() may end this stream, and no other
        if (!m_queuedStreams.empty())
            m_queuedStreams.erase(connection);
        position = connection + 1;
        ++visited;
        flush(*stream);
    }
    m_streamsVisited.fetch_add(visited, std::memory_order_relaxed);
    m_passPosition = NotInPass;
    m_passVisitsAll = false;
    settlePasses(NotInPass);
    trimEvents(visitsEveryStream);
    publishDeliveredCount();
}

void StreamShard::notePublished()
{
    // In a pass, the streams from m_passPosition on get the new events in this pass, the ones
    // below it in the next. Outside a pass, every stream gets them in the next pass.
    const quint64 head = headSequence();
    if (!m_passes.empty() && m_passes.back().pass == m_passNumber && m_passes.back().boundary == m_passPosition)
        m_passes.back().head = head;
    else
        m_passes.push_back({head, m_passPosition, m_passNumber});
}

void StreamShard::settlePasses(quint64 visitedBelow)
{
    // Called in a pass with every stream below visitedBelow served by it.
    quint64 passed = 0;
    while (!m_passes.empty() && m_passes.front().pass < m_passNumber && m_passes.front().boundary <= visitedBelow) {
        passed = m_passes.front().head;
        m_passes.pop_front();
    }
    if (passed == 0)
        return;
    // Every stream has now been offered these events: written, or queued for a slow reader.
    m_passedEvents.store(passed);
    if (m_eventsPassed)
        m_eventsPassed();
}

void StreamShard::publishDeliveredCount()
{
    if (m_deliveredPending) {
        m_deliveredTotal->fetch_add(m_deliveredPending, std::memory_order_relaxed);
        m_deliveredPending = 0;
    }
}

void StreamShard::handleReady(quint64 connection, quint32 readiness)
{
    auto it = m_streams.find(connection);
    if (it == m_streams.end())
        return;
    Stream &stream = *it->second;

    if (readiness & SocketPoller::Broken) {
        endStream(connection, StreamEnd::PeerClosed);
        return;
    }
    if (readiness & SocketPoller::Readable) {
        readAndDiscard(stream);
        if (!m_streams.count(connection))
            return;
    }
    if (readiness & SocketPoller::Writable) {
        stream.blocked = false;
        flush(stream);
        auto again = m_streams.find(connection);
        if (again != m_streams.end() && !again->second->blocked)
            setBlocked(*again->second, false);
        publishDeliveredCount();
    }
}

void StreamShard::readAndDiscard(Stream &stream)
{
    // A browser sends nothing on an event stream; whatever arrives is ignored, and the
    // end of input means the peer went away.
    char buffer[4096];
    for (;;) {
        const SocketCalls::Count received = stream.tls ? stream.tls->read(buffer, sizeof buffer)
                                                       : SocketCalls::receive(stream.fd, buffer, sizeof buffer);
        if (received > 0)
            continue;
        const SocketCalls::Failure failure = received < 0 ? SocketCalls::lastFailure() : SocketCalls::Failure::None;
        if (failure == SocketCalls::Failure::Interrupted)
            continue;
        if (failure == SocketCalls::Failure::WouldBlock)
            return;
        endStream(stream.connection, StreamEnd::PeerClosed);
        return;
    }
}

void StreamShard::readCatchUp(Stream &stream)
{
    StreamCatchUp &catchUp = stream.catchUp;
    const CatchUpPiece piece = catchUp.history->catchUpAfter(
        catchUp.afterId, catchUp.throughId, [&stream](const Event &event) { return stream.sees(event); },
        CatchUpPieceBytes);
    if (piece.gap && !isNtfyFormat(stream.format)) {
        // History let go of events this stream had yet to read, while it read slowly.
        stream.preamble.append({HeraldNotice::gap(catchUp.afterId, piece.oldestRetainedId, piece.lastId), 0, false});
    }
    for (const EventPointer &event : piece.events) {
        if (!stream.bytesOf(*event).isEmpty())
            stream.preamble.append({stream.bytesOf(*event), event->id, false});
    }
    catchUp.afterId = piece.coveredThrough;
    if (catchUp.afterId >= catchUp.throughId)
        catchUp = StreamCatchUp(); // caught up: the shared events come next
}

void StreamShard::account(Stream &stream)
{
    // Events queued by number were counted as they came; broadcasts are counted here.
    const quint64 head = headBroadcast();
    if (stream.closing) {
        stream.accountedBroadcasts = head;
        return;
    }
    for (quint64 number = stream.accountedBroadcasts; number < head; ++number)
        stream.queuedBytes += stream.bytesOf(eventAt(broadcastSequence(number))).size();
    stream.accountedBroadcasts = head;
}

void StreamShard::flush(Stream &stream)
{
    account(stream);
    if (!stream.closing && stream.queuedBytes > quint64(m_maxQueuedBytes.load(std::memory_order_relaxed))) {
        qCWarning(lcStreams, "dropped client %s: %llu unsent bytes is over the limit", qPrintable(stream.clientId),
                  stream.queuedBytes);
        endStream(stream.connection, StreamEnd::TooSlow);
        return;
    }
    if (!stream.blocked && !writePending(stream))
        return; // the stream has ended
    stream.counters->queuedBytes.store(stream.queuedBytes, std::memory_order_relaxed);
    if (stream.closing && stream.preamble.isEmpty() && !stream.isCatchingUp() && !stream.blocked)
        finishClosing(stream);
}

bool StreamShard::writePending(Stream &stream)
{
    struct Piece
    {
        const StreamChunk *chunk; // null for a shared event
        quint64 sequence;
        bool broadcast;
        qsizetype length;
    };
    SocketCalls::Piece vectors[MaxPiecesPerWrite];
    Piece pieces[MaxPiecesPerWrite];

    for (;;) {
        // Gather the preamble, then the shared events this stream is owed, in order: its
        // broadcasts and its queued events merged by sequence. A closing stream took what it
        // was owed into its preamble; nothing newer is for it. A stream catching up sends the
        // shared events only once it has read all of its catch-up from history.
        while (stream.preamble.isEmpty() && stream.isCatchingUp())
            readCatchUp(stream);
        int count = 0;
        qsizetype total = 0;
        qsizetype offset = stream.preambleOffset;
        for (const StreamChunk &chunk : std::as_const(stream.preamble)) {
            if (count == MaxPiecesPerWrite || total >= MaxBytesPerWrite)
                break;
            const qsizetype length = chunk.bytes.size() - offset;
            vectors[count] = {chunk.bytes.constData() + offset, size_t(length)};
            pieces[count++] = {&chunk, 0, false, length};
            total += length;
            offset = 0;
        }
        const quint64 broadcastEnd = stream.closing ? stream.broadcastCursor : headBroadcast();
        quint64 broadcast = stream.broadcastCursor;
        size_t queued = stream.queuedHead;
        offset = stream.eventOffset;
        while (!stream.isCatchingUp() && count < MaxPiecesPerWrite && total < MaxBytesPerWrite) {
            const quint64 nextBroadcast = broadcast < broadcastEnd ? broadcastSequence(broadcast) : NoEvent;
            const quint64 nextQueued
                = !stream.closing && queued < stream.queued.size() ? stream.queued[queued] : NoEvent;
            if (nextBroadcast == NoEvent && nextQueued == NoEvent)
                break;
            const bool isBroadcastPiece = nextBroadcast < nextQueued;
            const quint64 sequence = isBroadcastPiece ? nextBroadcast : nextQueued;
            if (isBroadcastPiece)
                ++broadcast;
            else
                ++queued;
            const QByteArray &bytes = stream.bytesOf(eventAt(sequence));
            const qsizetype length = bytes.size() - offset;
            vectors[count] = {bytes.constData() + offset, size_t(length)};
            pieces[count++] = {nullptr, sequence, isBroadcastPiece, length};
            total += length;
            offset = 0;
        }
        if (count == 0)
            return true;

        // Pieces that are all empty (events not for this stream's format) are passed without a
        // write. Through TLS, as many pieces as fit go in one record.
        const SocketCalls::Count result = total == 0 ? 0
            : stream.encryptsInUserSpace()           ? stream.tls->write(vectors, count)
                                                     : SocketCalls::sendPieces(stream.fd, vectors, count);
        if (result < 0) {
            const SocketCalls::Failure failure = SocketCalls::lastFailure();
            if (failure == SocketCalls::Failure::Interrupted)
                continue;
            if (failure == SocketCalls::Failure::WouldBlock) {
                setBlocked(stream, true);
                return true;
            }
            endStream(stream.connection, StreamEnd::WriteFailed);
            return false;
        }

        // Move past what the kernel took.
        const bool allWritten = result == total;
        qsizetype written = result;
        stream.counters->bytesSent.fetch_add(quint64(result), std::memory_order_relaxed);
        quint64 eventsDone = 0;
        quint64 lastEventId = 0;
        for (int i = 0; i < count && (written > 0 || pieces[i].length == 0); ++i) {
            const Piece &piece = pieces[i];
            const bool complete = written >= piece.length;
            const qsizetype taken = complete ? piece.length : written;
            written -= taken;
            if (!piece.chunk || piece.chunk->counted)
                stream.queuedBytes -= quint64(taken);
            quint64 eventId;
            if (piece.chunk) {
                eventId = piece.chunk->eventId;
                if (complete) {
                    stream.preamble.removeFirst();
                    stream.preambleOffset = 0;
                } else {
                    stream.preambleOffset += taken;
                }
            } else {
                eventId = eventAt(piece.sequence).id;
                if (complete) {
                    if (piece.broadcast) {
                        ++stream.broadcastCursor;
                    } else {
                        --m_queuedCounts[piece.sequence - m_firstSequence];
                        ++stream.queuedHead;
                    }
                    stream.eventOffset = 0;
                } else {
                    stream.eventOffset += taken;
                }
            }
            if (complete && eventId != 0 && piece.length > 0) {
                ++eventsDone;
                lastEventId = eventId;
            }
            if (!complete)
                break; // what follows waits for it
        }
        if (stream.queuedHead == stream.queued.size() && stream.queuedHead > 0) {
            stream.queued.clear();
            stream.queuedHead = 0;
            if (stream.queued.capacity() > KeptQueueCapacity)
                stream.queued.shrink_to_fit();
        }
        if (eventsDone) {
            stream.counters->eventsSent.fetch_add(eventsDone, std::memory_order_relaxed);
            stream.counters->lastEventId.store(lastEventId, std::memory_order_relaxed);
            m_deliveredPending += eventsDone;
        }
        if (!allWritten && !stream.encryptsInUserSpace()) {
            setBlocked(stream, true);
            return true;
        }
        // Through TLS a write is one record: the rest goes in the next, until the socket refuses.
    }
}

void StreamShard::setBlocked(Stream &stream, bool blocked)
{
    stream.blocked = blocked;
    if (stream.watchingWritable == blocked)
        return;
    // Writability is watched only while the kernel is refusing bytes.
    stream.watchingWritable = blocked;
    m_poller.watch(stream.fd, stream.connection, SocketPoller::Input | (blocked ? SocketPoller::Output : 0u));
}

void StreamShard::index(Stream &stream)
{
    m_streamsByClient[stream.clientId].append(&stream);
    if (stream.topics.isEmpty()) {
        stream.unfilteredSlot = m_unfilteredStreams.size();
        m_unfilteredStreams.push_back(&stream);
    }
    for (const QString &topic : std::as_const(stream.topics))
        m_streamsByTopic[topic].insert(&stream);
}

void StreamShard::unindex(Stream &stream)
{
    const auto drop = [&stream](auto &byKey, const QString &key) {
        const auto it = byKey.find(key);
        if (it == byKey.end())
            return;
        if constexpr (std::is_same_v<std::decay_t<decltype(*it)>, StreamSet>)
            it->erase(&stream);
        else
            it->erase(std::find(it->begin(), it->end(), &stream));
        if (it->empty())
            byKey.erase(it);
    };
    drop(m_streamsByClient, stream.clientId);
    if (stream.unfilteredSlot != Stream::NoSlot) {
        // The last one takes its place.
        Stream *moved = m_unfilteredStreams.back();
        m_unfilteredStreams[stream.unfilteredSlot] = moved;
        moved->unfilteredSlot = stream.unfilteredSlot;
        m_unfilteredStreams.pop_back();
        stream.unfilteredSlot = Stream::NoSlot;
    }
    for (const QString &topic : std::as_const(stream.topics))
        drop(m_streamsByTopic, topic);
}

void StreamShard::releaseQueued(Stream &stream)
{
    for (size_t i = stream.queuedHead; i < stream.queued.size(); ++i)
        --m_queuedCounts[stream.queued[i] - m_firstSequence];
    stream.queued.clear();
    stream.queuedHead = 0;
}

void StreamShard::beginClosing(Stream &stream, const QByteArray &farewell)
{
    // Whatever the stream was already owed goes out first, then the farewell. Its pending
    // shared events become private chunks, so the stream no longer holds the shared lists, and
    // it leaves the indexes, so nothing newer is queued for it.
    account(stream);
    unindex(stream);
    const quint64 broadcastEnd = headBroadcast();
    quint64 broadcast = stream.broadcastCursor;
    size_t queued = stream.queuedHead;
    bool first = true;
    // A stream still catching up gets no live event: its last event id stays where its catch-up
    // stopped, so that it resumes from there without a gap.
    const bool wasCatchingUp = stream.isCatchingUp();
    stream.catchUp = StreamCatchUp();
    while (!wasCatchingUp) {
        const quint64 nextBroadcast = broadcast < broadcastEnd ? broadcastSequence(broadcast) : NoEvent;
        const quint64 nextQueued = queued < stream.queued.size() ? stream.queued[queued] : NoEvent;
        if (nextBroadcast == NoEvent && nextQueued == NoEvent)
            break;
        const quint64 sequence = qMin(nextBroadcast, nextQueued);
        if (nextBroadcast < nextQueued)
            ++broadcast;
        else
            ++queued;
        const Event &event = eventAt(sequence);
        const qsizetype skip = first ? stream.eventOffset : 0;
        first = false;
        const QByteArray &bytes = stream.bytesOf(event);
        if (!bytes.isEmpty())
            stream.preamble.append({skip ? bytes.mid(skip) : bytes, event.id});
    }
    releaseQueued(stream);
    stream.broadcastCursor = broadcastEnd;
    stream.eventOffset = 0;
    if (wasCatchingUp) { // the live events it was owed are not sent, so they no longer count
        stream.queuedBytes = 0;
        for (const StreamChunk &chunk : std::as_const(stream.preamble))
            stream.queuedBytes += chunk.counted ? chunk.bytes.size() : 0;
        if (!stream.preamble.isEmpty() && stream.preamble.first().counted)
            stream.queuedBytes -= stream.preambleOffset;
    }
    if (!farewell.isEmpty() && !isNtfyFormat(stream.format)) { // Herald's own event: not for ntfy's streams
        stream.preamble.append({farewell, 0});
        stream.queuedBytes += farewell.size();
    }
    stream.closing = true;
    stream.closingDeadlineMs = monotonicMs() + ClosingGraceMs;
    ++m_closingCount;
    flush(stream);
}

void StreamShard::finishClosing(Stream &stream)
{
    // Half-close first so the browser reads every byte, then let go of the socket.
    if (stream.tls)
        stream.tls->close();
    SocketCalls::shutdownSending(stream.fd);
    endStream(stream.connection, StreamEnd::Closed);
}

void StreamShard::endStream(quint64 connection, StreamEnd reason)
{
    auto it = m_streams.find(connection);
    if (it == m_streams.end())
        return;
    std::unique_ptr<Stream> stream = std::move(it->second);
    m_streams.erase(it);
    if (stream->closing)
        --m_closingCount;
    else
        unindex(*stream);
    releaseQueued(*stream);
    m_queuedStreams.erase(connection);
    m_poller.unwatch(stream->fd);
    SocketCalls::closeSocket(stream->fd);
    stream->counters->queuedBytes.store(0, std::memory_order_relaxed);
    if (m_streamEnded)
        m_streamEnded(connection, reason);
}

std::vector<quint64> StreamShard::connectionList() const
{
    std::vector<quint64> connections;
    connections.reserve(m_streams.size());
    for (const auto &[connection, stream] : m_streams)
        connections.push_back(connection);
    return connections;
}

void StreamShard::trimEvents(bool visitedEveryStream)
{
    // A broadcast is kept while some stream's cursor is below it; that takes a look at every
    // stream, which only a pass that visited them all can afford. Any other event is kept
    // while some stream has it queued.
    if (visitedEveryStream) {
        quint64 oldest = headBroadcast();
        for (const auto &[connection, stream] : m_streams) {
            if (!stream->closing) // a closing stream holds copies of what it is still owed
                oldest = qMin(oldest, stream->broadcastCursor);
        }
        m_oldestBroadcastOwed = qMax(m_oldestBroadcastOwed, oldest);
    }
    while (!m_events.empty()) {
        const bool broadcast = !m_broadcasts.empty() && m_broadcasts.front() == m_firstSequence;
        if (broadcast ? m_firstBroadcast >= m_oldestBroadcastOwed : m_queuedCounts.front() > 0)
            break;
        if (broadcast) {
            m_broadcasts.pop_front();
            ++m_firstBroadcast;
        }
        m_events.pop_front();
        m_queuedCounts.pop_front();
        ++m_firstSequence;
    }
}
