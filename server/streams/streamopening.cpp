#include "streamopening.h"

#include "eventstore.h"
#include "heraldnotices.h"

StreamOpening streamOpening(const StreamRequest &request, const QByteArray &responseHead, const EventFilter &isVisible,
                            const EventStore &store, qint64 rewindBytes)
{
    StreamOpening opening;
    opening.preamble.append({responseHead, 0});
    const EventHistory &history = store.sharedHistory();
    // Events committed from now on reach the stream live; the catch-up ends with the newest before.
    const quint64 throughId = history.lastId();
    QList<EventPointer> replayed;
    quint64 afterId = throughId;
    if (request.resume) {
        const EventReplay replay = history.replayAfter(request.lastEventId, isVisible);
        afterId = request.lastEventId;
        if (replay.gap) {
            if (!isNtfyFormat(request.format)) // ntfy's streams have no such event
                opening.preamble.append(
                    {HeraldNotice::gap(request.lastEventId, history.oldestRetainedId(), history.lastId()), 0});
            const quint64 oldest = history.oldestRetainedId();
            afterId = oldest ? oldest - 1 : throughId;
        }
        replayed = replay.events;
    } else if (request.sinceMs >= 0) {
        afterId = history.lastIdBefore(request.sinceMs);
        replayed = history.replayAfter(afterId, isVisible).events;
    } else if (request.rewind > 0) {
        replayed = history.latest(request.rewind, isVisible, rewindBytes);
        if (!replayed.isEmpty())
            afterId = replayed.first()->id - 1;
    }
    // The stream thread reads encodings only; they are made here, on the service thread.
    for (const EventPointer &event : std::as_const(replayed))
        event->prepare(request.format);
    if (!replayed.isEmpty())
        opening.catchUp = {&history, afterId, throughId};
    return opening;
}
