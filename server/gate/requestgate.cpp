#include "requestgate.h"

#include "logging.h"
#include "socketcalls.h"
#include "systemerror.h"

#include <QHostAddress>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <utility>

namespace {

constexpr int AcceptBatch = 1024;
constexpr int DrainMs = 2000;
constexpr int AcceptPauseMs = 100;
// A reply's body up to this size is sent in one piece with its head; a larger one is shared.
constexpr qsizetype SmallBodyBytes = 16 * 1024;

qint64 monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace

RequestGate::RequestGate(Routes routes, Receivers receivers)
    : m_routes(std::move(routes))
    , m_receivers(std::move(receivers))
    , m_buffer(MaxWholeRequest)
    , m_readsEverythingWhole(m_routes.wholeRequests.contains(qMakePair(QByteArray("*"), QByteArray("*"))))
{}

RequestGate::~RequestGate()
{
    stop();
}

bool RequestGate::start(std::vector<Listener> listeners, QString *errorMessage)
{
    m_listeners = std::move(listeners);
    if (!m_poller.open(errorMessage))
        return false;
    if (!watchListeners(true)) {
        *errorMessage = QStringLiteral("cannot start accepting connections: %1").arg(m_poller.lastError());
        return false;
    }
    m_running = true;
    return true;
}

void RequestGate::stop()
{
    if (!m_running.exchange(false))
        return;
    // Answers that were on their way still go out, as far as the clients' sockets take them at
    // once: they may be the answers to publishes Herald has kept.
    std::vector<Command> commands = std::exchange(m_passCommands, {});
    for (Command &command : m_mailbox.take())
        commands.push_back(std::move(command));
    for (Command &command : commands) {
        if (command.kind == Command::Reply) {
            auto it = m_connections.find(command.fd);
            if (it != m_connections.end() && it->second.awaitingReply) {
                it->second.awaitingReply = false;
                it->second.unsent[0] = std::move(command.response);
                it->second.unsent[1] = std::move(command.body);
                m_unsentReplyBytes.fetch_add(it->second.unsent[0].size() + it->second.unsent[1].size());
            }
        } else if (command.kind != Command::StopAccepting) {
            SocketCalls::closeSocket(command.fd);
        }
    }
    // A request that came on an open connection while the thread was busy stopping (no pass ran)
    // is told that Herald is shutting down, as one read in a pass would be, rather than cut off.
    m_accepting = false;
    std::vector<int> idle;
    for (const auto &[fd, connection] : m_connections) {
        if (!connection.awaitingReply && !connection.hasUnsent() && !connection.draining)
            idle.push_back(fd);
    }
    for (int fd : idle) {
        if (auto it = m_connections.find(fd); it != m_connections.end())
            readHead(fd, it->second);
    }
    for (auto &[fd, connection] : m_connections) {
        if (connection.hasUnsent()) {
            [[maybe_unused]] SocketCalls::Count sent = sendSome(fd, connection);
            // Closing with unread bytes (a pipelined request) would reset the connection and
            // could destroy the answer before the client reads it.
            endWriting(fd, connection);
            while (SocketCalls::receive(fd, m_buffer.data(), m_buffer.size()) > 0) {}
        }
        SocketCalls::closeSocket(fd);
        dropUnsent(connection);
    }
    m_connections.clear();
}

void RequestGate::setTlsContext(std::shared_ptr<const TlsContext> tls)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    for (Listener &listener : m_listeners) {
        if (listener.tls)
            listener.tls = tls;
    }
}

void RequestGate::stopAccepting()
{
    if (m_running.load())
        m_mailbox.post(Command{Command::StopAccepting, -1, {}});
}

void RequestGate::setLimits(const Limits &limits)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_limits = limits;
}

void RequestGate::respondAndClose(int fd, std::shared_ptr<TlsSession> tls, QByteArray response)
{
    post(Command{Command::Respond, fd, std::move(response), {}, std::move(tls)});
}

void RequestGate::readmit(int fd)
{
    post(Command{Command::Readmit, fd, {}});
}

void RequestGate::reply(int fd, QByteArray response)
{
    post(Command{Command::Reply, fd, std::move(response)});
}

void RequestGate::reply(int fd, QByteArray head, QByteArray body)
{
    post(Command{Command::Reply, fd, std::move(head), std::move(body)});
}

void RequestGate::reply(std::vector<Reply> replies)
{
    std::vector<Command> commands;
    commands.reserve(replies.size());
    for (Reply &reply : replies)
        commands.push_back(Command{Command::Reply, reply.fd, std::move(reply.response), std::move(reply.body)});
    post(std::move(commands));
}

