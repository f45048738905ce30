#pragma once

#include "eventhistory.h"
#include "streamrequest.h"
#include "streamshard.h"

class EventStore;

/// What a new stream is sent before live events.
struct StreamOpening
{
    QList<StreamChunk> preamble; ///< the response head, then a herald-gap if it missed events
    StreamCatchUp catchUp; ///< the retained events it catches up on, read as its socket drains
};

/// What a new stream is sent before live events: \a responseHead, then what it asked to catch up
/// on: the events after its last id (after a herald-gap when \a store no longer has them all), the
/// events published since a time, or the newest ?rewind=N events it may see, as many as fit in
/// \a rewindBytes of text. Those are
/// encoded now, as it asked, and read from history by its stream thread as it takes them.
StreamOpening streamOpening(const StreamRequest &request, const QByteArray &responseHead, const EventFilter &isVisible,
                            const EventStore &store, qint64 rewindBytes);
