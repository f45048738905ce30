#pragma once

#include "chunkedbody.h"
#include "httpanswer.h"
#include "loopmailbox.h"
#include "requesthead.h"
#include "socketcalls.h"
#include "socketpoller.h"
#include "tlscontext.h"
#include "tlssession.h"

#include <QByteArray>
#include <QList>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

/// A connection whose request head the gate has read and found acceptable.
struct GatedRequest
{
    int fd = -1; ///< whoever receives the request owns and closes it, unless the gate keeps it
    RequestHead head;
    SocketCalls::PeerAddress peer;
    int remainingMs = 0; ///< what is left of the request timeout, for reading the body
    QByteArray body; ///< of a request the gate read whole
    /// On the HTTPS port: the connection's TLS, which goes wherever its fd goes.
    std::shared_ptr<TlsSession> tls;
};

/// The front door of Herald's ports: one SocketPoller that accepts connections and reads each
/// request head under Herald's limits before anything else sees it. It runs on the thread that
/// takes its requests (see GateLoop), so a publish is read, kept and answered with no hop
/// between threads: runPass() reads what is ready, hands it to the receivers, and sends the
/// replies they made meanwhile.
///
/// On the HTTPS port it first does each connection's TLS handshake, without blocking and within
/// the request timeout, and then reads the decrypted request the same way. An encrypted request
/// is never handed on unread (only the gate can decrypt it): every one that is not a stream is
/// read whole, up to --max-body. With --tls-only the plain port answers every request with a
/// redirect (308) to the same path on the HTTPS port.
///
/// A GET on a stream path is taken off the socket and handed on at once, so opening an
/// event stream costs no Qt socket object. A request of a kind named in Routes::wholeRequests
/// whose head and body fit in the gate's buffer is read whole and handed on while the gate keeps
/// its connection: the receiver answers with reply(), and the gate sends the answer and goes on
/// with the next request on the connection, so pipelined requests are answered in turn. Every
/// other request is handed on with its bytes still unread in the kernel, for QHttpServer to
/// read. So a request head that has not arrived whole stays in the kernel, not in Herald's memory.
/// Where every request is read whole (Herald's own routes), a connection whose request was read
/// whole reads the next ones ahead as the HTTPS port does, one recv() a request rather than a
/// look and a read, and then reads every request whole (up to --max-body) as that port does.
///
/// Bytes the gate leaves in a socket on purpose (behind a request being answered, or a request a
/// look found incomplete) are not reported again by epoll, whose edges say only that more came.
/// A poller without edges (libuv) would report them on every pass: there such a socket is not
/// watched for input until the gate reads it, and a request a look found incomplete is looked
/// at again by the next sweep.
/// Malformed, oversized and slow requests are answered here (400, 411, 413, 414, 431,
/// 408, 505) and closed, and never reach a handler.
///
/// An answer the client does not take in full within the request timeout closes its
/// connection, and answers share their bytes: a body given to several replies is held once.
/// start(), runPass() and stop() belong to the gate's thread; the other public functions are
/// thread-safe, and a reply made on another thread wakes the gate through its poller.
class RequestGate
{
public:
    struct Limits
    {
        qint64 maxBodyBytes = 1024 * 1024;
        qint64 maxUploadBytes = 15 * 1024 * 1024; ///< the body of a request Routes::isUpload names
        /// Whether publishing needs the token (--token): an upload that carries no credential at
        /// all is then refused at its head (401), as is, without one, an upload from another
        /// device (403), before its body can hold more than --max-body of memory.
        bool publishingNeedsToken = false;
        int requestTimeoutMs = 10'000;
        int keepAliveIdleMs = 60'000;
    };
    /// Which requests the gate hands on in which way, by method and path.
    struct Routes
    {
        /// Whether a GET of this path (still percent-encoded) opens an event stream. Called on
        /// the gate's thread: it must need nothing but the path.
        std::function<bool(QByteArrayView path)> isStreamPath;
        /// (method, path): read whole, answered with reply(); "*" stands for any method or path.
        QList<QPair<QByteArray, QByteArray>> wholeRequests;
        /// Whether a request's body is a file, which may be as large as Limits::maxUploadBytes
        /// rather than maxBodyBytes. Called on the gate's thread: it must need nothing but the head.
        std::function<bool(const RequestHead &head)> isUpload;
        /// Paths the plain port serves even when it redirects everything else to HTTPS.
        QList<QByteArray> plainPaths;
    };
    /// Called on the gate's thread with every request of one pass.
    using RequestsArrived = std::function<void(std::vector<GatedRequest> requests)>;
    struct Receivers
    {
        RequestsArrived streams; ///< each receives its fd, with the head read off it
        RequestsArrived wholeRequests; ///< the gate keeps each fd: answer with reply()
        RequestsArrived others; ///< each receives its fd with the request still unread
    };

