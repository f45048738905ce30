#pragma once

#include "eventhistory.h"
#include "streamrequest.h"
#include "streamshard.h"

class EventStore;

/// What a new stream is sent before live events: \a responseHead, then what it asked to catch up
/// on: the events after its last id (after a herald-gap when \a store no longer has them all), or
/// the newest --page-history events it may see (?rewind=N). Events are encoded as it asked.
QList<StreamChunk> streamOpening(const StreamRequest &request, const QByteArray &responseHead,
                                 const EventFilter &isVisible, const EventStore &store);
