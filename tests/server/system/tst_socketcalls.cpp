#include "socketcalls.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/// The socket calls the gate, the shards and the TLS session make, on real loopback connections:
/// what each call does, and why one that did nothing did nothing, which is what the callers act on.
class tst_SocketCalls : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void anAcceptedConnectionDoesNotBlockAndIsNotInherited();
    void receivingSaysWhyNothingCame();
    void aGatheredSendKeepsItsOrderAndTakesAtMostMaxPieces();
    void aFullSocketWouldBlock();
    void aPeerThatWentAwayIsAFailureNotASignal();
    void aDuplicateOutlivesTheOriginal();
    void endingTheSendingSideLetsThePeerStillSend();
    void aFailureSetIsTheFailureRead();

private:
    /// Accepts the connection of a new client, which the test holds as a plain blocking socket.
    int acceptOne(int *client, SocketCalls::PeerAddress *peer = nullptr);
    /// All the client can read within a second, up to \a size bytes.
    static QByteArray readFrom(int client, qsizetype size);

    int m_listening = -1;
    quint16 m_port = 0;
    std::vector<int> m_open;
};

namespace {

bool doesNotBlock(int fd)
{
    return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

bool closesOnExec(int fd)
{
    return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

/// What one receive() on \a fd gives once something has come (bytes, the end of the stream or a
/// failure other than having to wait), within five seconds; with the failure in \a failure.
SocketCalls::Count receiveOnceReady(int fd, char *buffer, size_t size, SocketCalls::Failure *failure)
{
    QDeadlineTimer deadline(5000);
    for (;;) {
        const SocketCalls::Count result = SocketCalls::receive(fd, buffer, size);
        *failure = result < 0 ? SocketCalls::lastFailure() : SocketCalls::Failure::None;
        if (*failure != SocketCalls::Failure::WouldBlock || deadline.hasExpired())
            return result;
        QThread::msleep(10);
    }
}

} // namespace

void tst_SocketCalls::init()
{
    m_listening = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    QVERIFY(m_listening >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QVERIFY(::bind(m_listening, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0);
    QVERIFY(::listen(m_listening, 16) == 0);
    socklen_t length = sizeof address;
    QVERIFY(getsockname(m_listening, reinterpret_cast<sockaddr *>(&address), &length) == 0);
    m_port = ntohs(address.sin_port);
}

void tst_SocketCalls::cleanup()
{
    for (int fd : m_open)
        ::close(fd);
    m_open.clear();
    ::close(m_listening);
}

int tst_SocketCalls::acceptOne(int *client, SocketCalls::PeerAddress *peer)
{
    *client = ::socket(AF_INET, SOCK_STREAM, 0);
    m_open.push_back(*client);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(m_port);
    if (::connect(*client, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0)
        return -1;
    SocketCalls::PeerAddress ignored;
    const int fd = SocketCalls::acceptConnection(m_listening, peer ? peer : &ignored);
    if (fd >= 0)
        m_open.push_back(fd);
    return fd;
}

QByteArray tst_SocketCalls::readFrom(int client, qsizetype size)
{
    const timeval second{1, 0};
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof second);
    QByteArray read;
    char buffer[4096];
    while (read.size() < size) {
        const ssize_t got = ::recv(client, buffer, std::min<size_t>(sizeof buffer, size_t(size - read.size())), 0);
        if (got <= 0)
            break;
        read.append(buffer, got);
    }
    return read;
}

void tst_SocketCalls::anAcceptedConnectionDoesNotBlockAndIsNotInherited()
{
    int client;
    SocketCalls::PeerAddress peer;
    const int fd = acceptOne(&client, &peer);
    QVERIFY(fd >= 0);
    QVERIFY(doesNotBlock(fd));
    QVERIFY(closesOnExec(fd));

    // The peer is the client's end, as accept() and getpeername() both say.
    sockaddr_in clientAddress{};
    socklen_t length = sizeof clientAddress;
    QCOMPARE(getsockname(client, reinterpret_cast<sockaddr *>(&clientAddress), &length), 0);
    const QHostAddress accepted(peer.address());
    QCOMPARE(accepted, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(ntohs(reinterpret_cast<const sockaddr_in *>(peer.address())->sin_port), ntohs(clientAddress.sin_port));
    SocketCalls::PeerAddress asked;
    QVERIFY(SocketCalls::peerAddress(fd, &asked));
    QCOMPARE(QHostAddress(asked.address()), accepted);

    // Nobody else is waiting: the listening socket would block.
    SocketCalls::PeerAddress none;
    QCOMPARE(SocketCalls::acceptConnection(m_listening, &none), -1);
    QCOMPARE(SocketCalls::lastFailure(), SocketCalls::Failure::WouldBlock);
}

void tst_SocketCalls::receivingSaysWhyNothingCame()
{
    int client;
    const int fd = acceptOne(&client);
    QVERIFY(fd >= 0);
    char buffer[64];
    QCOMPARE(SocketCalls::receive(fd, buffer, sizeof buffer), -1);
    QCOMPARE(SocketCalls::lastFailure(), SocketCalls::Failure::WouldBlock);

    // A look leaves the bytes for the read after it.
    QCOMPARE(::send(client, "hello", 5, 0), 5);
    QTRY_COMPARE(SocketCalls::peek(fd, buffer, sizeof buffer), 5);
    QCOMPARE(SocketCalls::receive(fd, buffer, sizeof buffer), 5);
    QCOMPARE(QByteArray(buffer, 5), QByteArray("hello"));
    QCOMPARE(SocketCalls::receive(fd, buffer, sizeof buffer), -1);

    // The end of the client's stream reads as nothing at all, which is not a failure.
    ::shutdown(client, SHUT_WR);
    SocketCalls::Failure failure;
    QCOMPARE(receiveOnceReady(fd, buffer, sizeof buffer, &failure), 0);

    // A client that resets its connection is gone.
    int resetting;
    const int second = acceptOne(&resetting);
    QVERIFY(second >= 0);
    const linger abort{1, 0};
    QCOMPARE(setsockopt(resetting, SOL_SOCKET, SO_LINGER, &abort, sizeof abort), 0);
    ::close(resetting);
    m_open.erase(std::find(m_open.begin(), m_open.end(), resetting));
    QCOMPARE(receiveOnceReady(second, buffer, sizeof buffer, &failure), -1);
    QCOMPARE(failure, SocketCalls::Failure::PeerGone);
}

void tst_SocketCalls::aGatheredSendKeepsItsOrderAndTakesAtMostMaxPieces()
{
    int client;
    const int fd = acceptOne(&client);
    QVERIFY(fd >= 0);
    const SocketCalls::Piece three[] = {{"data: one", 9}, {"\n", 1}, {"data: two\n\n", 11}};
    QCOMPARE(SocketCalls::sendPieces(fd, three, 3), 21);
    QCOMPARE(readFrom(client, 21), QByteArray("data: one\ndata: two\n\n"));

    // More pieces than one call takes: the first MaxPieces go, in order, as a send the kernel
    // took only part of would; the caller sends the rest after them.
    const int count = SocketCalls::MaxPieces + 10;
    QByteArray letters;
    for (int i = 0; i < count; ++i)
        letters.append(char('a' + i % 26));
    std::vector<SocketCalls::Piece> pieces;
    for (int i = 0; i < count; ++i)
        pieces.push_back({letters.constData() + i, 1});
    QCOMPARE(SocketCalls::sendPieces(fd, pieces.data(), count), SocketCalls::Count(SocketCalls::MaxPieces));
    QCOMPARE(SocketCalls::sendPieces(fd, pieces.data() + SocketCalls::MaxPieces, 10), 10);
    QCOMPARE(readFrom(client, count), letters);
}

void tst_SocketCalls::aFullSocketWouldBlock()
{
    int client;
    const int fd = acceptOne(&client);
    QVERIFY(fd >= 0);
    // The client reads nothing: the buffers fill, and then a send takes nothing and says why.
    const QByteArray chunk(64 * 1024, 'x');
    const SocketCalls::Piece piece{chunk.constData(), size_t(chunk.size())};
    qint64 sent = 0;
    for (int i = 0; i < 10'000; ++i) {
        const SocketCalls::Count result = SocketCalls::sendPieces(fd, &piece, 1);
        if (result < 0)
            break;
        sent += result;
    }
    QVERIFY(sent > 0);
    QCOMPARE(SocketCalls::lastFailure(), SocketCalls::Failure::WouldBlock);
}

void tst_SocketCalls::aPeerThatWentAwayIsAFailureNotASignal()
{
    int client;
    const int fd = acceptOne(&client);
    QVERIFY(fd >= 0);
    const linger abort{1, 0};
    QCOMPARE(setsockopt(client, SOL_SOCKET, SO_LINGER, &abort, sizeof abort), 0);
    ::close(client);
    m_open.erase(std::find(m_open.begin(), m_open.end(), client));
    // The test keeps SIGPIPE's default, which would end it: the send must not raise it.
    const SocketCalls::Piece piece{"data: late\n\n", 12};
    QTRY_VERIFY(SocketCalls::sendPieces(fd, &piece, 1) == -1
                && SocketCalls::lastFailure() == SocketCalls::Failure::PeerGone);
    const SocketCalls::Piece two[] = {piece, piece};
    QCOMPARE(SocketCalls::sendPieces(fd, two, 2), -1);
    QCOMPARE(SocketCalls::lastFailure(), SocketCalls::Failure::PeerGone);
}

void tst_SocketCalls::aDuplicateOutlivesTheOriginal()
{
    int client;
    const int fd = acceptOne(&client);
    QVERIFY(fd >= 0);
    const int copy = SocketCalls::duplicate(fd);
    QVERIFY(copy >= 0);
    m_open.push_back(copy);
    QVERIFY(copy != fd);
    QVERIFY(doesNotBlock(copy));
    QVERIFY(closesOnExec(copy));
    SocketCalls::closeSocket(fd);
    m_open.erase(std::find(m_open.begin(), m_open.end(), fd));
    const SocketCalls::Piece piece{"still here", 10};
    QCOMPARE(SocketCalls::sendPieces(copy, &piece, 1), 10);
    QCOMPARE(readFrom(client, 10), QByteArray("still here"));
    QCOMPARE(SocketCalls::duplicate(-1), -1);
}

void tst_SocketCalls::endingTheSendingSideLetsThePeerStillSend()
{
    int client;
    const int fd = acceptOne(&client);
    QVERIFY(fd >= 0);
    const SocketCalls::Piece piece{"bye", 3};
    QCOMPARE(SocketCalls::sendPieces(fd, &piece, 1), 3);
    SocketCalls::shutdownSending(fd);
    // The client reads what was sent, then the end.
    QCOMPARE(readFrom(client, 10), QByteArray("bye"));
    char buffer[8];
    QCOMPARE(::recv(client, buffer, sizeof buffer, 0), 0);
    // What it sends after that still arrives.
    QCOMPARE(::send(client, "late", 4, 0), 4);
    SocketCalls::Failure failure;
    QCOMPARE(receiveOnceReady(fd, buffer, sizeof buffer, &failure), 4);
    QCOMPARE(QByteArray(buffer, 4), QByteArray("late"));
}

void tst_SocketCalls::aFailureSetIsTheFailureRead()
{
    // The TLS session answers as the socket calls do by leaving its reason this way.
    using SocketCalls::Failure;
    for (Failure failure : {Failure::WouldBlock, Failure::Interrupted, Failure::OutOfResources, Failure::PeerGone,
                            Failure::Other, Failure::None}) {
        SocketCalls::setLastFailure(failure);
        QCOMPARE(SocketCalls::lastFailure(), failure);
    }
}

QTEST_GUILESS_MAIN(tst_SocketCalls)
#include "tst_socketcalls.moc"
