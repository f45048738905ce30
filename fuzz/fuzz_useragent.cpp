/// Describes arbitrary User-Agent headers, which any client on the network chooses, and checks
/// that the control panel always gets a short, single-line, non-empty name for the client.
#include "fuzzcheck.h"
#include "useragent.h"

#include <QString>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString userAgent = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString description = describeUserAgent(userAgent);

    require(!description.isEmpty());
    require(description.size() <= MaxUserAgentDescription);
    for (const QChar c : description)
        require(c.isPrint() || c.isSurrogate());
    require(describeUserAgent(userAgent) == description);
    return 0;
}
