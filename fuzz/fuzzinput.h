#pragma once

#include "publishdecoding.h"

#include <QByteArray>
#include <QByteArrayView>

// Reading the fuzzers' inputs, which hold a request's parts one after another.

/// The bytes up to the next NUL, moving \a rest past it.
inline QByteArrayView takeUntilNul(QByteArrayView *rest)
{
    const qsizetype nul = rest->indexOf('\0');
    const QByteArrayView part = nul < 0 ? *rest : rest->first(nul);
    *rest = nul < 0 ? QByteArrayView() : rest->sliced(nul + 1);
    return part;
}

/// Headers written "Name: value" a line each, looked up as a request's are (any case).
inline HeaderLookup headersOfLines(QByteArrayView lines)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QByteArray &line : lines.toByteArray().split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    return headersFrom(headers);
}
