#include "streamopening.h"

#include "eventstore.h"
#include "heraldnotices.h"

QList<StreamChunk> streamOpening(const StreamRequest &request, const QByteArray &responseHead,
                                 const EventFilter &isVisible, const EventStore &store)
{
    QList<StreamChunk> opening{{responseHead, 0}};
    QList<EventPointer> replayed;
    if (request.resume) {
        const EventReplay replay = store.replayAfter(request.lastEventId, isVisible);
        if (replay.gap)
            opening.append({HeraldNotice::gap(request.lastEventId, store), 0});
        replayed = replay.events;
    } else if (request.rewind > 0) {
        replayed = store.latest(request.rewind, isVisible);
    }
    for (const EventPointer &event : std::as_const(replayed)) {
        event->prepare(request.format);
        opening.append({event->encodedFor(request.format), event->id});
    }
    return opening;
}
