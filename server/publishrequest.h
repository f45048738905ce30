#pragma once

#include <QByteArrayView>
#include <QString>
#include <QUrlQuery>

/// One event as a publisher asked for it, before it has an id.
struct PublishRequest
{
    QString data;
    QString type; ///< the SSE event type; empty for the default "message"
    QString topic;
    QString target; ///< a client id

    /// Why the request cannot be published, or an empty string when it can.
    /// The same rule holds for the HTTP API and for the control panel.
    QString validationError() const;
};

/// The outcome of decoding a POST /publish request.
struct PublishDecoding
{
    PublishRequest request;
    int status = 200; ///< an HTTP status; 200 means request is valid
    QString error;

    bool isValid() const { return status == 200; }
};

/// Decodes a publish request from its Content-Type, body and query, as the README documents:
/// a text/plain body is the data (with ?event=, ?topic= and ?to=), and an application/json
/// body is {"data": string or any JSON value, "event"?, "topic"?, "to"?}.
PublishDecoding decodePublishRequest(QByteArrayView contentType, QByteArrayView body,
                                     const QUrlQuery &query, qint64 maxBodyBytes);

/// A query value decoded as HTML forms encode it ("+" is a space).
QString formQueryValue(const QUrlQuery &query, const QString &key);

/// A query built from a URL's query string with form decoding ("+" is a space).
QUrlQuery formQuery(const QString &encodedQuery);
