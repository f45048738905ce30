#pragma once

#include <QByteArray>

class Event;

/// Herald's own events, encoded for the wire. They carry no id, so they never move a browser's
/// last event id, and their data is one line of JSON (see the README's "Herald's own events").
namespace HeraldNotice {

/// Some events after \a lastEventId could not be replayed: history no longer has them. It keeps
/// the events from \a oldestRetainedId (0: none) and the newest id is \a lastId.
QByteArray gap(quint64 lastEventId, quint64 oldestRetainedId, quint64 lastId);
/// The operator disconnected this page; it should not come back on its own.
QByteArray kicked();
/// Herald is stopping; the browser may come back later.
QByteArray shutdown(quint64 lastId);
/// The operator took back the event \a id.
QByteArray retract(quint64 id);
/// The event \a edited replaced its earlier version: its data is the json format's envelope of
/// the new version (Event::envelope()), with its "id".
QByteArray edit(const Event &edited);

} // namespace HeraldNotice
