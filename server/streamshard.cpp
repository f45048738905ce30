#include "streamshard.h"

#include "logging.h"

#include <QElapsedTimer>

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <cerrno>
#include <climits>
#include <cstring>
#include <unistd.h>

namespace {

constexpr quint64 WakeKey = 0; // connection numbers start at 1
constexpr int MaxPiecesPerWrite = IOV_MAX < 512 ? IOV_MAX : 512;
constexpr qsizetype MaxBytesPerWrite = 512 * 1024;
constexpr int ClosingGraceMs = 5000;
// How many streams a pass serves between looks at the mailbox for newly published events.
constexpr size_t CommandCheckInterval = 64;

qint64 monotonicMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.elapsed();
}

} // namespace

struct StreamShard::Stream
{
    quint64 connection = 0;
    int fd = -1;
    QString clientId;
    QStringList topics;
    StreamFormat format = StreamFormat::Plain;
    std::shared_ptr<StreamCounters> counters;

    QList<StreamChunk> preamble; ///< sent before the shared events
    qsizetype preambleOffset = 0; ///< bytes of preamble.first() already sent
    quint64 cursor = 0; ///< sequence of the next shared event to consider
    qsizetype cursorOffset = 0; ///< bytes of the event at cursor already sent (it is visible)
    quint64 accountedUpTo = 0; ///< events before this sequence are counted in queuedBytes
    quint64 queuedBytes = 0;
    bool blocked = false; ///< the kernel refused bytes; wait for EPOLLOUT
    bool watchingWritable = false;
    bool closing = false;
    qint64 closingDeadlineMs = 0;

    bool sees(const Event &event) const { return event.isVisibleTo(clientId, topics); }
    const QByteArray &bytesOf(const Event &event) const { return event.encodedFor(format); }
};

StreamShard::StreamShard(qint64 maxQueuedBytes, std::atomic<quint64> *deliveredTotal,
                         StreamEndedCallback streamEnded)
    : m_maxQueuedBytes(maxQueuedBytes)
    , m_deliveredTotal(deliveredTotal)
    , m_streamEnded(std::move(streamEnded))
{
}

StreamShard::~StreamShard()
{
    if (m_thread.joinable())
        closeAllAndStop(QByteArray(), 0);
    for (auto &[connection, stream] : m_streams)
        ::close(stream->fd);
    if (m_epollFd >= 0)
        ::close(m_epollFd);
}

bool StreamShard::start(QString *errorMessage)
{
    m_epollFd = epoll_create1(EPOLL_CLOEXEC);
    if (m_epollFd < 0 || m_mailbox.wakeFd() < 0) {
        *errorMessage = QStringLiteral("cannot create the stream loop: %1")
                                .arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.u64 = WakeKey;
    epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_mailbox.wakeFd(), &wake);
    m_running = true;
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "Herald streams"); // as top -H and perf show it
        run();
    });
    return true;
}

void StreamShard::addStreams(std::vector<StreamSubscription> subscriptions)
{
    std::vector<Command> commands;
    commands.reserve(subscriptions.size());
    for (StreamSubscription &subscription : subscriptions)
        commands.push_back(Command{Command::Add, {}, std::make_unique<StreamSubscription>(std::move(subscription)), 0, {}});
    m_mailbox.post(std::move(commands));
}