QByteArray RequestGate::closing(HttpAnswer answer)
{
    answer.setHeader("Connection", "close");
    return answer.toBytes();
}

QByteArray RequestGate::refusal(int status, const QString &message)
{
    return closing(HttpAnswer::error(HttpAnswer::Status(status), message));
}

void RequestGate::post(Command command)
{
    std::vector<Command> commands;
    commands.push_back(std::move(command));
    post(std::move(commands));
}

void RequestGate::post(std::vector<Command> commands)
{
    if (!m_running.load()) {
        for (const Command &command : commands) {
            if (command.kind != Command::Reply && command.kind != Command::StopAccepting)
                SocketCalls::closeSocket(command.fd); // the gate closed a reply's connection as it stopped
        }
        return;
    }
    if (m_passThread.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
        // Made while the gate hands over what it read: sent as the pass ends, with no wake-up.
        for (Command &command : commands)
            m_passCommands.push_back(std::move(command));
        return;
    }
    m_mailbox.post(std::move(commands));
}

bool RequestGate::waitForWork(int timeoutMs)
{
    const bool waited = m_poller.wait(m_ready, timeoutMs);
    m_readyWaited = true;
    return waited;
}

void RequestGate::runPass()
{
    if (!m_running.load())
        return;
    m_passThread.store(std::this_thread::get_id(), std::memory_order_relaxed);
    if (!std::exchange(m_readyWaited, false))
        m_poller.wait(m_ready, 0);
    for (const SocketPoller::Ready &socket : m_ready) {
        if (socket.key == SocketPoller::Woken) {
            applyCommands(m_mailbox.take());
            continue;
        }
        const int fd = int(socket.key);
        if (const Listener *listener = listenerOf(fd)) {
            if (m_accepting) // it may come in the same batch as StopAccepting
                acceptAll(*listener);
        } else {
            auto it = m_connections.find(fd);
            if (it == m_connections.end())
                continue;
            Connection &connection = it->second;
            if (connection.tls && !connection.tls->isEstablished()) {
                readHead(fd, connection); // the handshake goes on
                continue;
            }
            if (connection.awaitingReply || connection.hasUnsent()) {
                // What else came is read once the answer has gone out. A poller without edges
                // would say so on every pass: until then the socket is not watched for it (a
                // broken one not at all).
                if (socket.readiness & (SocketPoller::Readable | SocketPoller::Broken)) {
                    connection.moreArrived = true;
                    if (!m_edges && !holdInput(fd, connection, socket.readiness & SocketPoller::Broken))
                        continue;
                }
                if (connection.hasUnsent() && (socket.readiness & (SocketPoller::Writable | SocketPoller::Broken)))
                    sendUnsent(fd, connection);
                continue;
            }
            // The client's end may have come with its request: a read that takes the request
            // does not see it.
            if (socket.readiness & (SocketPoller::PeerEnded | SocketPoller::Broken))
                connection.moreArrived = true;
            if (connection.draining)
                drain(fd);
            else
                readHead(fd, connection);
        }
    }
    expire();
    handOver();
    m_passThread.store(std::thread::id(), std::memory_order_relaxed);
}

void RequestGate::handOver()
{
    for (int round = 0;; ++round) {
        // Taken out first: a receiver's reply may let the next request on its connection be read.
        if (!m_streams.empty())
            m_receivers.streams(std::exchange(m_streams, {}));
        if (!m_wholeRequests.empty())
            m_receivers.wholeRequests(std::exchange(m_wholeRequests, {}));
        if (!m_requests.empty())
            m_receivers.others(std::exchange(m_requests, {}));
        if (m_passCommands.empty() || !m_running.load())
            return;
        if (round == HandOverRounds) {
            // A client that keeps requests in flight could hold the pass for ever: the rest of
            // its replies wait for the next pass, after every other connection has had its turn.
            m_mailbox.post(std::exchange(m_passCommands, {}));
            return;
        }
        applyCommands(std::exchange(m_passCommands, {}));
    }
}

void RequestGate::applyCommands(std::vector<Command> commands)
{
    int keepAliveIdleMs;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        keepAliveIdleMs = m_limits.keepAliveIdleMs;
    }
    for (Command &command : commands) {
        if (command.kind == Command::Reply) {
            sendReply(command.fd, std::move(command.response), std::move(command.body));
            continue;
        }
        if (command.kind == Command::StopAccepting) {
            m_accepting = false;
            watchListeners(false);
            continue;
        }
        Connection &connection = m_connections[command.fd];
        connection.tls = std::move(command.tls);
        if (!watch(command.fd, connection))
            continue;
        if (command.kind == Command::Respond) {
            connection.requestStarted = true;
            answer(command.fd, command.response);
        } else {
            connection.answeredBefore = true; // by QHttpServer
            connection.deadlineMs = monotonicMs() + keepAliveIdleMs;
            SocketCalls::peerAddress(command.fd, &connection.peer);
            readHead(command.fd, connection); // the next request may be here already
        }
    }
}

