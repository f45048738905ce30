#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

class QHttpServerRequest;
struct GatedRequest;

/// What HttpApi reads of one request, whichever way it came in: through QHttpServer, or read
/// whole by the request gate. Both give the same values for the same bytes on the wire.
struct ApiRequest
{
    QByteArray method; ///< as sent: GET, HEAD, POST, ...
    QByteArray path; ///< the target's path, still percent-encoded, as sent
    QString query; ///< the query string, percent-encoded, as QUrl::query(QUrl::FullyEncoded) gives it
    QList<QPair<QByteArray, QByteArray>> headers; ///< as sent, in order
    QByteArray body;
    QHostAddress peer; ///< the other end of the connection
    bool encrypted = false; ///< it came over HTTPS

    /// The value of header \a name, case-insensitive. Several headers of that name come joined
    /// with ", ", as QHttpServerRequest::value() joins them.
    QByteArray value(QByteArrayView name) const;

    static ApiRequest of(const QHttpServerRequest &request);
    static ApiRequest of(const GatedRequest &request);
};
