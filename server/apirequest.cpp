#include "apirequest.h"

#include "requestgate.h"

#include <QHttpServerRequest>
#include <QUrl>

QByteArray ApiRequest::value(QByteArrayView name) const
{
    QByteArray joined;
    bool found = false;
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (found)
            joined += ", ";
        joined += value;
        found = true;
    }
    return joined;
}

ApiRequest ApiRequest::of(const QHttpServerRequest &request)
{
    ApiRequest api;
    api.query = request.url().query(QUrl::FullyEncoded);
    api.headers = request.headers();
    api.body = request.body();
    api.peer = request.remoteAddress();
    return api;
}

ApiRequest ApiRequest::of(const GatedRequest &request)
{
    ApiRequest api;
    // As QHttpServer reads the request target.
    api.query = QUrl::fromEncoded(request.head.target).query(QUrl::FullyEncoded);
    api.headers = request.head.headers;
    api.body = request.body;
    api.peer = QHostAddress(reinterpret_cast<const sockaddr *>(&request.peer));
    return api;
}
