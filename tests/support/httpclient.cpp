#include "httpclient.h"

#include <QBuffer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTest>

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString HttpReply::error() const
{
    return json().object().value(QStringLiteral("error")).toString();
}

HttpReply httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body,
                      const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QBuffer *payload = new QBuffer;
    payload->setData(body);
    QNetworkReply *reply = manager.sendCustomRequest(request, method, payload);
    payload->setParent(reply);
    HttpReply result;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000)) {
        delete reply;
        return result; // status 0: no answer in time
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    delete reply;
    return result;
}

QByteArray rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(bytes);
    QByteArray answer;
    const bool closed = QTest::qWaitFor([&] {
        answer += socket.readAll();
        return socket.state() == QAbstractSocket::UnconnectedState;
    }, timeoutMs);
    if (!closed)
        answer += socket.readAll();
    return answer;
}
