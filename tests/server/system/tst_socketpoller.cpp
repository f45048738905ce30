#include "socketpoller.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <QDeadlineTimer>

#include <cerrno>
#include <poll.h>
#include <set>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace {

/// A real loopback TCP connection: the server end, as a descriptor the poller watches, and the
/// client end, as a QTcpSocket that writes and reads like a browser.
struct Connection
{
    int fd = -1;
    std::unique_ptr<QTcpSocket> client;

    ~Connection()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

std::unique_ptr<Connection> connectOne(QTcpServer &server)
{
    auto connection = std::make_unique<Connection>();
    connection->client = std::make_unique<QTcpSocket>();
    connection->client->connectToHost(QHostAddress::LocalHost, server.serverPort());
    if (!connection->client->waitForConnected(5000) || !server.waitForNewConnection(5000))
        return nullptr;
    QTcpSocket *accepted = server.nextPendingConnection();
    connection->fd = int(accepted->socketDescriptor());
    accepted->setParent(nullptr);
    // The descriptor becomes the test's: the QTcpSocket lets go of it.
    connection->fd = ::dup(connection->fd);
    delete accepted;
    return connection;
}

/// What a poller reports for \a key, waiting up to \a timeoutMs for it; 0 when it says nothing.
quint32 readinessOf(SocketPoller &poller, quint64 key, int timeoutMs = 5000)
{
    QDeadlineTimer deadline(timeoutMs);
    std::vector<SocketPoller::Ready> ready;
    do {
        if (!poller.wait(ready, int(qMax<qint64>(0, deadline.remainingTime()))))
            return 0;
        for (const SocketPoller::Ready &socket : ready) {
            if (socket.key == key)
                return socket.readiness;
        }
    } while (!deadline.hasExpired());
    return 0;
}

} // namespace

class tst_SocketPoller : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void saysNothingOfAnIdleSocket();
    void aSocketStaysReadableUntilItsBytesAreRead();
    void withEdgesOnlyMoreBytesAreReportedWhereThePollerHasThem();
    void roomToWriteIsReportedOnlyWhenAskedFor();
    void thePeersEndIsReadable();
    void anUnwatchedSocketIsNotReported();
    void eachSocketComesWithItsOwnKey();
    void aWaitWithATimeoutReturns();
    void aWakeFromAnotherThreadEndsAWait();
    void theDescriptorIsReadableWhileSomethingIsReady();

private:
    QTcpServer m_server;
    SocketPoller m_poller;
};

void tst_SocketPoller::init()
{
    if (!m_server.isListening())
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
    static bool opened = false;
    if (!opened) {
        QString error;
        QVERIFY2(m_poller.open(&error), qPrintable(error));
        opened = true;
    }
}

void tst_SocketPoller::saysNothingOfAnIdleSocket()
{
    auto connection = connectOne(m_server);
    QVERIFY(connection);
    QVERIFY(m_poller.watch(connection->fd, 7, SocketPoller::Input));
    std::vector<SocketPoller::Ready> ready;
    QVERIFY(m_poller.wait(ready, 0));
    QVERIFY(ready.empty());
    QVERIFY(m_poller.wait(ready, 50));
    QVERIFY(ready.empty());
    m_poller.unwatch(connection->fd);
}

void tst_SocketPoller::aSocketStaysReadableUntilItsBytesAreRead()
{
    auto connection = connectOne(m_server);
    QVERIFY(connection);
    QVERIFY(m_poller.watch(connection->fd, 11, SocketPoller::Input));
    connection->client->write("hello");
    QVERIFY(connection->client->waitForBytesWritten(5000));

    QCOMPARE(readinessOf(m_poller, 11), quint32(SocketPoller::Readable));
    // Level-triggered: unread bytes are reported again, at once.
    QCOMPARE(readinessOf(m_poller, 11, 0), quint32(SocketPoller::Readable));

    char buffer[16];
    QCOMPARE(::recv(connection->fd, buffer, sizeof buffer, 0), ssize_t(5));
    QCOMPARE(readinessOf(m_poller, 11, 50), quint32(0));
    m_poller.unwatch(connection->fd);
}

