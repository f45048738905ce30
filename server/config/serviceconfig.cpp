#include "serviceconfig.h"

#include "openfiles.h"
#include "settingstable.h"

#include <QRandomGenerator>
#include <QtGlobal>

#include <algorithm>

namespace {

// Descriptors kept for the journal, the API and the panel when the open-file limit sets the
// number of streams.
constexpr long ReservedDescriptors = 128;

} // namespace

void ServiceConfig::takeLiveSettings(const ServiceConfig &other)
{
    for (const Setting *setting : SettingsTable::All) {
        if (setting->takenLive())
            setting->copy(other, *this);
    }
}

void ServiceConfig::settleReadToken(const QString &previous)
{
    if (!privateStreams || token.isEmpty() || hasReadToken())
        return;
    readToken = !previous.isEmpty() && previous != token ? previous : generateToken();
}

bool ServiceConfig::hasReadToken() const
{
    return privateStreams && !token.isEmpty() && !readToken.isEmpty() && readToken != token;
}

QString ServiceConfig::generateToken()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QString generated;
    for (int i = 0; i < 32; ++i)
        generated += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(64)]);
    return generated;
}

bool ServiceConfig::isClusterPrefix(const QString &prefix)
{
    return !prefix.isEmpty() && !prefix.contains(u'*')
        && std::none_of(prefix.cbegin(), prefix.cend(), [](QChar c) { return c.isSpace(); });
}

int ServiceConfig::streamsAllowed() const
{
    if (maxStreams > 0)
        return maxStreams;
    // Every stream is a descriptor.
    const long openFiles = openFileLimit();
    return int(std::clamp<long>(openFiles - ReservedDescriptors, 1, 10'000'000));
}
