/// Feeds arbitrary bytes to the request gate on an HTTPS listener, through real sockets: with
/// the first byte even, the bytes go raw to the TLS port (the handshake, garbage, plain HTTP);
/// odd, they go as the decrypted request stream after a real handshake (heads, bodies, pipelining
/// over TLS). The gate must answer or close every connection, and keep serving.
#include "certificateauthority.h"
#include "fuzzcheck.h"
#include "requestgate.h"
#include "tlscontext.h"

#include <QDateTime>
#include <QTemporaryDir>

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <memory>
#include <thread>

namespace {

struct Gate
{
    QTemporaryDir folder;
    int listeningFd = -1;
    quint16 port = 0;
    std::unique_ptr<RequestGate> gate;
    std::thread passes; ///< the gate's thread: a pass whenever its epoll set is ready, and for its deadlines
    std::atomic<bool> ending{false};
    SSL_CTX *client = nullptr;

    Gate()
    {
        std::signal(SIGPIPE, SIG_IGN); // as Herald does: a peer gone mid-write is an error, not the end
        CertificateAuthority authority(folder.filePath(QStringLiteral("tls")));
        QString error;
        require(authority.ensure({QStringLiteral("localhost")}, {QHostAddress(QHostAddress::LocalHost)},
                                 QDateTime::currentDateTimeUtc(), &error));
        std::shared_ptr<const TlsContext> tls
            = TlsContext::load(authority.certificateFile(), authority.keyFile(), &error);
        require(tls != nullptr);

        listeningFd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        require(::bind(listeningFd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
        require(::listen(listeningFd, 64) == 0);
        socklen_t length = sizeof address;
        getsockname(listeningFd, reinterpret_cast<sockaddr *>(&address), &length);
        port = ntohs(address.sin_port);

        RequestGate::Routes routes;
        routes.isStreamPath = [](QByteArrayView path) {
            return path == "/events";
        };
        routes.wholeRequests.append(qMakePair(QByteArray("*"), QByteArray("*")));
        const auto closeAll = [](std::vector<GatedRequest> requests) {
            for (const GatedRequest &request : requests)
                ::close(request.fd); // its TLS goes with the last copy of the request
        };
        gate = std::make_unique<RequestGate>(
            routes,
            RequestGate::Receivers{closeAll,
                                   [this](std::vector<GatedRequest> requests) {
                                       for (const GatedRequest &request : requests)
                                           gate->reply(request.fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                                   },
                                   closeAll});
        RequestGate::Limits limits;
        limits.maxBodyBytes = 64 * 1024;
        limits.requestTimeoutMs = 2000;
        gate->setLimits(limits);
        require(gate->start({{listeningFd, tls, 0}}, &error));
        // What Herald's GateLoop does from the service thread's event loop, without one.
        passes = std::thread([this] {
            while (!ending.load()) {
                pollfd ready{gate->pollDescriptor(), POLLIN, 0};
                ::poll(&ready, 1, RequestGate::SweepMs);
                gate->runPass();
            }
            gate->stop();
        });

        client = SSL_CTX_new(TLS_client_method());
    }
    ~Gate()
    {
        ending = true;
        passes.join();
    }
};

int connectToGate(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const timeval wait{3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    // libFuzzer's timer may interrupt the connect, which then goes on by itself: wait for it.
    int result = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
    while (result < 0 && (errno == EINTR || errno == EALREADY)) {
        pollfd writable{fd, POLLOUT, 0};
        ::poll(&writable, 1, 1000);
        result = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
        if (result < 0 && errno == EISCONN)
            result = 0;
    }
    require(result == 0);
    return fd;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Gate gate;
    if (size == 0)
        return 0;
    const bool afterHandshake = data[0] & 1;
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    const size_t length = size - 1;
    const int fd = connectToGate(gate.port);
    char buffer[4096];
    if (afterHandshake) {
        SSL *ssl = SSL_new(gate.client);
        SSL_set_fd(ssl, fd);
        int connected;
        do // libFuzzer's timer interrupts blocking calls
            connected = SSL_connect(ssl);
        while (connected != 1 && SSL_get_error(ssl, connected) == SSL_ERROR_WANT_READ && errno == EINTR);
        require(connected == 1); // the gate completes every real handshake
        if (length > 0)
            SSL_write(ssl, bytes, int(length));
        ::shutdown(fd, SHUT_WR);
        while (SSL_read(ssl, buffer, sizeof buffer) > 0) {}
        SSL_free(ssl);
    } else {
        if (length > 0) [[maybe_unused]]
            ssize_t sent = ::send(fd, bytes, length, MSG_NOSIGNAL);
        ::shutdown(fd, SHUT_WR);
        while (::recv(fd, buffer, sizeof buffer, 0) > 0) {}
    }
    ::close(fd);
    return 0;
}