void tst_SocketPoller::withEdgesOnlyMoreBytesAreReportedWhereThePollerHasThem()
{
    auto connection = connectOne(m_server);
    QVERIFY(connection);
    QVERIFY(m_poller.watch(connection->fd, 31, SocketPoller::Input | SocketPoller::Edges));
    connection->client->write("looked at, not read");
    QVERIFY(connection->client->waitForBytesWritten(5000));
    QCOMPARE(readinessOf(m_poller, 31), quint32(SocketPoller::Readable));

    if (SocketPoller::reportsEdges()) {
        // The bytes wait unread, and are not reported again; more of them are.
        QCOMPARE(readinessOf(m_poller, 31, 100), quint32(0));
        connection->client->write("more");
        QVERIFY(connection->client->waitForBytesWritten(5000));
        QCOMPARE(readinessOf(m_poller, 31), quint32(SocketPoller::Readable));
        QCOMPARE(readinessOf(m_poller, 31, 100), quint32(0));
    } else {
        // Without edges the flag changes nothing: unread bytes are reported on every wait.
        QCOMPARE(readinessOf(m_poller, 31, 0), quint32(SocketPoller::Readable));
    }
    m_poller.unwatch(connection->fd);
}

void tst_SocketPoller::roomToWriteIsReportedOnlyWhenAskedFor()
{
    auto connection = connectOne(m_server);
    QVERIFY(connection);
    QVERIFY(m_poller.watch(connection->fd, 13, SocketPoller::Input));
    QCOMPARE(readinessOf(m_poller, 13, 50), quint32(0));

    QVERIFY(m_poller.watch(connection->fd, 13, SocketPoller::Input | SocketPoller::Output));
    QCOMPARE(readinessOf(m_poller, 13), quint32(SocketPoller::Writable));

    // Filled until the kernel refuses: no room is reported until the client reads.
    const QByteArray chunk(64 * 1024, 'x');
    qint64 written = 0;
    for (;;) {
        const ssize_t sent = ::send(connection->fd, chunk.constData(), size_t(chunk.size()), MSG_DONTWAIT);
        if (sent < 0) {
            QVERIFY(errno == EAGAIN || errno == EWOULDBLOCK);
            break;
        }
        written += sent;
    }
    QCOMPARE(readinessOf(m_poller, 13, 50), quint32(0));

    qint64 read = 0;
    quint32 readiness = 0;
    while (read < written && !(readiness & SocketPoller::Writable)) {
        QVERIFY(connection->client->waitForReadyRead(5000));
        read += connection->client->readAll().size();
        readiness = readinessOf(m_poller, 13, 0);
    }
    QVERIFY(readiness & SocketPoller::Writable);

    // Asked no more, said no more.
    QVERIFY(m_poller.watch(connection->fd, 13, SocketPoller::Input));
    QCOMPARE(readinessOf(m_poller, 13, 50), quint32(0));
    m_poller.unwatch(connection->fd);
}

void tst_SocketPoller::thePeersEndIsReadable()
{
    auto connection = connectOne(m_server);
    QVERIFY(connection);
    QVERIFY(m_poller.watch(connection->fd, 17, SocketPoller::Input));
    connection->client->disconnectFromHost();
    if (connection->client->state() != QAbstractSocket::UnconnectedState)
        QVERIFY(connection->client->waitForDisconnected(5000));

    QVERIFY(readinessOf(m_poller, 17) & SocketPoller::Readable);
    char buffer[16];
    QCOMPARE(::recv(connection->fd, buffer, sizeof buffer, 0), ssize_t(0));
    m_poller.unwatch(connection->fd);
}

void tst_SocketPoller::anUnwatchedSocketIsNotReported()
{
    auto connection = connectOne(m_server);
    QVERIFY(connection);
    QVERIFY(m_poller.watch(connection->fd, 19, SocketPoller::Input));
    m_poller.unwatch(connection->fd);
    connection->client->write("unheard");
    QVERIFY(connection->client->waitForBytesWritten(5000));
    QCOMPARE(readinessOf(m_poller, 19, 100), quint32(0));

    // Watched again, under a new key, as a shard does with a number a closed stream left.
    QVERIFY(m_poller.watch(connection->fd, 23, SocketPoller::Input));
    QCOMPARE(readinessOf(m_poller, 23), quint32(SocketPoller::Readable));
    m_poller.unwatch(connection->fd);
}