void StreamShard::publish(EventPointer event)
{
    m_mailbox.post(Command{Command::Publish, std::move(event), {}, 0, {}});
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
    std::vector<epoll_event> ready(256);
    qint64 lastDeadlineCheckMs = 0;
    while (m_running) {
        // While some event has not been offered to every stream, look at the sockets without
        // waiting and go on with the next pass.
        const bool passPending = !m_passes.empty();
        const int timeoutMs = passPending ? 0 : m_stopping ? 20 : (m_closingCount > 0 ? 250 : -1);
        const int count = epoll_wait(m_epollFd, ready.data(), int(ready.size()), timeoutMs);
        if (count < 0 && errno != EINTR) {
            qCCritical(lcStreams, "epoll_wait failed: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < count; ++i) {
            if (ready[i].data.u64 == WakeKey)
                applyCommands(m_mailbox.take());
            else
                handleReady(ready[i].data.u64, ready[i].events);
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
            m_events.push_back(std::move(command.event));
            published = true;
            break;
        case Command::Add: {
            StreamSubscription &subscription = *command.subscription;
            auto stream = std::make_unique<Stream>();
            stream->connection = subscription.connection;
            stream->fd = subscription.fd;
            stream->clientId = std::move(subscription.clientId);
            stream->topics = std::move(subscription.topics);
            stream->format = subscription.format;
            stream->counters = std::move(subscription.counters);
            stream->preamble = std::move(subscription.preamble);
            for (const StreamChunk &chunk : std::as_const(stream->preamble))
                stream->queuedBytes += chunk.bytes.size();
            // Events published before this command were replayed from history by the caller;
            // the stream picks up exactly after them, so there is no gap and no duplicate.
            stream->cursor = stream->accountedUpTo = headSequence();

            epoll_event watch{};
            watch.events = EPOLLIN | EPOLLRDHUP;
            watch.data.u64 = stream->connection;
            if (epoll_ctl(m_epollFd, EPOLL_CTL_ADD, stream->fd, &watch) < 0) {
                qCWarning(lcStreams, "cannot watch stream %llu: %s", stream->connection, strerror(errno));
                ::close(stream->fd);
                if (m_streamEnded)
                    m_streamEnded(stream->connection, StreamEnd::WriteFailed);
                break;
            }
            added.push_back(stream->connection);
            m_streams.emplace(stream->connection, std::move(stream));
            break;
        }
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

void StreamShard::offerPass()
{
    // Streams are visited in connection order. Events published meanwhile are taken in as the
    // pass goes, so the streams it has yet to reach send them in the same write as the rest;
    // the next pass brings them to the streams already passed, and they count as passed as
    // soon as it has gone that far, not only when it ends.
    ++m_passNumber;
    size_t served = 0;
    auto it = m_streams.begin();
    while (it != m_streams.end()) {
        const quint64 connection = it->first;
        if (++served % CommandCheckInterval == 0) {
            settlePasses(connection);
            m_passPosition = connection;
            if (m_mailbox.hasPending()) {
                applyCommands(m_mailbox.take()); // may end or add streams
                it = m_streams.lower_bound(connection);
                if (it == m_streams.end())
                    break;
            }
        }
        const auto next = std::next(it); // flush() may end this stream, and no other
        flush(*it->second);
        it = next;
    }
    m_passPosition = NotInPass;
    settlePasses(NotInPass);
    trimEvents();
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
    while (!m_passes.empty() && m_passes.front().pass < m_passNumber
           && m_passes.front().boundary <= visitedBelow) {
        passed = m_passes.front().head;
        m_passes.pop_front();
    }
    if (passed == 0)
        return;
    // Every stream has now been offered these events: written, or queued for a slow reader.
    m_passedEvents.store(passed, std::memory_order_release);
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

void StreamShard::handleReady(quint64 connection, uint32_t events)
{
    auto it = m_streams.find(connection);
    if (it == m_streams.end())
        return;
    Stream &stream = *it->second;

    if (events & (EPOLLERR | EPOLLHUP)) {
        endStream(connection, StreamEnd::PeerClosed);
        return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP)) {
        readAndDiscard(stream);
        if (!m_streams.count(connection))
            return;
    }
    if (events & EPOLLOUT) {
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
        const ssize_t received = ::recv(stream.fd, buffer, sizeof buffer, 0);
        if (received > 0)
            continue;
        if (received < 0 && errno == EINTR)
            continue;
        if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        endStream(stream.connection, StreamEnd::PeerClosed);
        return;
    }
}

void StreamShard::account(Stream &stream)
{
    const quint64 head = headSequence();
    if (stream.closing) {
        stream.accountedUpTo = head;
        return;
    }
    for (quint64 sequence = stream.accountedUpTo; sequence < head; ++sequence) {
        const Event &event = eventAt(sequence);
        if (stream.sees(event))
            stream.queuedBytes += stream.bytesOf(event).size();
    }
    stream.accountedUpTo = head;
}

void StreamShard::flush(Stream &stream)
{
    account(stream);
    if (!stream.closing
        && stream.queuedBytes > quint64(m_maxQueuedBytes.load(std::memory_order_relaxed))) {
        qCWarning(lcStreams, "dropped client %s: %llu unsent bytes is over the limit",
                  qPrintable(stream.clientId), stream.queuedBytes);
        endStream(stream.connection, StreamEnd::TooSlow);
        return;
    }
    if (!stream.blocked && !writePending(stream))
        return; // the stream has ended
    stream.counters->queuedBytes.store(stream.queuedBytes, std::memory_order_relaxed);
    if (stream.closing && stream.preamble.isEmpty() && !stream.blocked)
        finishClosing(stream);
}

bool StreamShard::writePending(Stream &stream)
{
    struct Piece
    {
        const StreamChunk *chunk; // null for a shared event
        quint64 sequence;
        qsizetype length;
    };
    iovec vectors[MaxPiecesPerWrite];
    Piece pieces[MaxPiecesPerWrite];

    for (;;) {
        // Gather the preamble, then the shared events this stream may see, in order.
        int count = 0;
        qsizetype total = 0;
        qsizetype offset = stream.preambleOffset;
        for (const StreamChunk &chunk : std::as_const(stream.preamble)) {
            if (count == MaxPiecesPerWrite || total >= MaxBytesPerWrite)
                break;
            const qsizetype length = chunk.bytes.size() - offset;
            vectors[count] = {const_cast<char *>(chunk.bytes.constData()) + offset, size_t(length)};
            pieces[count++] = {&chunk, 0, length};
            total += length;
            offset = 0;
        }
        // A closing stream took what it was owed into its preamble; nothing newer is for it.
        const quint64 head = stream.closing ? stream.cursor : headSequence();
        quint64 sequence = stream.cursor;
        offset = stream.cursorOffset;
        for (; sequence < head && count < MaxPiecesPerWrite && total < MaxBytesPerWrite; ++sequence) {
            const Event &event = eventAt(sequence);
            if (!stream.sees(event))
                continue;
            const QByteArray &bytes = stream.bytesOf(event);
            const qsizetype length = bytes.size() - offset;
            vectors[count] = {const_cast<char *>(bytes.constData()) + offset, size_t(length)};
            pieces[count++] = {nullptr, sequence, length};
            total += length;
            offset = 0;
        }
        if (count == 0) {
            stream.cursor = sequence; // past events this stream does not see
            return true;
        }

        const ssize_t result = ::writev(stream.fd, vectors, count);
        if (result < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
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
        stream.queuedBytes -= quint64(result);
        quint64 eventsDone = 0;
        quint64 lastEventId = 0;
        for (int i = 0; i < count && written > 0; ++i) {
            const Piece &piece = pieces[i];
            const bool complete = written >= piece.length;
            const qsizetype taken = complete ? piece.length : written;
            written -= taken;
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
                stream.cursor = complete ? piece.sequence + 1 : piece.sequence;
                stream.cursorOffset = complete ? 0 : stream.cursorOffset + taken;
            }
            if (complete && eventId != 0) {
                ++eventsDone;
                lastEventId = eventId;
            }
        }
        if (eventsDone) {
            stream.counters->eventsSent.fetch_add(eventsDone, std::memory_order_relaxed);
            stream.counters->lastEventId.store(lastEventId, std::memory_order_relaxed);
            m_deliveredPending += eventsDone;
        }
        if (!allWritten) {
            setBlocked(stream, true);
            return true;
        }
        stream.cursor = sequence;
    }
}

void StreamShard::setBlocked(Stream &stream, bool blocked)
{
    stream.blocked = blocked;
    if (stream.watchingWritable == blocked)
        return;
    // Writability is watched only while the kernel is refusing bytes.
    stream.watchingWritable = blocked;
    epoll_event mode{};
    mode.events = EPOLLIN | EPOLLRDHUP | (blocked ? EPOLLOUT : 0u);
    mode.data.u64 = stream.connection;
    epoll_ctl(m_epollFd, EPOLL_CTL_MOD, stream.fd, &mode);
}

void StreamShard::beginClosing(Stream &stream, const QByteArray &farewell)
{
    // Whatever the stream was already owed goes out first, then the farewell. Pending
    // shared events become private chunks so the stream no longer holds the shared list.
    account(stream);
    const quint64 head = headSequence();
    for (quint64 sequence = stream.cursor; sequence < head; ++sequence) {
        const Event &event = eventAt(sequence);
        if (!stream.sees(event))
            continue;
        const qsizetype skip = sequence == stream.cursor ? stream.cursorOffset : 0;
        const QByteArray &bytes = stream.bytesOf(event);
        stream.preamble.append({skip ? bytes.mid(skip) : bytes, event.id});
    }
    stream.cursor = head;
    stream.cursorOffset = 0;
    if (!farewell.isEmpty()) {
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
    ::shutdown(stream.fd, SHUT_WR);
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
    epoll_ctl(m_epollFd, EPOLL_CTL_DEL, stream->fd, nullptr);
    ::close(stream->fd);
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

void StreamShard::trimEvents()
{
    quint64 lowest = headSequence();
    for (const auto &[connection, stream] : m_streams) {
        if (!stream->closing) // a closing stream holds copies of what it is still owed
            lowest = qMin(lowest, stream->cursor);
    }
    while (m_firstSequence < lowest) {
        m_events.pop_front();
        ++m_firstSequence;
    }
}
