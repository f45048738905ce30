#pragma once

#include "eventhistory.h"
#include "publishrequest.h"
#include "servicetypes.h"

#include <QObject>

#include <functional>
#include <limits>

/// How the store's engine is doing, for /healthz, /api/stats and the window.
struct EngineStatus
{
    QString name; ///< "local", or the cluster's Redis URL without its password
    bool reachable = true; ///< false: publishing is refused until the engine is back
    quint64 lag = 0; ///< events committed elsewhere that this node has not read yet
};

/// Where Herald's events live: it assigns their ids, keeps them, and replays them. The newest are
/// kept in memory, in an EventHistory, for replays; how events are numbered and made to last
/// is each store's own.
///
/// An append completes when the event is committed: kept as durably as the store promises and
/// numbered for good. It may complete before append() returns, or later on the service thread.
/// Committed events come out of eventCommitted() in id order, whoever appended them: that is
/// where the service picks them up to send to the streams.
class EventStore : public QObject
{
    Q_OBJECT

public:
    /// The committed event, or why it was not accepted (then event is null).
    struct Appended
    {
        EventPointer event;
        PublishError error = PublishError::None;
        QString message;
        quint64 duplicateOf = 0; ///< the id an earlier publish with the same idempotency key got
    };
    using AppendDone = std::function<void(const Appended &appended)>;
    /// What each request of a batch came to, in their order.
    using AppendBatchDone = std::function<void(const QList<Appended> &appended)>;
    using RetractDone = std::function<void(RetractOutcome outcome)>;
    using EditDone = std::function<void(EditOutcome outcome)>;

    explicit EventStore(const HistoryLimits &limits, QObject *parent = nullptr)
        : QObject(parent)
        , m_history(limits)
    {}

    /// Loads what the store holds. False, with a message a person can act on, when it cannot serve.
    virtual bool open(QString *errorMessage) = 0;
    /// Stops taking appends and makes what was taken durable.
    virtual void close() = 0;

    /// Numbers and keeps \a request, published at \a publishedAtMs; \a done is called once.
    /// A request whose idempotency key an earlier one had, while that event is retained, gets
    /// that event's id (duplicateOf) and makes no new event.
    /// A request the store cannot keep as it promises gets PublishError::Unavailable: nothing is
    /// acknowledged that the store could lose.
    virtual void append(const PublishRequest &request, qint64 publishedAtMs, AppendDone done) = 0;
    /// Numbers and keeps \a requests as events with consecutive ids, all or none, with their work
    /// shared (one journal write, one round trip); \a done is called once, with what each came to.
    /// Each request's idempotency key is looked up as append() does. The store's own may do it in
    /// one step; this one appends each within one batch, which on the service's thread nothing
    /// can come between.
    virtual void appendBatch(const QList<PublishRequest> &requests, qint64 publishedAtMs, AppendBatchDone done);
    /// What a batch gets whose first idempotency key an earlier batch had, but not all of its keys:
    /// a batch retried must be the same batch.
    static Appended keyReused();
    /// Gives \a count appends whose results, once all have come, go to \a done in their order.
    static QList<AppendDone> collected(qsizetype count, AppendBatchDone done);
    /// Appends from now until endBatch() may share their work (one journal write for all): each
    /// completes at endBatch() at the latest. Batches nest.
    virtual void beginBatch() {}
    virtual void endBatch() {}
    /// Takes the retained event \a id out of history for good; eventRetracted() tells everyone,
    /// and \a done is called once the retraction is as durable as an append would be.
    /// When the store cannot record it, the event stays, nobody is told, and \a done gets
    /// RetractOutcome::Unavailable.
    virtual void retract(quint64 id, RetractDone done) = 0;
    /// Puts \a edited, a new version of a retained event (Event::edited()), in its place for good:
    /// replays give only it from now on, eventEdited() tells everyone, and \a done is called once
    /// the edit is as durable as an append would be. When the store cannot record it, the earlier
    /// version stays, nobody is told, and \a done gets EditOutcome::Unavailable. Its encodings for
    /// the formats in use must be made before: stream threads read it from history at once.
    virtual void edit(EventPointer edited, EditDone done) = 0;

    /// The retained events after \a lastEventId that \a isVisible accepts (see EventHistory).
    EventReplay replayAfter(quint64 lastEventId, const EventFilter &isVisible) const
    {
        return m_history.replayAfter(lastEventId, isVisible);
    }
    /// The newest \a count retained events that \a isVisible accepts, oldest first, as many as
    /// fit in \a maxBytes of text (at least the newest).
    QList<EventPointer> latest(int count, const EventFilter &isVisible,
                               qint64 maxBytes = std::numeric_limits<qint64>::max()) const
    {
        return m_history.latest(count, isVisible, maxBytes);
    }
    /// How the service makes an event's encodings for the stream formats in use. The store calls
    /// it for a new version of an event before history holds it (see edit()).
    void setPrepare(std::function<void(const Event &event)> prepare) { m_prepare = std::move(prepare); }

    /// The events in memory, shared with the stream threads, which read catch-ups from them.
    const EventHistory &sharedHistory() const { return m_history; }
    /// Every retained event, oldest first.
    QList<EventPointer> events() const { return m_history.events(); }

    /// The id of the newest committed event, 0 when there is none.
    quint64 lastId() const { return m_history.lastId(); }
    int size() const { return m_history.size(); }
    /// The text of the retained events, in bytes.
    qint64 bytes() const { return m_history.bytes(); }
    void setLimits(const HistoryLimits &limits) { m_history.setLimits(limits); }
    virtual EngineStatus engineStatus() const { return {QStringLiteral("local"), true, 0}; }
    /// Why publishes are refused because of the store's storage, for a person; empty while
    /// publishing works.
    virtual QString storageProblem() const { return QString(); }

Q_SIGNALS:
    /// An event was committed; they come in id order.
    void eventCommitted(const EventPointer &event);
    /// A retained event was retracted: replays no longer include it.
    void eventRetracted(const EventPointer &event);
    /// A retained event was edited: \a edited has taken the earlier version's place.
    void eventEdited(const EventPointer &edited);
    /// Events stopped reaching the store's storage; \a message says why and what still works.
    /// Once each time it starts: while it lasts, storageProblem() says why publishes are refused.
    void storageFailed(const QString &message);
    /// A write succeeded again after storageFailed(): publishes are taken again.
    void storageRecovered();
    /// engineStatus() changed: the engine went away or came back.
    void engineStatusChanged();
    /// Events after \a lastSeenId were committed but can no longer be read (a cluster node came
    /// back after the shared stream had been trimmed past it): the streams are told so.
    void eventsMissed(quint64 lastSeenId);

protected:
    EventHistory &history() { return m_history; }
    void prepareEdited(const Event &edited) const
    {
        if (m_prepare)
            m_prepare(edited);
    }
    const EventHistory &history() const { return m_history; }

private:
    EventHistory m_history;
    std::function<void(const Event &event)> m_prepare;
};
