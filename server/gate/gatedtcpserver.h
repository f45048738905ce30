#pragma once

#include "requestgate.h"

#include <QHostAddress>
#include <QTcpServer>

#include <memory>

class GateLoop;

/// Herald's listening socket. Its RequestGate accepts every connection and reads the request
/// head; stream requests come out as streamsRequested(), requests the gate reads whole as
/// wholeRequestsRead() (answered with reply()), and every other request goes on to QHttpServer
/// (bound to this server) as a QTcpSocket whose request is still unread. The gate runs on this
/// server's thread, and its signals come straight from its passes.
///
/// A connection carries one request at a time through QHttpServer: when the response has been
/// sent, a kept-alive connection goes back to the gate, so every request meets its limits.
class GatedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit GatedTcpServer(const RequestGate::Routes &routes, QObject *parent = nullptr);
    ~GatedTcpServer() override;

    /// HTTPS beside the plain port: \a port (0 picks a free one) with the certificate \a tls, and
    /// whether the plain port only redirects to it. Set before open().
    void listenTls(quint16 port, std::shared_ptr<const TlsContext> tls, bool tlsOnly);
    /// Gives connections from now on the certificate \a tls; those open keep theirs. Thread-safe.
    void setTlsContext(std::shared_ptr<const TlsContext> tls) { m_gate.setTlsContext(std::move(tls)); }
    /// Listens and starts the gate; false, with a message a person can act on, when it cannot.
    bool open(const QHostAddress &address, quint16 port, int backlog, QString *errorMessage);
    /// The HTTPS port, or 0 without one.
    quint16 tlsPort() const { return m_tlsListener ? m_tlsListener->serverPort() : 0; }
    /// Stops accepting and drops connections whose request has not been handed on.
    void shutDown();
    /// Takes no more connections; those open go on until shutDown(). Thread-safe.
    void stopAccepting() { m_gate.stopAccepting(); }
    void setLimits(const RequestGate::Limits &limits);
    /// Answers a stream request with an error; see RequestGate::respondAndClose().
    void respondAndClose(const GatedRequest &request, const QByteArray &response)
    {
        m_gate.respondAndClose(request.fd, request.tls, response);
    }
    /// Answers a request read whole; see RequestGate::reply(). Thread-safe: the replies made on
    /// this server's thread while it hands over what the gate read go out together as it ends.
    void reply(int fd, QByteArray response) { m_gate.reply(fd, std::move(response)); }
    /// The same, with a body that other replies may share; see RequestGate::reply().
    void reply(int fd, QByteArray head, QByteArray body) { m_gate.reply(fd, std::move(head), std::move(body)); }
    /// Bytes of replies still waiting for their clients; see RequestGate::unsentReplyBytes().
    qint64 unsentReplyBytes() const { return m_gate.unsentReplyBytes(); }

    QTcpSocket *nextPendingConnection() override;

    /// Says that the request on \a socket has been read in full and its answer is on the way,
    /// so the request timeout no longer applies to it.
    static void requestRead(QTcpSocket *socket);

Q_SIGNALS:
    /// GETs on a stream path, as many as arrived together. The receiver owns each fd;
    /// the head has been read off it.
    void streamsRequested(const std::vector<GatedRequest> &requests);
    /// Requests the gate read whole, head and body, as many as arrived together. The gate keeps
    /// each fd: answer every one with reply().
    void wholeRequestsRead(const std::vector<GatedRequest> &requests);

private:
    void adopt(const GatedRequest &request);

    RequestGate m_gate;
    /// Holds the HTTPS port, whose connections the gate accepts.
    std::unique_ptr<QTcpServer> m_tlsListener;
    quint16 m_tlsPort = 0;
    std::shared_ptr<const TlsContext> m_tls;
    bool m_tlsOnly = false;
    int m_requestTimeoutMs = RequestGate::Limits().requestTimeoutMs; ///< on this server's thread
    GateLoop *m_gateLoop = nullptr;
};