void RequestGate::acceptAll(const Listener &listener)
{
    int timeoutMs;
    std::shared_ptr<const TlsContext> tls;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        timeoutMs = m_limits.requestTimeoutMs;
        tls = listener.tls;
    }
    const qint64 deadline = monotonicMs() + timeoutMs;
    for (int i = 0; i < AcceptBatch; ++i) {
        SocketCalls::PeerAddress peer;
        const int fd = SocketCalls::acceptConnection(listener.fd, &peer);
        if (fd >= 0) {
            Connection &connection = m_connections[fd];
            connection.deadlineMs = deadline; // for the handshake too
            connection.peer = peer;
            connection.redirectToTlsPort = listener.redirectToTlsPort;
            if (tls) {
                connection.tls = tls->accept(fd);
                if (!connection.tls) {
                    forget(fd, true);
                    continue;
                }
            }
            // Under load the request is usually there already; then it needs no round of the poller.
            readHead(fd, connection);
            auto it = m_connections.find(fd);
            if (it != m_connections.end() && !it->second.watched)
                watch(fd, it->second);
            continue;
        }
        if (SocketCalls::lastFailure() == SocketCalls::Failure::OutOfResources) {
            // Out of descriptors: leave the rest in the backlog and try again shortly, rather
            // than spin on a listening socket that stays readable.
            qCWarning(lcService, "cannot accept more connections: %s", lastSystemError().c_str());
            watchListeners(false);
            m_acceptPaused = true;
            m_acceptResumeMs = monotonicMs() + AcceptPauseMs;
        }
        break; // WouldBlock, or an error that belongs to one connection (ECONNABORTED)
    }
}

bool RequestGate::watch(int fd, Connection &connection)
{
    // Edges where the poller has them: bytes left in the socket on purpose are not reported
    // again, only more bytes.
    const quint32 interest = (connection.inputHeld ? 0u : quint32(SocketPoller::Input | SocketPoller::Edges))
        | (connection.watchingWritable ? quint32(SocketPoller::Output) : 0u);
    if (!m_poller.watch(fd, quint64(fd), interest)) {
        if (connection.watched)
            m_poller.unwatch(fd);
        dropUnsent(connection);
        m_connections.erase(fd);
        SocketCalls::closeSocket(fd);
        return false;
    }
    connection.watched = true;
    return true;
}

void RequestGate::waitAfterShortLook(int fd, Connection &connection)
{
    // The bytes looked at stay in the socket: a poller with edges reports only more of them,
    // one without would report them on every pass until the rest came, and the next sweep looks
    // again instead.
    if (m_edges)
        return;
    connection.peekedShort = true;
    holdInput(fd, connection, false); // watches it, for nothing but breaking, if it was not yet
}

bool RequestGate::holdInput(int fd, Connection &connection, bool broken)
{
    if (broken) {
        // A hang-up or an error is reported whatever the socket is watched for.
        if (connection.watched)
            m_poller.unwatch(fd);
        connection.watched = false;
        connection.inputHeld = true;
        return true;
    }
    if (connection.inputHeld)
        return true;
    connection.inputHeld = true;
    return watch(fd, connection);
}

bool RequestGate::releaseInput(int fd, Connection &connection)
{
    if (!connection.inputHeld)
        return true;
    connection.inputHeld = false;
    connection.peekedShort = false;
    return watch(fd, connection);
}

void RequestGate::forget(int fd, bool close)
{
    auto it = m_connections.find(fd);
    if (it != m_connections.end()) {
        if (it->second.watched)
            m_poller.unwatch(fd);
        dropUnsent(it->second);
        m_connections.erase(it);
    }
    if (close)
        SocketCalls::closeSocket(fd);
}

