#pragma once

#include <QByteArray>
#include <QString>

/// The key of \a what under a cluster's \a prefix ("herald:events"), as every node spells it.
inline QByteArray redisKey(const QString &prefix, const QByteArray &what)
{
    return prefix.toUtf8() + ':' + what;
}

/// Where the event store keeps the id that each idempotency key made: this, then the key, under
/// the prefix.
inline constexpr char IdempotencyKeys[] = "idempotency:";
