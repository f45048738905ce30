#include "gateloop.h"
#include "httpclient.h"
#include "requestgate.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>

namespace {

/// What the gate handed over, by way, as its receivers saw it on the gate's thread.
struct Received
{
    std::mutex mutex;
    std::vector<GatedRequest> streams;
    std::vector<GatedRequest> whole;
    std::vector<GatedRequest> others;

    size_t count(std::vector<GatedRequest> Received::*way)
    {
        std::lock_guard<std::mutex> lock(mutex);
        return (this->*way).size();
    }
    GatedRequest at(std::vector<GatedRequest> Received::*way, size_t index)
    {
        std::lock_guard<std::mutex> lock(mutex);
        return (this->*way).at(index);
    }
};

void sendAll(int fd, const QByteArray &bytes)
{
    [[maybe_unused]] ssize_t sent = ::send(fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
}

/// Everything the server sent on \a fd within \a timeoutMs; \a closed says whether it ended.
QByteArray readFor(int fd, int timeoutMs, bool *closed = nullptr)
{
    QByteArray bytes;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        char buffer[4096];
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got > 0) {
            bytes.append(buffer, got);
            continue;
        }
        if (got == 0) {
            if (closed)
                *closed = true;
            return bytes;
        }
    }
    if (closed)
        *closed = false;
    return bytes;
}

QByteArray publish(const QByteArray &body, const QByteArray &version = "HTTP/1.1")
{
    return "POST /publish " + version + "\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
}

} // namespace

/// The request gate's way for requests it reads whole (publishes): it reads the head and the
/// body under the limits, hands the request over, holds the connection until the reply, sends
/// it, and goes on with the next request on the connection. Over real loopback sockets, with the
/// gate run by a GateLoop on a thread of its own, as Herald's service thread runs it, while this
/// one plays the clients and answers from outside it. Every test runs twice: with the Qt event
/// loop watching the poller's descriptor (Linux, macOS), and with a thread waiting on the poller
/// for it (a poller that is no descriptor: Windows).
class tst_RequestGate : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void init();
    void cleanup();

    void eachRequestGoesItsWay();
    void aWholeRequestComesWithItsBodyWhateverPiecesItArrivesIn();
    void theConnectionWaitsForItsReplyThenGoesOn();
    void aRequestSentWhileTheLastWaitsIsReadAfterItsReply();
    void aKeptConnectionReadsAheadAndMissesNothing();
    void bytesLeftInASocketOnPurposeCostNoPasses();
    void aRequestThatKeepsNothingAliveEndsWithItsReply();
    void aBodyTooLargeForTheGateGoesToQHttpServersWay();
    void aBodyThatNeverArrivesGets408();
    void aClientThatLeftMeanwhileIsLetGoAfterTheReply();
    void stoppingClosesHeldConnectionsAndLaterRepliesTouchNothing();
    void aReplyTheClientTakesSlowlyArrivesWhole();
    void aRequestThatFillsTheBufferDoesNotHideTheNextOne();
    void repliesOnTheirWayWhenTheGateStopsStillGoOut();
    void whileStoppingARequestOnAnOpenConnectionGets503();
    void aRequestThatCameWhileTheThreadWasStoppingGets503();
    void anAnswerNotTakenInTimeClosesItsConnection();
    void repliesShareTheirBodyAndCountWhatIsUnsent();

private:
    /// With \a everythingWhole, every request is read whole, as Herald's own gate reads them; else
    /// only POST /publish.
    void startGate(int requestTimeoutMs = 10'000, bool everythingWhole = false);
    /// RequestGate::stop() on the gate's thread.
    void stopGate();
    /// A client connected to the gate (reads time out after 200 ms), closed after the test.
    int openClient();

    std::unique_ptr<Received> m_received;
    std::unique_ptr<RequestGate> m_gate;
    QThread m_gateThread;
    QObject *m_onGateThread = nullptr; ///< the context that runs calls there
    GateLoop *m_gateLoop = nullptr;
    int m_listeningFd = -1;
    quint16 m_port = 0;
    QList<int> m_clients;
};

