#include "apirequest.h"

#include "headernames.h"
#include "requestgate.h"

#include <QHttpServerRequest>
#include <QUrl>

QByteArray ApiRequest::value(QByteArrayView name) const
{
    QByteArray joined;
    bool found = false;
    for (const auto &[key, value] : headers) {
        if (!isSameHeaderName(key, name))
            continue;
        if (found)
            joined += ", ";
        joined += value;
        found = true;
    }
    return joined;
}

namespace {

QByteArray nameOf(QHttpServerRequest::Method method)
{
    using Method = QHttpServerRequest::Method;
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Put:
        return "PUT";
    case Method::Delete:
        return "DELETE";
    case Method::Post:
        return "POST";
    case Method::Head:
        return "HEAD";
    case Method::Options:
        return "OPTIONS";
    case Method::Patch:
        return "PATCH";
    case Method::Connect:
        return "CONNECT";
    case Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

} // namespace

ApiRequest ApiRequest::of(const QHttpServerRequest &request)
{
    ApiRequest api;
    api.method = nameOf(request.method());
    api.path = request.url().path(QUrl::FullyEncoded).toUtf8();
    api.query = request.url().query(QUrl::FullyEncoded);
    api.headers = request.headers();
    api.body = request.body();
    api.peer = request.remoteAddress();
    return api;
}

ApiRequest ApiRequest::of(const GatedRequest &request)
{
    ApiRequest api;
    api.method = request.head.method;
    api.path = request.head.path();
    api.query = request.head.query(); // as QHttpServer reads the request target
    api.headers = request.head.headers;
    api.body = request.body;
    api.peer = QHostAddress(request.peer.address());
    api.encrypted = request.tls != nullptr;
    return api;
}