    /// The largest plain request, head and body, that the gate reads whole.
    static constexpr qsizetype MaxWholeRequest = RequestHeadParser::MaxHeadSize + 1;

    /// A listening socket, which stays the caller's.
    struct Listener
    {
        int fd = -1;
        std::shared_ptr<const TlsContext> tls; ///< null for plain HTTP
        quint16 redirectToTlsPort = 0; ///< of a plain one: answer every request with a 308 there
    };

    RequestGate(Routes routes, Receivers receivers);
    ~RequestGate();

    RequestGate(const RequestGate &) = delete;
    RequestGate &operator=(const RequestGate &) = delete;

    /// Starts accepting on \a listeners; the calling thread is the gate's from now on.
    bool start(std::vector<Listener> listeners, QString *errorMessage);
    /// Readable whenever runPass() has something to do.
    int pollDescriptor() const { return m_poller.descriptor(); }
    /// Whether runPass() should run again soon whatever pollDescriptor() says: the poller takes
    /// some changes only when it next looks (see SocketPoller::hasPendingChanges()).
    bool needsPassSoon() const { return m_poller.hasPendingChanges(); }
    /// Takes what is ready without waiting: accepts, reads, hands the requests read to the
    /// receivers, and sends the replies they and other threads made. On the gate's thread.
    void runPass();
    /// Where the poller has no descriptor to watch (pollDescriptor() < 0: libuv's on Windows),
    /// another thread waits until runPass() has something to do, or for \a timeoutMs (-1: for as
    /// long as it takes), and the next runPass() takes what it found. The gate's thread runs no
    /// pass while it waits (see GateLoop::Waiting::OnThread). False when waiting failed.
    bool waitForWork(int timeoutMs);
    /// Ends a waitForWork() in progress. Thread-safe.
    void wake() { m_mailbox.wake(); }
    /// Whether a connection has a deadline to keep: then runPass() should also run every
    /// SweepMs, whether anything is ready or not.
    bool hasDeadlines() const { return !m_connections.empty() || m_acceptPaused; }
    /// How often deadlines are looked at: they are coarse on purpose.
    static constexpr int SweepMs = 250;
    /// Gives connections accepted from now on this certificate; those open keep theirs.
    /// Thread-safe.
    void setTlsContext(std::shared_ptr<const TlsContext> tls);
    /// Accepts no more connections; those open go on as before. Thread-safe.
    void stopAccepting();
    /// Stops accepting, sends the replies still on their way, and closes every connection that
    /// has not been handed on. On the gate's thread.
    void stop();
    void setLimits(const Limits &limits);

    /// Sends \a response on \a fd (through \a tls on the HTTPS port), then closes it once the
    /// client has had time to read it.
    void respondAndClose(int fd, std::shared_ptr<TlsSession> tls, QByteArray response);
    /// Takes back a kept-alive connection whose last response has been sent in full.
    void readmit(int fd);
    /// Sends \a response to a request read whole, then reads the connection's next request, or
    /// closes it when the request did not keep it alive. A client that does not take the whole
    /// response at once (it reads none of its answers) is cut off.
    void reply(int fd, QByteArray response);
    /// The same for a response in two parts, so that a \a body shared by many replies (the
    /// same snapshot asked for by many clients at once) is held once, not once per reply.
    void reply(int fd, QByteArray head, QByteArray body);
    struct Reply
    {
        int fd;
        QByteArray response;
        QByteArray body = {}; ///< sent after \a response
    };
    /// reply() for several connections, with one wake-up of the gate.
    void reply(std::vector<Reply> replies);

    /// Bytes of replies that their clients have not taken yet, over every connection (a body
    /// shared by several replies counts once for each). Thread-safe.
    qint64 unsentReplyBytes() const { return m_unsentReplyBytes.load(std::memory_order_relaxed); }

