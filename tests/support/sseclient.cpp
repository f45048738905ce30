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
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    QByteArray request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
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
    return QTest::qWaitFor([&] { return m_events.size() >= count || m_closed; }, timeoutMs)
            && m_events.size() >= count;
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
        const QByteArray rest = m_buffer.mid(end + 4);
        m_buffer.clear();
        m_body += rest;
        if (m_status == 200)
            m_events += m_parser.feed(rest);
        return;
    }
    m_body += bytes;
    if (m_status == 200)
        m_events += m_parser.feed(bytes);
}
