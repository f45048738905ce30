/// Feeds arbitrary bytes to the request gate's head parser, the first code a stranger's bytes reach,
/// and checks that a Complete head is well-formed and does not depend on the bytes after it.
#include "fuzzcheck.h"
#include "requesthead.h"

namespace {

using Result = RequestHeadParser::Result;

bool sameHead(const RequestHead &a, const RequestHead &b)
{
    return a.method == b.method && a.target == b.target && a.minorVersion == b.minorVersion && a.headers == b.headers
        && a.size == b.size && a.contentLength == b.contentLength && a.chunked == b.chunked;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    RequestHead head;
    QString reason;
    const Result result = RequestHeadParser::parse(bytes, &head, &reason);

    const int status = RequestHeadParser::statusOf(result);
    require(status == 200 || status == 400 || status == 414 || status == 431 || status == 505);
    require(RequestHeadParser::parse(bytes, nullptr, nullptr) == result);

    if (result != Result::Complete) {
        require((result == Result::Incomplete) == reason.isEmpty());
        return 0;
    }

    require(head.size > 0 && head.size <= bytes.size());
    require(!head.method.isEmpty());
    require(head.target.startsWith('/') || head.target == "*");
    require(head.minorVersion == 0 || head.minorVersion == 1);
    require(head.headers.size() <= RequestHeadParser::MaxHeaders);
    require(head.contentLength >= 0);
    require(!(head.chunked && !head.value("Content-Length").isEmpty()));
    require(head.target.startsWith(head.path()));
    head.keepAlive();

    // An absolute-form target (http://host/path) comes as its path, with its host as the only Host.
    const QByteArrayView requestLine = bytes.first(head.size).trimmed();
    const qsizetype targetStart = requestLine.indexOf(' ') + 1;
    const QByteArrayView target = requestLine.sliced(targetStart, requestLine.indexOf(' ', targetStart) - targetStart);
    const qsizetype schemeEnd = target.indexOf("://");
    if (schemeEnd > 0 && !target.startsWith('/')) {
        qsizetype hosts = 0;
        for (const auto &[name, value] : head.headers)
            hosts += name.compare("Host", Qt::CaseInsensitive) == 0 ? 1 : 0;
        require(hosts == 1);
        const QByteArray host = head.value("Host");
        require(!host.isEmpty() && target.sliced(schemeEnd + 3).startsWith(host));
        const QByteArray rest = target.sliced(schemeEnd + 3 + host.size()).toByteArray();
        require(head.target == rest || head.target == '/' + rest);
    }

    // The head alone parses to the same head; one byte less is still waiting for its blank line.
    RequestHead headOnly;
    require(RequestHeadParser::parse(bytes.first(head.size), &headOnly, nullptr) == Result::Complete);
    require(sameHead(head, headOnly));
    require(RequestHeadParser::parse(bytes.first(head.size - 1), nullptr, nullptr) == Result::Incomplete);
    return 0;
}