bool RequestGate::receive(int fd, Connection &connection)
{
    if (connection.tls) {
        switch (connection.tls->handshake()) {
        case TlsSession::Handshake::Done:
            if (connection.watchingWritable && !connection.hasUnsent() && !watchWritable(fd, connection, false))
                return false;
            break;
        case TlsSession::Handshake::WantRead:
            return false;
        case TlsSession::Handshake::WantWrite:
            watchWritable(fd, connection, true);
            return false;
        case TlsSession::Handshake::Failed:
            forget(fd, true); // not TLS, or none Herald takes: nothing can be answered
            return false;
        }
    }
    // All that has arrived, as far as the request being read can take (a head, until its size is
    // known): the rest stays in the socket, and is read once the answer has gone. So a
    // connection holds no more than its request declared.
    const qsizetype enough = qMax<qsizetype>(MaxWholeRequest, connection.wanted);
    while (!connection.peerEnded && connection.received.size() < enough) {
        const SocketCalls::Count received = connection.tls ? connection.tls->read(m_buffer.data(), m_buffer.size())
                                                           : SocketCalls::receive(fd, m_buffer.data(), m_buffer.size());
        if (received > 0) {
            connection.received.append(m_buffer.data(), received);
            // A plain socket that gave less than asked for had no more: no second call to hear so.
            if (!connection.tls && size_t(received) < m_buffer.size())
                break;
            continue;
        }
        const SocketCalls::Failure failure = received < 0 ? SocketCalls::lastFailure() : SocketCalls::Failure::None;
        if (failure == SocketCalls::Failure::Interrupted)
            continue;
        if (failure == SocketCalls::Failure::WouldBlock)
            break;
        connection.peerEnded = true; // the end, or a broken connection: what came is still read
    }
    if (connection.received.size() >= enough)
        connection.moreArrived = true; // perhaps more in the socket
    if (connection.received.isEmpty() && connection.peerEnded) {
        forget(fd, true); // gone before finishing a request: nothing to answer
        return false;
    }
    return !connection.received.isEmpty();
}

void RequestGate::readHead(int fd, Connection &connection)
{
    SocketCalls::Count peeked;
    const char *arrived = m_buffer.data();
    if (connection.readsAhead()) {
        if (!receive(fd, connection))
            return;
        arrived = connection.received.constData();
        peeked = connection.received.size();
    } else {
        peeked = SocketCalls::peek(fd, m_buffer.data(), m_buffer.size());
        const SocketCalls::Failure failure = peeked < 0 ? SocketCalls::lastFailure() : SocketCalls::Failure::None;
        if (peeked == 0
            || (peeked < 0 && failure != SocketCalls::Failure::WouldBlock
                && failure != SocketCalls::Failure::Interrupted)) {
            forget(fd, true); // gone before finishing a request: nothing to answer
            return;
        }
        if (peeked < 0)
            return;
    }

    Limits limits;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        limits = m_limits;
    }
    if (!connection.requestStarted) {
        connection.requestStarted = true;
        connection.deadlineMs = qMin(connection.deadlineMs, monotonicMs() + limits.requestTimeoutMs);
    }

    GatedRequest request;
    QString reason;
    const auto result = RequestHeadParser::parse(QByteArrayView(arrived, peeked), &request.head, &reason);
    if (result == RequestHeadParser::Result::Incomplete) {
        if (connection.peerEnded)
            forget(fd, true); // it never will be complete
        else if (!connection.readsAhead())
            waitAfterShortLook(fd, connection);
        return;
    }
    if (result != RequestHeadParser::Result::Complete) {
        answer(fd, refusal(RequestHeadParser::statusOf(result), reason));
        return;
    }

    if (!m_accepting) {
        // Herald is stopping: whoever would take this request is about to go.
        answer(fd, closing(HttpAnswer::shuttingDown()));
        return;
    }
    RequestHead &head = request.head;
    if (connection.redirectToTlsPort && !m_routes.plainPaths.contains(head.path())) {
        answer(fd, redirect(head, connection.redirectToTlsPort));
        return;
    }
    if (head.chunked && !m_readsEverythingWhole && !connection.tls) {
        answer(fd, refusal(411, QStringLiteral("send the body with a Content-Length header")));
        return;
    }
    const bool upload = m_routes.isUpload && m_routes.isUpload(head);
    if (upload) {
        if (const QByteArray refused = refusedUpload(head, connection.peer, limits); !refused.isEmpty()) {
            answer(fd, refused);
            return;
        }
    }
    const qint64 maxBody = upload ? limits.maxUploadBytes : limits.maxBodyBytes;
    if (head.contentLength > maxBody) {
        answer(fd, tooLarge(upload, QString::number(head.contentLength), maxBody));
        return;
    }

    request.fd = fd;
    request.remainingMs = int(qMax<qint64>(0, connection.deadlineMs - monotonicMs()));
    request.peer = connection.peer;
    request.tls = connection.tls;
    if (head.chunked) {
        readChunked(fd, connection, std::move(request), maxBody, upload);
        return;
    }
    const qsizetype wholeSize = head.size + qsizetype(head.contentLength);
    const bool stream = isStreamRequest(head);
    const bool bodyToCome = peeked < wholeSize && head.expectsContinue();
    // An encrypted request can only be read here: every one is read whole, as is every request on
    // a connection that reads ahead.
    if (!stream && (connection.readsAhead() || (isWholeRequest(head) && wholeSize <= MaxWholeRequest))) {
        if (peeked < wholeSize) {
            connection.headRead = true; // the body is on its way
            if (bodyToCome)
                sendContinue(fd, connection);
            if (connection.peerEnded) {
                forget(fd, true); // it never will be whole
                return;
            }
            if (!connection.readsAhead() && !m_edges && m_readsEverythingWhole) {
                // A poller without edges would report the bytes looked at on every pass: where
                // every request is read whole, this one's are read now that its head is accepted
                // (no more than it declared), and so are the next ones, as after a whole request.
                connection.plainReadsAhead = true;
                connection.wanted = wholeSize;
                readHead(fd, connection);
            } else if (!connection.readsAhead()) {
                waitAfterShortLook(fd, connection);
            } else if (connection.wanted < wholeSize) {
                // Read on, now that the request's size is known: what waits is read at once.
                connection.wanted = wholeSize;
                readHead(fd, connection);
            }
            return;
        }
        request.body = QByteArray(arrived + head.size, qsizetype(head.contentLength));
        takeWholeRequest(fd, connection, std::move(request), wholeSize, peeked);
        return;
    }
    // QHttpServer reads this body. Before Qt 6.5 it does not answer Expect: 100-continue: the
    // gate does, where the client has no earlier answer still unread, so that the interim answer
    // goes out whole (a plain socket that has sent nothing has room for it).
    if (QT_VERSION < QT_VERSION_CHECK(6, 5, 0) && !stream && bodyToCome && !connection.answeredBefore)
        sendContinue(fd, connection);
    const bool readAhead = connection.readsAhead();
    forget(fd, false);
    if (stream) {
        // The stream's owner writes the response head; take the request off the socket so
        // that only what the client sends later is left in it. (Bytes read ahead went
        // with the connection.)
        if (!readAhead) [[maybe_unused]]
            SocketCalls::Count consumed = SocketCalls::receive(fd, m_buffer.data(), size_t(head.size));
        m_streams.push_back(std::move(request));
    } else {
        m_requests.push_back(std::move(request));
    }
}