void tst_SocketPoller::eachSocketComesWithItsOwnKey()
{
    std::vector<std::unique_ptr<Connection>> connections;
    for (int i = 0; i < 20; ++i) {
        connections.push_back(connectOne(m_server));
        QVERIFY(connections.back());
        QVERIFY(m_poller.watch(connections.back()->fd, quint64(100 + i), SocketPoller::Input));
    }
    // Every other one speaks; those and only those are reported, each once a wait.
    for (int i = 0; i < 20; i += 2) {
        connections[size_t(i)]->client->write("x");
        QVERIFY(connections[size_t(i)]->client->waitForBytesWritten(5000));
    }
    std::set<quint64> heard;
    QDeadlineTimer deadline(5000);
    std::vector<SocketPoller::Ready> ready;
    while (heard.size() < 10 && !deadline.hasExpired()) {
        QVERIFY(m_poller.wait(ready, 100));
        std::set<quint64> once;
        for (const SocketPoller::Ready &socket : ready) {
            QVERIFY2(once.insert(socket.key).second, "a socket reported twice in one wait");
            heard.insert(socket.key);
        }
    }
    std::set<quint64> expected;
    for (int i = 0; i < 20; i += 2)
        expected.insert(quint64(100 + i));
    QCOMPARE(heard, expected);
    for (auto &connection : connections)
        m_poller.unwatch(connection->fd);
}

void tst_SocketPoller::aWaitWithATimeoutReturns()
{
    // Nothing is watched that could be ready: the wait ends by its timeout, empty.
    std::vector<SocketPoller::Ready> ready{{1, 1}};
    QVERIFY(m_poller.wait(ready, 30));
    QVERIFY(ready.empty());
}

void tst_SocketPoller::aWakeFromAnotherThreadEndsAWait()
{
    std::vector<SocketPoller::Ready> ready;
    std::thread waker([this] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        m_poller.wake();
    });
    // Waits without a timeout: only the wake can end it.
    QVERIFY(m_poller.wait(ready, -1));
    waker.join();
    QCOMPARE(ready.size(), size_t(1));
    QCOMPARE(ready[0].key, SocketPoller::Woken);

    // Wakes before a wait come as one, and once taken are not repeated.
    m_poller.wake();
    m_poller.wake();
    m_poller.wake();
    QVERIFY(m_poller.wait(ready, 0));
    if (ready.empty()) // a loop may need a turn to hear another thread
        QVERIFY(m_poller.wait(ready, 1000));
    QCOMPARE(ready.size(), size_t(1));
    QCOMPARE(ready[0].key, SocketPoller::Woken);
    QVERIFY(m_poller.wait(ready, 50));
    QVERIFY(ready.empty());
}

void tst_SocketPoller::theDescriptorIsReadableWhileSomethingIsReady()
{
    // As a Qt event loop drives the request gate: it waits on the descriptor, then takes what is
    // ready with a wait that does not block.
    auto connection = connectOne(m_server);
    QVERIFY(connection);
    QVERIFY(m_poller.watch(connection->fd, 29, SocketPoller::Input));
    std::vector<SocketPoller::Ready> ready;
    if (m_poller.hasPendingChanges())
        QVERIFY(m_poller.wait(ready, 0));
    QVERIFY(!m_poller.hasPendingChanges());
    pollfd descriptor{m_poller.descriptor(), POLLIN, 0};
    QCOMPARE(::poll(&descriptor, 1, 50), 0); // nothing yet

    connection->client->write("x");
    QVERIFY(connection->client->waitForBytesWritten(5000));
    QCOMPARE(::poll(&descriptor, 1, 5000), 1);
    QVERIFY(m_poller.wait(ready, 0));
    QCOMPARE(ready.size(), size_t(1));
    QCOMPARE(ready[0].key, quint64(29));
    m_poller.unwatch(connection->fd);
}

QTEST_GUILESS_MAIN(tst_SocketPoller)
#include "tst_socketpoller.moc"
