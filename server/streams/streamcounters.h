#pragma once

#include <QtGlobal>

#include <atomic>

/// Figures of one stream, written by the shard that owns it and read by anyone.
struct StreamCounters
{
    std::atomic<quint64> eventsSent{0};
    std::atomic<quint64> bytesSent{0};
    std::atomic<quint64> queuedBytes{0};
    std::atomic<quint64> lastEventId{0};
};