void RequestGate::takeWholeRequest(int fd, Connection &connection, GatedRequest request, qsizetype wholeSize,
                                   qsizetype arrived)
{
    // Watched before it is handed on, so that it cannot fail to be, be closed, and have its
    // number taken by another connection while its answer is being made.
    if (!connection.watched && !watch(fd, connection))
        return;
    // The connection stays here, watched but not read, until the answer has gone out.
    if (connection.readsAhead()) {
        connection.received.remove(0, wholeSize);
        connection.moreArrived = connection.moreArrived || !connection.received.isEmpty();
    } else {
        [[maybe_unused]] SocketCalls::Count consumed = SocketCalls::receive(fd, m_buffer.data(), size_t(wholeSize));
        // Pipelined: seen behind this one, or perhaps behind what the buffer held.
        connection.moreArrived = connection.moreArrived || arrived > wholeSize || arrived == qsizetype(m_buffer.size());
        // Where Herald reads every request whole, the next ones on this connection are read
        // ahead: one recv() each instead of a look and a read.
        connection.plainReadsAhead = m_readsEverythingWhole;
    }
    connection.awaitingReply = true;
    connection.keepAlive = request.head.keepAlive();
    connection.headRead = false;
    connection.continued = false;
    connection.wanted = 0;
    m_wholeRequests.push_back(std::move(request));
}

