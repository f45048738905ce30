#pragma once

#include <QByteArrayView>

/// Whether \a a and \a b name the same header: HTTP's names are case-insensitive (RFC 9110,
/// 5.1). Names of different lengths are told apart without comparing their letters, which is
/// most of the lookups one publish makes (each message field's several names against the few
/// headers a client sends).
inline bool isSameHeaderName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}
