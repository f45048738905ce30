#include "gatedtcpserver.h"

#include "gateloop.h"
#include "socketcalls.h"

#include <QTcpSocket>
#include <QTimer>

namespace {
const QString RequestTimerName = QStringLiteral("herald-request-timer");
}

GatedTcpServer::GatedTcpServer(const RequestGate::Routes &routes, QObject *parent)
    : QTcpServer(parent)
    // The gate runs on this server's thread (see GateLoop): what it read is taken at once.
    , m_gate(routes,
             {[this](std::vector<GatedRequest> requests) { Q_EMIT streamsRequested(requests); },
              [this](std::vector<GatedRequest> requests) { Q_EMIT wholeRequestsRead(requests); },
              [this](std::vector<GatedRequest> requests) {
                  for (const GatedRequest &request : requests)
                      adopt(request);
              }})
{}

GatedTcpServer::~GatedTcpServer()
{
    shutDown();
}

namespace {

/// Makes \a server listen for the gate, which does the accepting; false with why in \a errorMessage.
bool listenForGate(QTcpServer &server, const QHostAddress &address, quint16 port, int backlog, const char *flag,
                   QString *errorMessage)
{
    server.setListenBacklogSize(backlog);
    if (!server.listen(address, port)) {
        *errorMessage = server.serverError() == QAbstractSocket::AddressInUseError
            ? QStringLiteral("port %1 is already in use on %2; choose another with %3")
                  .arg(port)
                  .arg(address.toString(), QLatin1String(flag))
            : QStringLiteral("cannot listen on %1 port %2: %3")
                  .arg(address.toString())
                  .arg(port)
                  .arg(server.errorString());
        return false;
    }
    // QTcpServer keeps the listening socket, so serverPort() and QHttpServer work as usual,
    // but the gate does the accepting.
    server.pauseAccepting();
    // Accepted sockets inherit this: event streams must not wait for Nagle's algorithm.
    SocketCalls::setNoDelay(int(server.socketDescriptor()));
    return true;
}

} // namespace

void GatedTcpServer::listenTls(quint16 port, std::shared_ptr<const TlsContext> tls, bool tlsOnly)
{
    m_tlsPort = port;
    m_tls = std::move(tls);
    m_tlsOnly = tlsOnly;
}

bool GatedTcpServer::open(const QHostAddress &address, quint16 port, int backlog, QString *errorMessage)
{
    if (!listenForGate(*this, address, port, backlog, "--port", errorMessage))
        return false;
    std::vector<RequestGate::Listener> listeners;
    if (m_tls) {
        m_tlsListener = std::make_unique<QTcpServer>();
        if (!listenForGate(*m_tlsListener, address, m_tlsPort, backlog, "--tls-port", errorMessage)) {
            close();
            return false;
        }
        listeners.push_back({int(m_tlsListener->socketDescriptor()), m_tls, 0});
    }
    listeners.push_back({int(socketDescriptor()), nullptr, quint16(m_tlsOnly ? tlsPort() : 0)});
    if (!m_gate.start(std::move(listeners), errorMessage))
        return false;
    m_gateLoop = new GateLoop(&m_gate, this);
    return true;
}

void GatedTcpServer::shutDown()
{
    delete std::exchange(m_gateLoop, nullptr);
    m_gate.stop();
    close();
    if (m_tlsListener)
        m_tlsListener->close();
}

QTcpSocket *GatedTcpServer::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    // QTcpServer resumes accepting whenever a pending connection is taken; only the gate accepts.
    pauseAccepting();
    return socket;
}

void GatedTcpServer::setLimits(const RequestGate::Limits &limits)
{
    m_requestTimeoutMs = limits.requestTimeoutMs;
    m_gate.setLimits(limits);
}

void GatedTcpServer::requestRead(QTcpSocket *socket)
{
    if (auto *timer = socket->findChild<QTimer *>(RequestTimerName, Qt::FindDirectChildrenOnly))
        timer->stop();
}

void GatedTcpServer::adopt(const GatedRequest &request)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(request.fd)) {
        SocketCalls::closeSocket(request.fd);
        delete socket;
        return;
    }
    // Qt reads this request and no further at first; anything pipelined waits in the kernel.
    // Once QHttpServer has taken the request, though, the socket reads on, and what it takes of
    // a pipelined request is lost to the gate. Counted here, before QHttpServer reads it.
    const qint64 requestSize = request.head.size + qint64(request.head.contentLength);
    socket->setReadBufferSize(requestSize);
    auto received = std::make_shared<qint64>(0);
    connect(socket, &QTcpSocket::readyRead, socket, [socket, received] { *received += socket->bytesAvailable(); });

    // The gate saw the head in time; the body has what is left of the request timeout.
    auto answered = std::make_shared<bool>(false);
    auto *timer = new QTimer(socket);
    timer->setObjectName(RequestTimerName);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [socket, answered] {
        if (*answered)
            return;
        *answered = true;
        socket->write(RequestGate::refusal(408, QStringLiteral("the request body did not arrive in time")));
        socket->disconnectFromHost();
    });
    timer->start(request.remainingMs);

    const bool keepAlive = request.head.keepAlive();
    const int answerTimeoutMs = m_requestTimeoutMs;
    connect(socket, &QTcpSocket::bytesWritten, socket,
            [this, socket, answered, timer, keepAlive, received, requestSize, answerTimeoutMs] {
                // QHttpServer answers once it has the whole request: what goes before is an interim
                // answer (Qt 6.5 and later say 100 Continue themselves), and the request goes on.
                if (*received < requestSize)
                    return;
                if (!*answered) {
                    // The answer has begun: the client has the request timeout to take all of it, or
                    // its connection closes, so that an answer nobody reads is not kept for ever.
                    *answered = true;
                    timer->stop();
                    disconnect(timer, &QTimer::timeout, nullptr, nullptr);
                    connect(timer, &QTimer::timeout, socket, [socket] {
                        if (socket->bytesToWrite() > 0)
                            socket->abort();
                    });
                    timer->start(answerTimeoutMs);
                }
                if (socket->bytesToWrite() > 0 || socket->state() != QAbstractSocket::ConnectedState)
                    return;
                timer->stop();
                // A client whose next request Qt has begun to read sends it again on a new connection,
                // as HTTP has clients do when a connection closes after an answer.
                if (!keepAlive || socket->bytesAvailable() > 0 || *received > requestSize) {
                    socket->disconnectFromHost();
                    return;
                }
                const int fd = SocketCalls::duplicate(int(socket->socketDescriptor()));
                socket->abort();
                if (fd >= 0)
                    m_gate.readmit(fd);
            });

    addPendingConnection(socket);
}