void RequestGate::readChunked(int fd, Connection &connection, GatedRequest request, qint64 maxBody, bool upload)
{
    if (!connection.readsAhead()) {
        connection.plainReadsAhead = true; // and the next requests, as after a whole request
        readHead(fd, connection);
        return;
    }
    const RequestHead &head = request.head;
    // Its size is known only at its end: it is read as it comes, a window at a time, and decoded
    // on the way; what is decoded is dropped. No more than an encoding of maxBody may take (a
    // chunk's framing costs a few bytes) is read in all.
    const qint64 encodedLimit = 2 * maxBody + MaxWholeRequest;
    if (!connection.chunked)
        connection.chunked = std::make_unique<ChunkedBody>(maxBody);
    ChunkedBody::Result result;
    for (;;) {
        // A read that filled its window may have left more in the socket.
        const bool windowFull = connection.received.size() >= qMax(MaxWholeRequest, connection.wanted);
        const QByteArrayView encoded = QByteArrayView(connection.received).sliced(head.size);
        result = connection.chunked->decode(encoded);
        if (result != ChunkedBody::Result::Incomplete || connection.chunked->released() + encoded.size() > encodedLimit)
            break;
        connection.received.remove(head.size, connection.chunked->release());
        if (windowFull) {
            connection.wanted = connection.received.size() + MaxWholeRequest;
            receive(fd, connection);
            continue;
        }
        connection.headRead = true; // the rest of the body is on its way
        if (head.expectsContinue())
            sendContinue(fd, connection);
        if (connection.peerEnded)
            forget(fd, true); // it never will be whole
        return;
    }
    const std::unique_ptr<ChunkedBody> decoded = std::move(connection.chunked); // gone with this request
    switch (result) {
    case ChunkedBody::Result::Complete: {
        const qsizetype wholeSize = head.size + decoded->encodedSize();
        request.body = decoded->takeBody();
        takeWholeRequest(fd, connection, std::move(request), wholeSize, connection.received.size());
        return;
    }
    case ChunkedBody::Result::Malformed:
        answer(fd, refusal(400, QStringLiteral("the chunked body is malformed: %1").arg(decoded->error())));
        return;
    case ChunkedBody::Result::TooLarge:
        answer(fd, tooLarge(upload, QStringLiteral("more than %1").arg(maxBody), maxBody));
        return;
    case ChunkedBody::Result::Incomplete:
        answer(fd, refusal(413, QStringLiteral("the chunked body's encoding is more than %1 bytes").arg(encodedLimit)));
        return;
    }
}

QByteArray RequestGate::tooLarge(bool upload, const QString &size, qint64 maxBody)
{
    return refusal(413,
                   QStringLiteral("the %1 is %2 bytes; Herald takes at most %3 (%4)")
                       .arg(upload ? QStringLiteral("file") : QStringLiteral("body"), size)
                       .arg(maxBody)
                       .arg(upload ? QStringLiteral("--attachment-max") : QStringLiteral("--max-body")));
}

QByteArray RequestGate::refusedUpload(const RequestHead &head, const SocketCalls::PeerAddress &peer,
                                      const Limits &limits)
{
    const QHostAddress address(peer.address());
    if (address.isLoopback() && !limits.publishingNeedsToken)
        return {};
    if (!limits.publishingNeedsToken) {
        return refusal(403,
                       QStringLiteral("without a token only this computer may publish; give Herald a "
                                      "token (--token) to publish from other devices"));
    }
    const QByteArray target = head.target;
    const bool credential = !head.value("Authorization").isEmpty() || !head.value("Cookie").isEmpty()
        || target.contains("auth=") || target.contains("token=");
    if (credential)
        return {}; // HttpApi checks it before anything is kept
    return refusal(401, QStringLiteral("sending a file needs the token: Authorization: Bearer <token>"));
}

void RequestGate::sendContinue(int fd, Connection &connection)
{
    if (connection.continued)
        return;
    connection.continued = true;
    const QByteArrayView answer(ContinueAnswer, qsizetype(sizeof(ContinueAnswer) - 1));
    const SocketCalls::Piece whole{answer.data(), size_t(answer.size())};
    const SocketCalls::Count sent = sendPieces(fd, connection, &whole, 1);
    // A client that has yet to read an earlier answer may leave no room for it. The rest goes
    // ahead of the answer; over TLS a record OpenSSL could not send is tried again with the
    // same bytes first, as it asks.
    connection.continueLeft = answer.sliced(std::clamp<qsizetype>(sent, 0, answer.size())).toByteArray();
}

bool RequestGate::isStreamRequest(const RequestHead &head) const
{
    return head.method == "GET" && head.contentLength == 0 && !head.chunked && m_routes.isStreamPath
        && m_routes.isStreamPath(head.path());
}

bool RequestGate::watchListeners(bool watched)
{
    bool done = true;
    for (const Listener &listener : m_listeners) {
        if (watched)
            done = m_poller.watch(listener.fd, quint64(listener.fd), SocketPoller::Input) && done;
        else
            m_poller.unwatch(listener.fd);
    }
    return done;
}

const RequestGate::Listener *RequestGate::listenerOf(int fd) const
{
    for (const Listener &listener : m_listeners) {
        if (listener.fd == fd)
            return &listener;
    }
    return nullptr;
}

