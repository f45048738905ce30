#pragma once

#include "requestgate.h"

#include <QHostAddress>
#include <QTcpServer>

#include <memory>

/// Herald's listening socket. Its RequestGate accepts every connection and reads the request
/// head; stream requests come out as streamRequested(), and every other request goes on to
/// QHttpServer (bound to this server) as a QTcpSocket whose request is still unread.
///
/// A connection carries one request at a time through QHttpServer: when the response has been
/// sent, a kept-alive connection goes back to the gate, so every request meets its limits.
class GatedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    GatedTcpServer(const QList<QByteArray> &streamPaths, QObject *parent = nullptr);
    ~GatedTcpServer() override;

    /// Listens and starts the gate; false, with a message a person can act on, when it cannot.
    bool open(const QHostAddress &address, quint16 port, int backlog, QString *errorMessage);
    /// Stops accepting and drops connections whose request has not been handed on.
    void shutDown();
    void setLimits(const RequestGate::Limits &limits) { m_gate.setLimits(limits); }
    /// Answers a stream request with an error; see RequestGate::respondAndClose().
    void respondAndClose(int fd, const QByteArray &response) { m_gate.respondAndClose(fd, response); }

    QTcpSocket *nextPendingConnection() override;

    /// Says that the request on \a socket has been read in full and its answer is on the way,
    /// so the request timeout no longer applies to it.
    static void requestRead(QTcpSocket *socket);

Q_SIGNALS:
    /// GETs on a stream path, as many as arrived together. The receiver owns each fd;
    /// the head has been read off it.
    void streamsRequested(const std::vector<GatedRequest> &requests);

private:
    void adopt(const GatedRequest &request);

    RequestGate m_gate;
};
