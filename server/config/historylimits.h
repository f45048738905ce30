#pragma once

#include <QtGlobal>

/// How much history is kept: whichever limit is reached first drops the oldest events.
struct HistoryLimits
{
    int maxEvents = 1000;
    qint64 maxBytes = 64 * 1024 * 1024; ///< of event text (see Event::dataSize())
};