QByteArray RequestGate::redirect(const RequestHead &head, quint16 tlsPort)
{
    // The host as the client named it, without its port; an IPv6 address keeps its brackets.
    QByteArray host = head.value("Host");
    const qsizetype colon = host.lastIndexOf(':');
    if (colon >= 0 && colon > host.lastIndexOf(']'))
        host.truncate(colon);
    if (host.isEmpty())
        host = "localhost";
    const QByteArray location = "https://" + host + ':' + QByteArray::number(tlsPort) + head.target;
    HttpAnswer answer
        = HttpAnswer::error(HttpAnswer::Status::PermanentRedirect,
                            QStringLiteral("Herald takes only HTTPS: %1").arg(QString::fromUtf8(location)));
    answer.setHeader("Location", location);
    return closing(answer);
}

bool RequestGate::isWholeRequest(const RequestHead &head) const
{
    const QByteArray path = head.path();
    for (const auto &[method, wholePath] : m_routes.wholeRequests) {
        if ((method == "*" || head.method == method) && (wholePath == "*" || path == wholePath))
            return true;
    }
    return false;
}

void RequestGate::sendReply(int fd, QByteArray head, QByteArray body)
{
    auto it = m_connections.find(fd);
    if (it == m_connections.end() || !it->second.awaitingReply)
        return;
    Connection &connection = it->second;
    connection.awaitingReply = false;
    connection.answeredBefore = true;
    // A small body goes with its head in one piece: copying it costs less than a second one.
    if (head.isEmpty() || body.size() <= SmallBodyBytes) {
        head += body;
        body = QByteArray();
    }
    if (!connection.continueLeft.isEmpty())
        head.prepend(std::exchange(connection.continueLeft, QByteArray()));
    connection.unsent[0] = std::move(head);
    connection.unsent[1] = std::move(body);
    connection.unsentOffset = 0;
    m_unsentReplyBytes.fetch_add(connection.unsent[0].size() + connection.unsent[1].size(), std::memory_order_relaxed);
    {
        // The client has this long to take the whole answer, however slowly it reads.
        std::lock_guard<std::mutex> lock(m_mutex);
        connection.deadlineMs = monotonicMs() + m_limits.requestTimeoutMs;
    }
    sendUnsent(fd, connection);
}

void RequestGate::dropUnsent(Connection &connection)
{
    const qint64 left = connection.unsent[0].size() - connection.unsentOffset + connection.unsent[1].size();
    if (left > 0)
        m_unsentReplyBytes.fetch_sub(left, std::memory_order_relaxed);
    connection.unsent[0] = QByteArray();
    connection.unsent[1] = QByteArray();
    connection.unsentOffset = 0;
}

SocketCalls::Count RequestGate::sendSome(int fd, const Connection &connection)
{
    const char *head = connection.unsent[0].constData() + connection.unsentOffset;
    const size_t headLength = size_t(connection.unsent[0].size() - connection.unsentOffset);
    const SocketCalls::Piece parts[2]
        = {{head, headLength}, {connection.unsent[1].constData(), size_t(connection.unsent[1].size())}};
    return sendPieces(fd, connection, parts, connection.unsent[1].isEmpty() ? 1 : 2);
}

SocketCalls::Count RequestGate::sendPieces(int fd, const Connection &connection, const SocketCalls::Piece *pieces,
                                           int count)
{
    return connection.tls ? connection.tls->write(pieces, count) : SocketCalls::sendPieces(fd, pieces, count);
}