    /// \a answer as the last on its connection, which closes after it.
    static QByteArray closing(HttpAnswer answer);
    /// The gate's own refusals: a JSON error with \a status, the last answer on its connection.
    static QByteArray refusal(int status, const QString &message);

private:
    struct Connection
    {
        qint64 deadlineMs = 0;
        bool requestStarted = false; ///< bytes have arrived, so a timeout earns a 408
        bool headRead = false; ///< of a request read whole: only its body is missing
        bool continued = false; ///< the request being read asked for, and was given, 100 Continue
        /// Of a request whose body comes in chunks: the body decoded so far.
        std::unique_ptr<ChunkedBody> chunked;
        /// What of that 100 Continue the socket had no room for: it goes ahead of the answer.
        QByteArray continueLeft;
        /// An answer has gone out on it (here, or from QHttpServer before it came back), which
        /// the client may not have read yet: its socket may have no room left.
        bool answeredBefore = false;
        bool draining = false; ///< answered; reading what is left until the client closes
        bool watched = false; ///< registered with the poller
        bool awaitingReply = false; ///< a request read whole is being answered: nothing else is read
        bool keepAlive = false; ///< of the request being answered
        bool watchingWritable = false; ///< part of the reply waits for room in the socket
        /// Not watched for input, by a poller without edges: bytes wait in the socket that are
        /// read only later (behind a request being answered, or looked at too soon), which it
        /// would report again and again.
        bool inputHeld = false;
        /// A look (MSG_PEEK) found only part of the request: the next sweep looks again.
        bool peekedShort = false;
        QByteArray unsent[2]; ///< what the client has yet to take of the reply: head, then body
        qsizetype unsentOffset = 0; ///< of unsent[0], already sent
        SocketCalls::PeerAddress peer;
        std::shared_ptr<TlsSession> tls; ///< on the HTTPS port
        /// Read off the socket (decrypted, on the HTTPS port) and taken by no request yet; see
        /// readsAhead().
        QByteArray received;
        bool peerEnded = false; ///< when it reads ahead: nothing more will arrive after \a received
        /// A plain connection whose last request was read whole, where Herald reads every request
        /// whole: it reads ahead, as on the HTTPS port, with one recv() a request rather than a
        /// look and a read.
        bool plainReadsAhead = false;
        quint16 redirectToTlsPort = 0; ///< see Listener
        /// When it reads ahead: the size of the request being read, head and body, once its head
        /// is read; what it reads stops there (or at MaxWholeRequest before).
        qsizetype wanted = 0;
        /// Bytes came after the request being answered: read on once the answer has gone, without
        /// waiting for the poller.
        bool moreArrived = false;

        bool hasUnsent() const { return !unsent[0].isEmpty() || !unsent[1].isEmpty(); }
        /// Whether its bytes are read into \a received (every request then read whole) rather than
        /// looked at in the kernel, where a request can be left for QHttpServer.
        bool readsAhead() const { return tls || plainReadsAhead; }
    };
    struct Command
    {
        enum Kind { Respond, Readmit, Reply, StopAccepting } kind;
        int fd;
        QByteArray response;
        QByteArray body = {};
        std::shared_ptr<TlsSession> tls = {};
    };

