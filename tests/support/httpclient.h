#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QUrl>

/// What a test got back from one HTTP request.
struct HttpReply
{
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    QByteArray header(const QByteArray &name) const;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    QString error() const; ///< the "error" member of a JSON error body
};

/// Sends one request with a real QNetworkAccessManager and waits for the reply.
HttpReply httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                      const QList<QPair<QByteArray, QByteArray>> &headers = {});

/// POSTs \a body to \a path in one write on a fresh connection and waits for the answer.
/// QNetworkAccessManager sends a large body in pieces that wait on each other for tens of
/// milliseconds; this is for tests that publish many large events.
HttpReply postInOneWrite(quint16 port, const QByteArray &path, const QByteArray &contentType, const QByteArray &body,
                         int timeoutMs = 10000);

/// A blocking socket connected to 127.0.0.1:\a port, with no Qt buffering in this process, or -1.
/// With \a receiveTimeoutMs, a recv() that waits longer fails with EAGAIN. With
/// \a receiveBufferBytes, its receive buffer is that small from the start, which sets the window
/// the server sees: a client that reads little or nothing.
int connectLoopback(quint16 port, int receiveTimeoutMs = 0, int receiveBufferBytes = 0);

/// Sends raw bytes on a fresh TCP connection and returns everything the server answered
/// until it closed the connection or \a timeoutMs passed.
QByteArray rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs = 3000);
