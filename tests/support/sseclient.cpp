#include "sseclient.h"

#include <QTest>

SseClient::SseClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &SseClient::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_closed = true; });
}

void SseClient::open(quint16 port, const QByteArray &pathAndQuery, const QList<QByteArray> &extraHeaders)
{
    open(QHostAddress::LocalHost, port, pathAndQuery, extraHeaders);
}

void SseClient::open(const QHostAddress &address, quint16 port, const QByteArray &pathAndQuery,
                     const QList<QByteArray> &extraHeaders)
{
    m_socket.connectToHost(address, port);
    sendRequest(address.toString().toUtf8() + ':' + QByteArray::number(port), pathAndQuery, extraHeaders);
}

void SseClient::openEncrypted(quint16 port, const QByteArray &pathAndQuery, const QList<QByteArray> &extraHeaders)
{
    m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    sendRequest("127.0.0.1:" + QByteArray::number(port), pathAndQuery, extraHeaders); // sent once encrypted
}

void SseClient::sendRequest(const QByteArray &host, const QByteArray &pathAndQuery,
                            const QList<QByteArray> &extraHeaders)
{
    QByteArray request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n";
    for (const QByteArray &header : extraHeaders)
        request += header + "\r\n";
    request += "\r\n";
    m_socket.write(request);
}

bool SseClient::waitForHead(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_headDone || m_closed; }, timeoutMs) && m_headDone;
}

bool SseClient::waitForEvents(int count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_events.size() >= count || m_closed; }, timeoutMs) && m_events.size() >= count;
}

bool SseClient::waitForClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

QStringList SseClient::dataOf(const QString &type) const
{
    QStringList list;
    for (const auto &event : m_events) {
        if (event.type == type)
            list.append(event.data);
    }
    return list;
}

void SseClient::onReadyRead()
{
    const QByteArray bytes = m_socket.readAll();
    if (!m_headDone) {
        m_buffer += bytes;
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        m_status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                m_headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
        }
        m_headDone = true;
        m_headSize = end + 4;
        m_chunked = header("Transfer-Encoding").toLower() == "chunked";
        const QByteArray rest = m_buffer.mid(end + 4);
        m_buffer.clear();
        takeBody(rest);
        return;
    }
    takeBody(bytes);
}

void SseClient::takeBody(const QByteArray &bytes)
{
    m_body += bytes;
    if (!m_chunked) {
        if (m_status == 200)
            m_events += m_parser.feed(bytes);
        return;
    }
    // Through a proxy the stream comes in chunks, and a last empty chunk ends the response.
    m_buffer += bytes;
    for (;;) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return;
        bool isNumber = false;
        const qsizetype size = qsizetype(m_buffer.left(lineEnd).trimmed().toLongLong(&isNumber, 16));
        if (!isNumber || m_buffer.size() < lineEnd + 2 + size + 2)
            return;
        if (size == 0) {
            m_closed = true; // the response is over, even if the connection is kept
            return;
        }
        if (m_status == 200)
            m_events += m_parser.feed(m_buffer.mid(lineEnd + 2, size));
        m_buffer.remove(0, lineEnd + 2 + size + 2);
    }
}