    void post(Command command);
    void post(std::vector<Command> commands);
    void applyCommands(std::vector<Command> commands);
    /// Gives the receivers what this pass read, and sends the replies they made, until neither
    /// is left (a reply may let a pipelined request be read) or HandOverRounds have gone.
    void handOver();
    static constexpr int HandOverRounds = 2;
    void acceptAll(const Listener &listener);
    /// Of a connection that reads ahead: goes on with the TLS handshake, if any, then takes what
    /// has arrived into \a connection's received bytes. False when there is nothing to read a
    /// request from yet, or the connection is gone.
    bool receive(int fd, Connection &connection);
    void readHead(int fd, Connection &connection);
    void sendReply(int fd, QByteArray head, QByteArray body);
    /// Hands the kernel what it takes of \a connection's reply, in one call; what sendPieces()
    /// returns.
    static SocketCalls::Count sendSome(int fd, const Connection &connection);
    /// Sends \a count pieces on \a connection in one call, through its TLS if it has one; what
    /// the socket took, or -1.
    static SocketCalls::Count sendPieces(int fd, const Connection &connection, const SocketCalls::Piece *pieces,
                                         int count);
    /// Sends nothing more on \a fd: TLS's close_notify, then the socket's half-close.
    static void endWriting(int fd, const Connection &connection);
    /// A 308 to the same path on the HTTPS port \a tlsPort, at the host \a head asked for.
    static QByteArray redirect(const RequestHead &head, quint16 tlsPort);
    /// Waits for \a fd to be writable (as well as readable) or not; false when the connection is
    /// gone (the poller refused it).
    bool watchWritable(int fd, Connection &connection, bool writable);
    /// Stops watching \a fd for input, or for anything once \a broken; false when the connection
    /// is gone.
    bool holdInput(int fd, Connection &connection, bool broken);
    /// Watches \a fd for input again; false when the connection is gone.
    bool releaseInput(int fd, Connection &connection);
    /// A plain connection whose request a look found incomplete: looked at again by the sweep.
    void waitAfterShortLook(int fd, Connection &connection);
    /// Lets go of what \a connection had yet to send.
    void dropUnsent(Connection &connection);
    /// Sends what is left of \a connection's reply; once it has all gone, goes on with the
    /// connection as its request asked.
    void sendUnsent(int fd, Connection &connection);
    void drain(int fd);
    void answer(int fd, QByteArray response);
    bool watch(int fd, Connection &connection);
    void forget(int fd, bool close);
    void expire();
    bool isStreamRequest(const RequestHead &head) const;
    /// The answer that refuses an upload \a head from \a peer at once, because no publish without
    /// a credential could pass (see Limits::publishingNeedsToken); empty when it may go on.
    static QByteArray refusedUpload(const RequestHead &head, const SocketCalls::PeerAddress &peer,
                                    const Limits &limits);
    /// Hands \a request, read whole (\a wholeSize bytes of the \a arrived), to the whole-request
    /// receiver, and keeps its connection for the answer.
    void takeWholeRequest(int fd, Connection &connection, GatedRequest request, qsizetype wholeSize, qsizetype arrived);
    /// Reads a body sent in chunks (Transfer-Encoding: chunked) as it comes, decoding it, and hands
    /// the request on once its last chunk has come. Of a connection that reads ahead, whose
    /// received bytes begin with the request's head.
    void readChunked(int fd, Connection &connection, GatedRequest request, qint64 maxBody, bool upload);
    /// The 413 for a body or, when \a upload, a file of \a size bytes past \a maxBody.
    static QByteArray tooLarge(bool upload, const QString &size, qint64 maxBody);
    /// Tells a client that waits for leave to send its body (RequestHead::expectsContinue()) that
    /// its accepted head is welcome, once per request; what the socket does not take goes ahead of
    /// the answer (continueLeft).
    void sendContinue(int fd, Connection &connection);
    /// The interim answer itself.
    static constexpr char ContinueAnswer[] = "HTTP/1.1 100 Continue\r\n\r\n";
    bool isWholeRequest(const RequestHead &head) const;
    const Listener *listenerOf(int fd) const;
    /// Has the poller say when any listener has a connection to accept, or stop saying so; false when
    /// one could not be changed.
    bool watchListeners(bool watched);

    const Routes m_routes;
    const Receivers m_receivers;

    SocketPoller m_poller;
    LoopMailbox<Command> m_mailbox{[this] {
        m_poller.wake();
    }};
    std::mutex m_mutex; // guards m_limits
    Limits m_limits;

    std::vector<Listener> m_listeners; // their contexts guarded by m_mutex
    std::vector<SocketPoller::Ready> m_ready; ///< of the pass running
    bool m_readyWaited = false; ///< m_ready is what waitForWork() found, for the next pass
    const bool m_edges = SocketPoller::reportsEdges();
    std::atomic<bool> m_running{false};
    /// The thread in a pass, while one runs: what it posts waits for the pass's end.
    std::atomic<std::thread::id> m_passThread;
    std::vector<Command> m_passCommands;
    bool m_accepting = true; ///< on the gate's thread
    bool m_acceptPaused = false;
    qint64 m_acceptResumeMs = 0;
    qint64 m_nextSweepMs = 0;
    std::unordered_map<int, Connection> m_connections;
    std::vector<GatedRequest> m_streams;
    std::vector<GatedRequest> m_wholeRequests;
    std::vector<GatedRequest> m_requests;
    std::vector<char> m_buffer;
    /// Every request is read whole (Routes::wholeRequests has "*" for both): plain connections
    /// may read ahead.
    bool m_readsEverythingWhole = false;
    std::atomic<qint64> m_unsentReplyBytes{0};
};