void RequestGate::sendUnsent(int fd, Connection &connection)
{
    while (connection.hasUnsent()) {
        const SocketCalls::Count sent = sendSome(fd, connection);
        if (sent > 0) {
            // Past what the kernel took; the parts themselves are never copied.
            m_unsentReplyBytes.fetch_sub(sent, std::memory_order_relaxed);
            qsizetype taken = sent;
            const qsizetype firstLeft = connection.unsent[0].size() - connection.unsentOffset;
            if (taken < firstLeft) {
                connection.unsentOffset += taken;
                continue;
            }
            taken -= firstLeft;
            connection.unsent[0] = std::exchange(connection.unsent[1], QByteArray());
            connection.unsentOffset = taken;
            if (connection.unsentOffset == connection.unsent[0].size()) {
                connection.unsent[0] = QByteArray();
                connection.unsentOffset = 0;
            }
            continue;
        }
        const SocketCalls::Failure failure = sent < 0 ? SocketCalls::lastFailure() : SocketCalls::Failure::None;
        if (failure == SocketCalls::Failure::Interrupted)
            continue;
        if (failure == SocketCalls::Failure::WouldBlock) {
            // A client that reads its answers late (it sent several requests at once): the rest
            // goes when its socket has room, and nothing more is read meanwhile. One that has not
            // taken all of it within the request timeout is cut off (see sendReply()).
            watchWritable(fd, connection, true);
            return;
        }
        forget(fd, true); // the connection broke
        return;
    }
    dropUnsent(connection); // lets go of the buffers
    if (connection.watchingWritable || connection.inputHeld || !connection.watched) {
        // Watched for what comes next, and for nothing else.
        connection.watchingWritable = false;
        connection.inputHeld = false;
        if (!watch(fd, connection))
            return;
    }
    if (!connection.keepAlive) {
        endWriting(fd, connection);
        connection.draining = true;
        connection.deadlineMs = monotonicMs() + DrainMs;
        drain(fd);
        return;
    }
    int keepAliveIdleMs;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        keepAliveIdleMs = m_limits.keepAliveIdleMs;
    }
    connection.requestStarted = false;
    connection.deadlineMs = monotonicMs() + keepAliveIdleMs;
    // The next request, or the end of the connection, may be here already (the poller said so
    // while the answer was being made, or it came with the request): read at once. If not, the
    // poller says when it comes. Decrypted bytes may wait in the connection: always look there.
    if (connection.tls || connection.peerEnded || std::exchange(connection.moreArrived, false))
        readHead(fd, connection);
}

bool RequestGate::watchWritable(int fd, Connection &connection, bool writable)
{
    if (connection.watchingWritable == writable)
        return true;
    connection.watchingWritable = writable;
    return !connection.watched || watch(fd, connection);
}

void RequestGate::endWriting(int fd, const Connection &connection)
{
    if (connection.tls)
        connection.tls->close();
    SocketCalls::shutdownSending(fd);
}

void RequestGate::answer(int fd, QByteArray response)
{
    auto it = m_connections.find(fd);
    if (it == m_connections.end())
        return;
    if (!it->second.continueLeft.isEmpty())
        response.prepend(std::exchange(it->second.continueLeft, QByteArray()));
    // Nothing more is read from it: what was, and a body decoded so far, go now.
    it->second.chunked.reset();
    it->second.received = QByteArray();
    // A response of an error's size fits in any socket buffer; if it does not, the client
    // was not reading anyway.
    if (!it->second.tls || it->second.tls->isEstablished()) {
        const SocketCalls::Piece whole{response.constData(), size_t(response.size())};
        [[maybe_unused]] SocketCalls::Count sent = sendPieces(fd, it->second, &whole, 1);
    }
    // Half-close and read on: closing with unread request bytes would reset the connection
    // and could destroy the response before the client reads it.
    endWriting(fd, it->second);
    if (!releaseInput(fd, it->second))
        return;
    it->second.draining = true;
    it->second.deadlineMs = monotonicMs() + DrainMs;
    drain(fd);
}

void RequestGate::drain(int fd)
{
    for (;;) {
        const SocketCalls::Count received = SocketCalls::receive(fd, m_buffer.data(), m_buffer.size());
        if (received > 0)
            continue;
        if (received < 0
            && (SocketCalls::lastFailure() == SocketCalls::Failure::WouldBlock
                || SocketCalls::lastFailure() == SocketCalls::Failure::Interrupted))
            return;
        forget(fd, true);
        return;
    }
}

void RequestGate::expire()
{
    const qint64 now = monotonicMs();
    if (now < m_nextSweepMs)
        return;
    m_nextSweepMs = now + SweepMs;
    if (m_acceptPaused && m_accepting && now >= m_acceptResumeMs) {
        watchListeners(true);
        m_acceptPaused = false;
    }

    std::vector<int> overdue;
    std::vector<int> lookAgain;
    for (const auto &[fd, connection] : m_connections) {
        if (now >= connection.deadlineMs && !connection.awaitingReply) // a handler always answers
            overdue.push_back(fd);
        else if (connection.peekedShort)
            lookAgain.push_back(fd);
    }
    for (int fd : lookAgain) {
        auto it = m_connections.find(fd);
        if (it != m_connections.end() && releaseInput(fd, it->second))
            readHead(fd, it->second);
    }
    for (int fd : overdue) {
        const Connection &connection = m_connections.at(fd);
        if (connection.draining || !connection.requestStarted || connection.hasUnsent())
            forget(fd, true);
        else if (connection.headRead)
            answer(fd, refusal(408, QStringLiteral("the request body did not arrive in time")));
        else
            answer(fd, refusal(408, QStringLiteral("the request did not arrive in time")));
    }
}
