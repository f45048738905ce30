#pragma once

#include "eventstreamparser.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslSocket>

/// A raw-socket event-stream client, like an outside program would write: it sends a GET,
/// reads the HTTP head, and feeds the body to a spec parser.
class SseClient : public QObject
{
    Q_OBJECT

public:
    explicit SseClient(QObject *parent = nullptr);

    /// Connects and sends the request; \a pathAndQuery like "/events?topic=a".
    void open(quint16 port, const QByteArray &pathAndQuery, const QList<QByteArray> &extraHeaders = {});
    /// The same, to \a address rather than 127.0.0.1.
    void open(const QHostAddress &address, quint16 port, const QByteArray &pathAndQuery,
              const QList<QByteArray> &extraHeaders = {});
    /// The same over HTTPS to 127.0.0.1, trusting what QSslConfiguration's default trusts.
    void openEncrypted(quint16 port, const QByteArray &pathAndQuery, const QList<QByteArray> &extraHeaders = {});
    /// Waits until the response head has arrived. Returns false on time-out or disconnect.
    bool waitForHead(int timeoutMs = 5000);
    /// Waits until at least \a count events have been received.
    bool waitForEvents(int count, int timeoutMs = 5000);
    /// Waits until the server closes the connection.
    bool waitForClosed(int timeoutMs = 5000);

    int status() const { return m_status; }
    QByteArray header(const QByteArray &name) const { return m_headers.value(name.toLower()); }
    QByteArray rawBody() const { return m_body; }
    qsizetype headSize() const { return m_headSize; } ///< the status line and headers, with the blank line
    const QList<EventStreamParser::Event> &events() const { return m_events; }
    QStringList dataOf(const QString &type = QStringLiteral("message")) const;
    const EventStreamParser &parser() const { return m_parser; }
    bool isClosed() const { return m_closed; }
    QSslSocket &socket() { return m_socket; }

private:
    void onReadyRead();
    void sendRequest(const QByteArray &host, const QByteArray &pathAndQuery, const QList<QByteArray> &extraHeaders);
    void takeBody(const QByteArray &bytes);

    QSslSocket m_socket; ///< plain unless opened with openEncrypted()
    QByteArray m_buffer;
    bool m_headDone = false;
    qsizetype m_headSize = 0;
    bool m_closed = false; ///< the connection, or the response, is over
    bool m_chunked = false;
    int m_status = 0;
    QHash<QByteArray, QByteArray> m_headers;
    QByteArray m_body;
    EventStreamParser m_parser;
    QList<EventStreamParser::Event> m_events;
};