void tst_RequestGate::initTestCase_data()
{
    QTest::addColumn<GateLoop::Waiting>("waiting");
    QTest::newRow("on its descriptor") << GateLoop::Waiting::OnDescriptor;
    QTest::newRow("on a thread of its own") << GateLoop::Waiting::OnThread;
}

void tst_RequestGate::init()
{
    m_received = std::make_unique<Received>();
}

void tst_RequestGate::cleanup()
{
    if (m_gate)
        stopGate();
    m_gateThread.quit();
    m_gateThread.wait();
    delete std::exchange(m_onGateThread, nullptr);
    m_gate.reset();
    for (int fd : std::as_const(m_clients))
        ::close(fd);
    m_clients.clear();
    if (m_listeningFd >= 0)
        ::close(m_listeningFd);
    m_listeningFd = -1;
    // Whatever the receivers took over is theirs to close.
    for (auto *way : {&m_received->streams, &m_received->others}) {
        for (const GatedRequest &request : *way)
            ::close(request.fd);
    }
}

void tst_RequestGate::startGate(int requestTimeoutMs, bool everythingWhole)
{
    m_listeningFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QVERIFY(::bind(m_listeningFd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0);
    QVERIFY(::listen(m_listeningFd, 64) == 0);
    socklen_t length = sizeof address;
    getsockname(m_listeningFd, reinterpret_cast<sockaddr *>(&address), &length);
    m_port = ntohs(address.sin_port);

    Received *received = m_received.get();
    auto into = [received](std::vector<GatedRequest> Received::*way) {
        return [received, way](std::vector<GatedRequest> requests) {
            std::lock_guard<std::mutex> lock(received->mutex);
            for (GatedRequest &request : requests)
                (received->*way).push_back(std::move(request));
        };
    };
    RequestGate::Routes routes;
    routes.isStreamPath = [](QByteArrayView path) {
        return path == "/events";
    };
    routes.wholeRequests = {{"POST", "/publish"}};
    if (everythingWhole)
        routes.wholeRequests = {{"*", "*"}};
    m_gate = std::make_unique<RequestGate>(
        routes, RequestGate::Receivers{into(&Received::streams), into(&Received::whole), into(&Received::others)});
    RequestGate::Limits limits;
    limits.requestTimeoutMs = requestTimeoutMs;
    m_gate->setLimits(limits);
    m_onGateThread = new QObject;
    m_onGateThread->moveToThread(&m_gateThread);
    m_gateThread.start();
    QString error;
    bool started = false;
    QFETCH_GLOBAL(GateLoop::Waiting, waiting);
    QMetaObject::invokeMethod(
        m_onGateThread,
        [&] {
            started = m_gate->start({{m_listeningFd, nullptr, 0}}, &error);
            if (started)
                m_gateLoop = new GateLoop(m_gate.get(), waiting);
        },
        Qt::BlockingQueuedConnection);
    QVERIFY2(started, qPrintable(error));
}

int tst_RequestGate::openClient()
{
    const int client = connectLoopback(m_port, 200);
    m_clients.append(client);
    return client;
}

void tst_RequestGate::stopGate()
{
    QMetaObject::invokeMethod(
        m_onGateThread,
        [this] {
            delete std::exchange(m_gateLoop, nullptr);
            m_gate->stop();
        },
        Qt::BlockingQueuedConnection);
}

void tst_RequestGate::eachRequestGoesItsWay()
{
    startGate();
    for (const QByteArray &request : {QByteArray("GET /events?topic=a HTTP/1.1\r\nHost: x\r\n\r\n"), publish("hello"),
                                      QByteArray("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
                                      QByteArray("GET /publish HTTP/1.1\r\nHost: x\r\n\r\n")}) {
        const int client = openClient();
        sendAll(client, request);
    }
    QTRY_COMPARE(m_received->count(&Received::streams), size_t(1));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    QTRY_COMPARE(m_received->count(&Received::others), size_t(2)); // a GET /publish is not a publish
    QCOMPARE(m_received->at(&Received::whole, 0).body, QByteArray("hello"));
    // What goes QHttpServer's way is still unread, for it to read.
    const GatedRequest other = m_received->at(&Received::others, 0);
    char head[16] = {};
    QVERIFY(::recv(other.fd, head, sizeof head - 1, MSG_PEEK) > 0);
    QVERIFY(QByteArray(head).startsWith("GET /"));
}

void tst_RequestGate::aWholeRequestComesWithItsBodyWhateverPiecesItArrivesIn()
{
    startGate();
    const int client = openClient();
    const QByteArray request = publish("one, two, three");
    const qsizetype headEnd = request.indexOf("\r\n\r\n") + 4;
    sendAll(client, request.left(20));
    QTest::qWait(50);
    sendAll(client, request.mid(20, headEnd - 20 + 3)); // the head, and three bytes of the body
    QTest::qWait(50);
    QCOMPARE(m_received->count(&Received::whole), size_t(0));
    sendAll(client, request.mid(headEnd + 3));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    const GatedRequest whole = m_received->at(&Received::whole, 0);
    QCOMPARE(whole.body, QByteArray("one, two, three"));
    QCOMPARE(whole.head.method, QByteArray("POST"));
    QCOMPARE(whole.head.value("Host"), QByteArray("127.0.0.1"));
    QCOMPARE(m_received->count(&Received::others), size_t(0));
}

void tst_RequestGate::theConnectionWaitsForItsReplyThenGoesOn()
{
    startGate();
    const int client = openClient();
    // Two publishes at once, then a request of another kind: the second is read only after the
    // first is answered, and the third only after the second.
    sendAll(client, publish("first") + publish("second") + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    QTest::qWait(50);
    QCOMPARE(m_received->count(&Received::whole), size_t(1));
    const GatedRequest first = m_received->at(&Received::whole, 0);
    QCOMPARE(first.body, QByteArray("first"));

    m_gate->reply(first.fd, "answer one;");
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(2));
    const GatedRequest second = m_received->at(&Received::whole, 1);
    QCOMPARE(second.body, QByteArray("second"));
    QCOMPARE(second.fd, first.fd);
    QCOMPARE(m_received->count(&Received::others), size_t(0));
    m_gate->reply(second.fd, "answer two;");
    QTRY_COMPARE(m_received->count(&Received::others), size_t(1));
    QCOMPARE(readFor(client, 300), QByteArray("answer one;answer two;"));

    // A later request on a connection that waited for a reply is read as it comes.
    const int later = openClient();
    sendAll(later, publish("third"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(3));
    m_gate->reply(m_received->at(&Received::whole, 2).fd, "answer three;");
    QCOMPARE(readFor(later, 300), QByteArray("answer three;"));
    sendAll(later, publish("fourth"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(4));
    QCOMPARE(m_received->at(&Received::whole, 3).body, QByteArray("fourth"));
    // Replies for several connections at once.
    m_gate->reply(std::vector<RequestGate::Reply>{{m_received->at(&Received::whole, 3).fd, "answer four;"}});
    QCOMPARE(readFor(later, 300), QByteArray("answer four;"));
}

void tst_RequestGate::aRequestSentWhileTheLastWaitsIsReadAfterItsReply()
{
    startGate();
    const int client = openClient();
    // The next request comes while the first is being answered, not with it: the gate has
    // heard it arrive and reads it once the answer has gone.
    sendAll(client, publish("first"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    sendAll(client, publish("second"));
    QTest::qWait(100);
    QCOMPARE(m_received->count(&Received::whole), size_t(1));
    m_gate->reply(m_received->at(&Received::whole, 0).fd, "one;");
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(2));
    QCOMPARE(m_received->at(&Received::whole, 1).body, QByteArray("second"));
    m_gate->reply(m_received->at(&Received::whole, 1).fd, "two;");
    QCOMPARE(readFor(client, 300), QByteArray("one;two;"));

    // A client that ends its side while its answer is made gets the answer, and its connection
    // is let go after it.
    sendAll(client, publish("third"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(3));
    ::shutdown(client, SHUT_WR);
    QTest::qWait(100);
    const int fd = m_received->at(&Received::whole, 2).fd;
    m_gate->reply(fd, "three;");
    bool closed = false;
    QCOMPARE(readFor(client, 2000, &closed), QByteArray("three;"));
    QVERIFY(closed);
    QTRY_VERIFY(fcntl(fd, F_GETFD) < 0);

    // The same when the end comes with the request.
    const int brief = openClient();
    sendAll(brief, publish("fourth"));
    ::shutdown(brief, SHUT_WR);
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(4));
    QTest::qWait(100);
    const int briefFd = m_received->at(&Received::whole, 3).fd;
    m_gate->reply(briefFd, "four;");
    QCOMPARE(readFor(brief, 2000, &closed), QByteArray("four;"));
    QVERIFY(closed);
    QTRY_VERIFY(fcntl(briefFd, F_GETFD) < 0);
}

void tst_RequestGate::bytesLeftInASocketOnPurposeCostNoPasses()
{
    // The gate's poller is level-triggered: a socket holding bytes the gate leaves there on
    // purpose is not watched for input until the gate reads it, or every pass would find it
    // ready again and the gate's thread would spin. Counted in passes, not in time: a spin
    // runs thousands of passes where a sweep every 250 ms runs two or three.
    startGate();
    const int client = openClient();
    // Behind a request being answered (pipelined in the same write).
    sendAll(client, publish("first") + publish("second"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    quint64 before = m_gateLoop->passes();
    QTest::qWait(300);
    QVERIFY2(m_gateLoop->passes() - before < 20,
             qPrintable(QStringLiteral("%1 passes").arg(m_gateLoop->passes() - before)));
    m_gate->reply(m_received->at(&Received::whole, 0).fd, "one;");
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(2));
    QCOMPARE(m_received->at(&Received::whole, 1).body, QByteArray("second"));
    m_gate->reply(m_received->at(&Received::whole, 1).fd, "two;");
    QCOMPARE(readFor(client, 300), QByteArray("one;two;"));

    // A head a look found incomplete, on a connection that leaves what it does not read whole
    // for QHttpServer: it is looked at again by the sweep, and arrives whole.
    const int slow = openClient();
    sendAll(slow, "GET /elsewhere HTTP/1.1\r\nHo");
    QTest::qWait(100);
    before = m_gateLoop->passes();
    QTest::qWait(300);
    QVERIFY2(m_gateLoop->passes() - before < 20,
             qPrintable(QStringLiteral("%1 passes").arg(m_gateLoop->passes() - before)));
    QCOMPARE(m_received->count(&Received::others), size_t(0));
    sendAll(slow, "st: 127.0.0.1\r\n\r\n");
    QTRY_COMPARE(m_received->count(&Received::others), size_t(1));
    QCOMPARE(m_received->at(&Received::others, 0).head.target, QByteArray("/elsewhere"));
}

void tst_RequestGate::aKeptConnectionReadsAheadAndMissesNothing()
{
    // Where every request is read whole, a connection whose request was read whole reads the
    // next ones ahead, off the socket: each kind of request after it still goes its way whole.
    startGate(10'000, true);
    const int client = openClient();
    sendAll(client, publish("first"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    m_gate->reply(m_received->at(&Received::whole, 0).fd, "one;");
    QCOMPARE(readFor(client, 300), QByteArray("one;"));

    // A body larger than the gate's buffer, in two pieces: read whole here too.
    const QByteArray large(RequestGate::MaxWholeRequest + 1000, 'L');
    const QByteArray request = publish(large);
    sendAll(client, request.left(40'000));
    QTest::qWait(50);
    QCOMPARE(m_received->count(&Received::whole), size_t(1));
    sendAll(client, request.mid(40'000));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(2));
    QCOMPARE(m_received->at(&Received::whole, 1).body, large);
    m_gate->reply(m_received->at(&Received::whole, 1).fd, "two;");
    QCOMPARE(readFor(client, 300), QByteArray("two;"));

    // Two at once, then one while the second waits: each after the answer before it.
    sendAll(client, publish("third") + publish("fourth"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(3));
    QCOMPARE(m_received->at(&Received::whole, 2).body, QByteArray("third"));
    m_gate->reply(m_received->at(&Received::whole, 2).fd, "three;");
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(4));
    QCOMPARE(m_received->at(&Received::whole, 3).body, QByteArray("fourth"));
    sendAll(client, publish("fifth"));
    QTest::qWait(50);
    m_gate->reply(m_received->at(&Received::whole, 3).fd, "four;");
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(5));
    QCOMPARE(m_received->at(&Received::whole, 4).body, QByteArray("fifth"));
    m_gate->reply(m_received->at(&Received::whole, 4).fd, "five;");
    QCOMPARE(readFor(client, 300), QByteArray("three;four;five;"));

    // A stream opened on the same connection goes to the streams, its head taken off.
    sendAll(client, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_received->count(&Received::streams), size_t(1));
    QCOMPARE(m_received->at(&Received::streams, 0).head.target, QByteArray("/events"));
    QCOMPARE(m_received->count(&Received::others), size_t(0));

    // And a client that leaves after its request is answered and let go.
    const int leaving = openClient();
    sendAll(leaving, publish("a"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(6));
    m_gate->reply(m_received->at(&Received::whole, 5).fd, "a;");
    QCOMPARE(readFor(leaving, 300), QByteArray("a;"));
    sendAll(leaving, publish("b"));
    ::shutdown(leaving, SHUT_WR);
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(7));
    const int fd = m_received->at(&Received::whole, 6).fd;
    m_gate->reply(fd, "b;");
    bool closed = false;
    QCOMPARE(readFor(leaving, 2000, &closed), QByteArray("b;"));
    QVERIFY(closed);
    QTRY_VERIFY(fcntl(fd, F_GETFD) < 0);
}

void tst_RequestGate::aRequestThatKeepsNothingAliveEndsWithItsReply()
{
    startGate();
    for (const QByteArray &request :
         {publish("old", "HTTP/1.0"),
          QByteArray("POST /publish HTTP/1.1\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx")}) {
        const int client = openClient();
        const size_t before = m_received->count(&Received::whole);
        sendAll(client, request);
        QTRY_COMPARE(m_received->count(&Received::whole), before + 1);
        m_gate->reply(m_received->at(&Received::whole, before).fd, "bye");
        bool closed = false;
        QCOMPARE(readFor(client, 2000, &closed), QByteArray("bye"));
        QVERIFY(closed);
    }
}

void tst_RequestGate::aBodyTooLargeForTheGateGoesToQHttpServersWay()
{
    startGate();
    const int client = openClient();
    const QByteArray body(RequestGate::MaxWholeRequest, 'b'); // under --max-body, over the gate's buffer
    sendAll(client, publish(body).left(2000));
    QTRY_COMPARE(m_received->count(&Received::others), size_t(1));
    QCOMPARE(m_received->count(&Received::whole), size_t(0));
    char head[16] = {};
    QVERIFY(::recv(m_received->at(&Received::others, 0).fd, head, sizeof head - 1, MSG_PEEK) > 0);
    QVERIFY(QByteArray(head).startsWith("POST /publish"));
}

void tst_RequestGate::aBodyThatNeverArrivesGets408()
{
    startGate(300);
    const int client = openClient();
    sendAll(client, publish("all of it").chopped(3));
    bool closed = false;
    const QByteArray answer = readFor(client, 3000, &closed);
    QVERIFY(answer.startsWith("HTTP/1.1 408 "));
    // The words QHttpServer's way used for a body that did not come.
    QVERIFY2(answer.contains("the request body did not arrive in time"), answer.constData());
    QVERIFY(closed);
    QCOMPARE(m_received->count(&Received::whole), size_t(0));
}

void tst_RequestGate::aClientThatLeftMeanwhileIsLetGoAfterTheReply()
{
    startGate();
    const int client = connectLoopback(m_port, 200);
    sendAll(client, publish("and gone"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    ::close(client); // while its publish is being answered
    QTest::qWait(50);
    const int fd = m_received->at(&Received::whole, 0).fd;
    QVERIFY(fcntl(fd, F_GETFD) >= 0); // held until the reply
    m_gate->reply(fd, "too late");
    QTRY_VERIFY(fcntl(fd, F_GETFD) < 0);
}

void tst_RequestGate::stoppingClosesHeldConnectionsAndLaterRepliesTouchNothing()
{
    startGate();
    const int client = openClient();
    sendAll(client, publish("held"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    const int fd = m_received->at(&Received::whole, 0).fd;
    stopGate();
    bool closed = false;
    readFor(client, 2000, &closed);
    QVERIFY(closed);
    // The number is free again and may well be taken by the next descriptor made; a reply that
    // comes late must leave that one alone.
    int pipeFds[2];
    QVERIFY(::pipe2(pipeFds, O_CLOEXEC) == 0);
    m_gate->reply(fd, "late");
    m_gate->reply(std::vector<RequestGate::Reply>{{fd, "later"}});
    QVERIFY(fcntl(pipeFds[0], F_GETFD) >= 0);
    QVERIFY(fcntl(pipeFds[1], F_GETFD) >= 0);
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
}

void tst_RequestGate::aReplyTheClientTakesSlowlyArrivesWhole()
{
    startGate();
    const int client = openClient();
    // A client that sends two requests at once and reads its answers only later: the first
    // answer is far more than the sockets hold.
    sendAll(client, publish("first") + publish("second"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    QByteArray big(64 * 1024 * 1024, 'a');
    big.back() = ';';
    m_gate->reply(m_received->at(&Received::whole, 0).fd, big);
    QTest::qWait(200);
    // Nothing more is read off the connection while its answer waits to go out.
    QCOMPARE(m_received->count(&Received::whole), size_t(1));

    QByteArray got;
    QElapsedTimer timer;
    timer.start();
    while (got.size() < big.size() && timer.elapsed() < 20'000)
        got += readFor(client, 100);
    QCOMPARE(got.size(), big.size());
    QVERIFY(got == big);
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(2));
    QCOMPARE(m_received->at(&Received::whole, 1).body, QByteArray("second"));
    m_gate->reply(m_received->at(&Received::whole, 1).fd, "two;");
    QCOMPARE(readFor(client, 300), QByteArray("two;"));
}

void tst_RequestGate::aRequestThatFillsTheBufferDoesNotHideTheNextOne()
{
    startGate();
    const int client = openClient();
    // The largest request the gate reads whole, with the next one right behind it.
    qsizetype bodySize = RequestGate::MaxWholeRequest - publish(QByteArray()).size();
    while (publish(QByteArray(bodySize, 'b')).size() > RequestGate::MaxWholeRequest)
        --bodySize;
    const QByteArray largest = publish(QByteArray(bodySize, 'b'));
    QCOMPARE(largest.size(), RequestGate::MaxWholeRequest);
    sendAll(client, largest + publish("next"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    QCOMPARE(m_received->at(&Received::whole, 0).body.size(), bodySize);
    m_gate->reply(m_received->at(&Received::whole, 0).fd, "one;");
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(2));
    QCOMPARE(m_received->at(&Received::whole, 1).body, QByteArray("next"));
    QCOMPARE(m_received->count(&Received::others), size_t(0));
}

void tst_RequestGate::repliesOnTheirWayWhenTheGateStopsStillGoOut()
{
    startGate();
    const int client = openClient();
    sendAll(client, publish("kept"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    // As Herald stops: no new connections, then the answers to what it kept, then the end.
    m_gate->stopAccepting();
    m_gate->reply(m_received->at(&Received::whole, 0).fd, "your event is kept");
    stopGate();
    bool closed = false;
    QCOMPARE(readFor(client, 2000, &closed), QByteArray("your event is kept"));
    QVERIFY(closed);
}

void tst_RequestGate::whileStoppingARequestOnAnOpenConnectionGets503()
{
    startGate();
    const int client = openClient();
    sendAll(client, publish("first"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    m_gate->stopAccepting();
    m_gate->reply(m_received->at(&Received::whole, 0).fd, "one;");
    QCOMPARE(readFor(client, 300), QByteArray("one;"));
    // Whoever would take a request is about to go: it is refused here rather than handed on.
    sendAll(client, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    bool closed = false;
    const QByteArray answer = readFor(client, 2000, &closed);
    QVERIFY2(answer.startsWith("HTTP/1.1 503 "), answer.constData());
    QVERIFY(answer.contains("Retry-After: 5"));
    QVERIFY(closed);
    QCOMPARE(m_received->count(&Received::streams), size_t(0));
}

void tst_RequestGate::aRequestThatCameWhileTheThreadWasStoppingGets503()
{
    startGate();
    const int client = openClient();
    sendAll(client, publish("first"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    m_gate->reply(m_received->at(&Received::whole, 0).fd, "one;");
    QCOMPARE(readFor(client, 300), QByteArray("one;"));

    // As Herald stops, its thread stops accepting, then is busy (saying goodbye to its streams)
    // with no pass until the gate stops: a request that comes meanwhile still gets its 503.
    const auto sent = std::make_shared<std::atomic<bool>>(false);
    QMetaObject::invokeMethod(m_onGateThread, [this, sent] {
        m_gate->stopAccepting();
        for (int i = 0; i < 200 && !sent->load(); ++i)
            QThread::msleep(10);
        QThread::msleep(50);
        delete std::exchange(m_gateLoop, nullptr);
        m_gate->stop();
    });
    sendAll(client, publish("second"));
    *sent = true;
    bool closed = false;
    const QByteArray answer = readFor(client, 3000, &closed);
    QVERIFY2(answer.startsWith("HTTP/1.1 503 "), answer.constData());
    QVERIFY(answer.contains("Retry-After: 5"));
    QVERIFY(closed);
    QCOMPARE(m_received->count(&Received::whole), size_t(1));
}

void tst_RequestGate::anAnswerNotTakenInTimeClosesItsConnection()
{
    startGate(500);
    const int client = openClient();
    sendAll(client, publish("hello"));
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(1));
    const QByteArray big(32 * 1024 * 1024, 'b');
    m_gate->reply(m_received->at(&Received::whole, 0).fd, big);
    QTRY_VERIFY(m_gate->unsentReplyBytes() > 0);
    // The client takes nothing for longer than the request timeout: the gate lets it go.
    QTRY_COMPARE_WITH_TIMEOUT(m_gate->unsentReplyBytes(), 0, 5000);
    bool closed = false;
    QByteArray got;
    for (int i = 0; i < 1000 && !closed; ++i)
        got += readFor(client, 100, &closed);
    QVERIFY(closed);
    QVERIFY(got.size() < big.size());
}

void tst_RequestGate::repliesShareTheirBodyAndCountWhatIsUnsent()
{
    startGate();
    QList<int> clients;
    for (int i = 0; i < 3; ++i) {
        clients.append(openClient());
        sendAll(clients.last(), publish("list, please"));
    }
    QTRY_COMPARE(m_received->count(&Received::whole), size_t(3));
    // One body for three answers: held once, counted for each while it waits.
    const QByteArray body(16 * 1024 * 1024, 'l');
    for (size_t i = 0; i < 3; ++i)
        m_gate->reply(m_received->at(&Received::whole, i).fd, "HEAD;", body);
    QTRY_VERIFY(m_gate->unsentReplyBytes() > 3 * (body.size() - 8 * 1024 * 1024));
    QVERIFY(!body.isDetached()); // the gate's answers are the very bytes, not copies

    for (int client : std::as_const(clients)) {
        QByteArray got;
        QElapsedTimer timer;
        timer.start();
        while (got.size() < body.size() + 5 && timer.elapsed() < 20'000)
            got += readFor(client, 100);
        QCOMPARE(got.size(), body.size() + 5);
        QVERIFY(got.startsWith("HEAD;llll"));
    }
    QTRY_COMPARE(m_gate->unsentReplyBytes(), 0);
    QTRY_VERIFY(body.isDetached());
}

QTEST_GUILESS_MAIN(tst_RequestGate)
#include "tst_requestgate.moc"
