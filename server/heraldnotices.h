#pragma once

#include <QByteArray>

class EventStore;

/// Herald's own events, encoded for the wire. They carry no id, so they never move a browser's
/// last event id, and their data is one line of JSON (see the README's "Herald's own events").
namespace HeraldNotice {

/// Some events after \a lastEventId could not be replayed: \a store no longer has them.
QByteArray gap(quint64 lastEventId, const EventStore &store);
/// The operator disconnected this page; it should not come back on its own.
QByteArray kicked();
/// Herald is stopping; the browser may come back later.
QByteArray shutdown(quint64 lastId);
/// The operator took back the event \a id.
QByteArray retract(quint64 id);

} // namespace HeraldNotice
