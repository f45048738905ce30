#include "rediseventstore.h"

#include "logging.h"
#include "rediskeys.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <limits>

namespace {

constexpr int ReadBlockMs = 5000;
constexpr int MaxBackoffMs = 5000;
constexpr int FirstBackoffMs = 200;
constexpr int HousekeepingMs = 2000;
constexpr int ControlStreamLength = 10000;
constexpr int IdempotencySeconds = 24 * 3600;
const QByteArray EventsKey = "events";
const QByteArray CounterKey = "counter";
const QByteArray ControlKey = "control";
const QByteArray EditsKey = "edits"; ///< a hash: event id -> its newest version (editJson())

// Numbers a batch of events (one publish is a batch of one) and appends them, one after the other,
// in one step no other publish can come between: their ids are consecutive. The counter is first
// raised past the floor (the highest id the publishing node has seen) and past the newest entry,
// so that a Redis that lost its data never hands out an id twice. A batch whose first idempotency
// key made an event still in the stream is a retry of one that was taken: it makes no event, and
// gets the ids each key made; one with more events than that batch made is refused (KEYREUSED).
// KEYS: counter, events. ARGV: floor, length, idempotency seconds, the prefix of idempotency keys,
// the number of events, then for each: data, event, topic, to, time, the message fields as JSON,
// its idempotency key (empty for none). Returns {id, 1 when an earlier batch made it, ...}.
const QByteArray PublishBatchScript = R"lua(
local count = tonumber(ARGV[5])
local replies = {}
if ARGV[12] ~= '' then
  local earlier = redis.call('GET', ARGV[4] .. ARGV[12])
  if earlier and redis.call('XRANGE', KEYS[2], earlier .. '-0', earlier .. '-0')[1] then
    for i = 0, count - 1 do
      local made = redis.call('GET', ARGV[4] .. ARGV[12 + 7 * i])
      if not made then return redis.error_reply('KEYREUSED') end
      table.insert(replies, tonumber(made))
      table.insert(replies, 1)
    end
    return replies
  end
end
local floor = tonumber(ARGV[1])
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if newest[1] then floor = math.max(floor, tonumber(string.match(newest[1][1], '^(%d+)'))) end
if tonumber(redis.call('GET', KEYS[1]) or '0') < floor then redis.call('SET', KEYS[1], floor) end
for i = 0, count - 1 do
  local at = 6 + 7 * i
  local id = redis.call('INCR', KEYS[1])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], id .. '-0', 'data', ARGV[at], 'event', ARGV[at + 1],
             'topic', ARGV[at + 2], 'to', ARGV[at + 3], 'time', ARGV[at + 4], 'fields', ARGV[at + 5])
  if ARGV[at + 6] ~= '' then redis.call('SET', ARGV[4] .. ARGV[at + 6], id, 'EX', ARGV[3]) end
  table.insert(replies, id)
  table.insert(replies, 0)
end
return replies
)lua";

// Raises the counter past the floor and the newest entry; returns {the counter before, after}.
const QByteArray RaiseScript = R"lua(
local floor = tonumber(ARGV[1])
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if newest[1] then floor = math.max(floor, tonumber(string.match(newest[1][1], '^(%d+)'))) end
local before = tonumber(redis.call('GET', KEYS[1]) or '0')
if before < floor then redis.call('SET', KEYS[1], floor); return {before, floor} end
return {before, before}
)lua";

// Takes an event out of the stream and tells every node. KEYS: events, control, edits. ARGV: id, length.
const QByteArray RetractScript = R"lua(
local removed = redis.call('XDEL', KEYS[1], ARGV[1] .. '-0')
if removed == 1 then
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', 'retract', 'id', ARGV[1])
end
return removed
)lua";

// Keeps a new version of an event that is still in the stream and tells every node; forgets the
// versions of events the stream has let go. KEYS: events, control, edits. ARGV: id, length,
// revision, the version's JSON. Returns 1, 0 when there is no such event, or -1 when the event
// was edited to this revision or a later one meanwhile.
const QByteArray EditScript = R"lua(
if not redis.call('XRANGE', KEYS[1], ARGV[1] .. '-0', ARGV[1] .. '-0')[1] then return 0 end
local current = redis.call('HGET', KEYS[3], ARGV[1])
if current and cjson.decode(current).revision >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', 'edit', 'id', ARGV[1], 'version', ARGV[4])
local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
if oldest then
  local floor = tonumber(string.match(oldest[1], '^(%d+)'))
  for _, id in ipairs(redis.call('HKEYS', KEYS[3])) do
    if tonumber(id) < floor then redis.call('HDEL', KEYS[3], id) end
  end
end
return 1
)lua";

/// The number of an entry id "N-0".
quint64 entryNumber(const QByteArray &id)
{
    return id.left(id.indexOf('-')).toULongLong();
}

QHash<QByteArray, QByteArray> fieldsOf(const RedisReply &entry)
{
    QHash<QByteArray, QByteArray> fields;
    if (entry.elements.size() < 2)
        return fields;
    const QList<RedisReply> &pairs = entry.elements.at(1).elements;
    for (qsizetype i = 0; i + 1 < pairs.size(); i += 2)
        fields.insert(pairs.at(i).string, pairs.at(i + 1).string);
    return fields;
}

/// An event's message fields as its stream entry holds them: JSON, empty for a plain message.
QByteArray messageFieldsJson(const MessageFields &fields)
{
    if (fields.isPlain())
        return {};
    QJsonObject object;
    fields.addTo(object);
    return Event::compactJson(object);
}

/// The message fields of an entry; those of a plain message when it holds none, or none it can use.
MessageFields messageFieldsOf(const QByteArray &json)
{
    if (json.isEmpty())
        return {};
    const MessageFields fields = MessageFields::from(QJsonDocument::fromJson(json).object());
    return fields.validationError().isEmpty() ? fields : MessageFields();
}

/// The new version \a edited as the cluster keeps it: {"revision", "data", and its message fields}.
QByteArray editJson(const Event &edited)
{
    QJsonObject version{{QStringLiteral("revision"), double(edited.revision)},
                        {QStringLiteral("data"), Event::textOf(edited.data())}};
    edited.fields.addTo(version);
    return Event::compactJson(version);
}

/// The version \a json of \a event (editJson()), or null when it is not one Herald can use.
EventPointer editedFrom(const Event &event, const QByteArray &json)
{
    const QJsonObject version = QJsonDocument::fromJson(json).object();
    const double revision = version.value(QStringLiteral("revision")).toDouble();
    const MessageFields fields = MessageFields::from(version);
    if (revision < 1 || revision > 4e9 || !version.value(QStringLiteral("data")).isString()
        || !fields.validationError().isEmpty())
        return {};
    auto edited = std::const_pointer_cast<Event>(
        Event::edited(event, version.value(QStringLiteral("data")).toString().toUtf8(), fields));
    edited->revision = quint32(revision);
    return edited;
}

} // namespace

RedisEventStore::RedisEventStore(const Settings &settings, QObject *parent)
    : EventStore(settings.limits, parent)
    , m_settings(settings)
{
    m_commands = new RedisConnection(settings.endpoint, QStringLiteral("Command"), this);
    m_reader = new RedisConnection(settings.endpoint, QStringLiteral("Stream reader"), this);
    for (RedisConnection *connection : {m_commands, m_reader}) {
        connect(connection, &RedisConnection::ready, this, &RedisEventStore::onConnectionReady);
        connect(connection, &RedisConnection::lost, this, &RedisEventStore::onConnectionLost);
    }
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &RedisEventStore::connectNow);
    m_housekeeping.setInterval(HousekeepingMs);
    connect(&m_housekeeping, &QTimer::timeout, this, [this] {
        persistLastId();
        if (!m_reachable)
            return;
        m_commands->command({"GET", key(CounterKey)}, [this](const RedisReply &reply) {
            if (!m_closed && reply.type == RedisReply::Type::String)
                m_newestId = qMax(m_newestId, reply.string.toULongLong());
        });
    });
}

RedisEventStore::~RedisEventStore()
{
    close();
}

QByteArray RedisEventStore::key(const QByteArray &what) const
{
    return redisKey(m_settings.prefix, what);
}

bool RedisEventStore::open(QString *)
{
    if (!m_settings.dataDirectory.isEmpty()) {
        QFile file(
            QDir(m_settings.dataDirectory).filePath(QStringLiteral("cluster-%1-last-id").arg(m_settings.prefix)));
        if (file.open(QIODevice::ReadOnly))
            m_persistedLastId = m_savedLastId = file.readAll().trimmed().toULongLong();
    }
    qCInfo(lcCluster, "joining the cluster at %s, key prefix %s", qPrintable(m_settings.endpoint.displayUrl()),
           qPrintable(m_settings.prefix));
    m_lostReason = QStringLiteral("connecting");
    connectNow();
    m_housekeeping.start();
    return true; // Herald serves its streams while Redis is away, and says so on /healthz
}

void RedisEventStore::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_reconnect.stop();
    m_housekeeping.stop();
    // Publishes Redis has taken are committed, even if this node will not see them come back.
    const QMap<quint64, PendingAppend> pending = std::exchange(m_pendingAppends, {});
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        const PendingAppend &append = it.value();
        append.done({append.eventAs(it.key()), PublishError::None, QString(), 0});
    }
    m_commands->close();
    m_reader->close();
    persistLastId();
}

void RedisEventStore::connectNow()
{
    if (m_closed)
        return;
    m_commands->open();
    m_reader->open();
}

void RedisEventStore::onConnectionReady()
{
    if (m_commands->isReady() && m_reader->isReady())
        setUp();
}

void RedisEventStore::onConnectionLost(const QString &reason)
{
    if (m_closed)
        return;
    if (m_reachable) {
        qCWarning(lcCluster, "lost the cluster's Redis at %s: %s; publishing is refused until it is back",
                  qPrintable(m_settings.endpoint.displayUrl()), qPrintable(reason));
        m_reachable = false;
        Q_EMIT engineStatusChanged();
    }
    m_lostReason = reason;
    m_commands->close();
    m_reader->close();
    if (!m_reconnect.isActive()) {
        m_backoffMs = m_backoffMs ? qMin(m_backoffMs * 2, MaxBackoffMs) : FirstBackoffMs;
        m_reconnect.start(m_backoffMs);
    }
}

// Each time both connections are up: history (the first time only), the counter, the place on
// the control stream, and then reading. A step whose command
// fails stops here; the next connection starts over.
void RedisEventStore::setUp()
{
    if (m_loaded)
        raiseCounter(); // memory has the history already; the reader goes on from its last id
    else
        loadHistory();
}

bool RedisEventStore::failed(const RedisReply &reply)
{
    if (m_closed)
        return true;
    if (reply.type == RedisReply::Type::Error)
        onConnectionLost(reply.errorText());
    // NoReply: the connection is lost, and onConnectionLost() has it already.
    return reply.isError();
}

void RedisEventStore::loadHistory()
{
    m_commands->command(
        {"XREVRANGE", key(EventsKey), "+", "-", "COUNT", QByteArray::number(qMax(1, history().limits().maxEvents))},
        [this](const RedisReply &reply) {
            if (failed(reply))
                return;
            for (auto entry = reply.elements.crbegin(); entry != reply.elements.crend(); ++entry) {
                if (!entry->elements.isEmpty())
                    takeEvent(entryNumber(entry->elements.first().string), fieldsOf(*entry));
            }
            loadEdits();
        });
}

void RedisEventStore::loadEdits()
{
    // The stream holds each event as published; its newest version, when edited, is kept beside.
    m_commands->command({"HGETALL", key(EditsKey)}, [this](const RedisReply &reply) {
        if (failed(reply))
            return;
        for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2)
            takeEdit(reply.elements.at(i).string.toULongLong(), reply.elements.at(i + 1).string);
        m_loaded = true;
        qCInfo(lcCluster, "history: %d event(s) from the cluster, last id %llu", history().size(), history().lastId());
        raiseCounter();
    });
}

void RedisEventStore::takeEdit(quint64 id, const QByteArray &version)
{
    const EventPointer event = history().find(id);
    if (!event)
        return;
    const EventPointer edited = editedFrom(*event, version);
    if (!edited || edited->revision <= event->revision)
        return; // this node has it already, or a later one
    prepareEdited(*edited);
    if (history().replace(edited))
        Q_EMIT eventEdited(edited);
}

void RedisEventStore::raiseCounter()
{
    m_commands->command(
        {"EVAL", RaiseScript, "2", key(CounterKey), key(EventsKey), QByteArray::number(floorId())},
        [this](const RedisReply &reply) {
            if (failed(reply))
                return;
            if (reply.type != RedisReply::Type::Array || reply.elements.size() != 2)
                return onConnectionLost(QStringLiteral("Redis answered the counter script with something else"));
            const quint64 before = quint64(reply.elements.at(0).integer);
            const quint64 after = quint64(reply.elements.at(1).integer);
            if (before < after)
                qCWarning(lcCluster, "the cluster's Redis had lost its count of events; ids go on after %llu", after);
            m_newestId = qMax(m_newestId, after);
            positionControl();
        });
}

void RedisEventStore::checkForMissedEvents(std::function<void()> then)
{
    // Ids are dense, but retracted events leave holes: only a hole before the oldest entry of
    // the stream, which is trimmed to the history's length, is something missed.
    const quint64 lastId = history().lastId();
    m_commands->command({"XRANGE", key(EventsKey), "-", "+", "COUNT", "1"},
                        [this, lastId, then = std::move(then)](const RedisReply &reply) {
                            if (failed(reply))
                                return;
                            const quint64 oldest
                                = !reply.elements.isEmpty() && !reply.elements.first().elements.isEmpty()
                                ? entryNumber(reply.elements.first().elements.first().string)
                                : std::numeric_limits<quint64>::max();
                            if (oldest > lastId + 1)
                                Q_EMIT eventsMissed(lastId);
                            then();
                        });
}

void RedisEventStore::positionControl()
{
    if (m_controlPositioned)
        return goLive();
    // Only what is said from now on: earlier retractions are out of the stream already. What
    // is said while this node is away, it reads when it is back.
    m_commands->command({"XREVRANGE", key(ControlKey), "+", "-", "COUNT", "1"}, [this](const RedisReply &reply) {
        if (failed(reply))
            return;
        if (!reply.elements.isEmpty() && !reply.elements.first().elements.isEmpty())
            m_lastControlId = reply.elements.first().elements.first().string;
        m_controlPositioned = true;
        goLive();
    });
}

void RedisEventStore::goLive()
{
    m_reachable = true;
    m_backoffMs = 0;
    qCInfo(lcCluster, "reading the cluster's events after id %llu", history().lastId());
    Q_EMIT engineStatusChanged();
    read();
}

void RedisEventStore::read()
{
    if (m_closed || !m_reader->isReady())
        return;
    m_reader->command(
        {"XREAD", "COUNT", "1000", "BLOCK", QByteArray::number(ReadBlockMs), "STREAMS", key(EventsKey), key(ControlKey),
         QByteArray::number(history().lastId()) + "-0", m_lastControlId},
        [this](const RedisReply &reply) {
            if (m_closed)
                return;
            if (reply.type == RedisReply::Type::NoReply)
                return; // lost: onConnectionLost() takes it from here
            if (reply.type == RedisReply::Type::Error) {
                onConnectionLost(reply.errorText());
                return;
            }
            // A node that comes back late may find the stream trimmed past its last id.
            const quint64 lastId = history().lastId();
            if (lastId > 0 && firstEventId(reply) > lastId + 1) {
                return checkForMissedEvents([this, reply] {
                    take(reply);
                    read();
                });
            }
            take(reply);
            read();
        },
        ReadBlockMs + RedisConnection::DefaultTimeoutMs);
}

quint64 RedisEventStore::firstEventId(const RedisReply &reply) const
{
    for (const RedisReply &stream : reply.elements) {
        if (stream.elements.size() >= 2 && stream.elements.at(0).string == key(EventsKey)
            && !stream.elements.at(1).elements.isEmpty() && !stream.elements.at(1).elements.first().elements.isEmpty())
            return entryNumber(stream.elements.at(1).elements.first().elements.first().string);
    }
    return 0;
}

void RedisEventStore::take(const RedisReply &reply)
{
    for (const RedisReply &stream : reply.elements) {
        if (stream.elements.size() < 2)
            continue;
        const bool events = stream.elements.at(0).string == key(EventsKey);
        for (const RedisReply &entry : stream.elements.at(1).elements) {
            if (entry.elements.isEmpty())
                continue;
            const QByteArray id = entry.elements.first().string;
            if (events) {
                takeEvent(entryNumber(id), fieldsOf(entry));
            } else {
                m_lastControlId = id;
                takeControl(fieldsOf(entry));
            }
        }
    }
}

void RedisEventStore::takeEvent(quint64 id, const QHash<QByteArray, QByteArray> &fields)
{
    if (id <= history().lastId())
        return; // seen already
    const EventPointer event
        = Event::create(id, QString::fromUtf8(fields.value("event")), QString::fromUtf8(fields.value("topic")),
                        QString::fromUtf8(fields.value("to")), fields.value("data"), fields.value("time").toLongLong(),
                        messageFieldsOf(fields.value("fields")));
    history().append(event);
    m_newestId = qMax(m_newestId, id);
    Q_EMIT eventCommitted(event);
    // This node's own, and those of them the stream let go before the reader came to them (the
    // start of a batch longer than the history): committed all the same.
    while (!m_pendingAppends.isEmpty() && m_pendingAppends.firstKey() <= id) {
        const quint64 pendingId = m_pendingAppends.firstKey();
        const PendingAppend pending = m_pendingAppends.take(pendingId);
        pending.done({pendingId == id ? event : pending.eventAs(pendingId), PublishError::None, QString(), 0});
    }
}

void RedisEventStore::takeControl(const QHash<QByteArray, QByteArray> &fields)
{
    const QByteArray type = fields.value("type");
    if (type == "retract") {
        if (const EventPointer event = history().remove(fields.value("id").toULongLong()))
            Q_EMIT eventRetracted(event);
    } else if (type == "edit") {
        takeEdit(fields.value("id").toULongLong(), fields.value("version"));
    } else if (type == "disconnect") {
        Q_EMIT disconnectRequested(QString::fromUtf8(fields.value("client")));
    }
}

void RedisEventStore::append(const PublishRequest &request, qint64 publishedAtMs, AppendDone done)
{
    appendBatch({request}, publishedAtMs,
                [done = std::move(done)](const QList<Appended> &appended) { done(appended.constFirst()); });
}

void RedisEventStore::appendBatch(const QList<PublishRequest> &requests, qint64 publishedAtMs, AppendBatchDone done)
{
    const QList<AppendDone> appends = collected(requests.size(), std::move(done));
    if (m_closed || !m_reachable) {
        const Appended refused{nullptr, m_closed ? PublishError::ShuttingDown : PublishError::Unavailable,
                               m_closed ? ShuttingDownMessage : unreachableMessage(), 0};
        for (const AppendDone &append : appends)
            append(refused);
        return;
    }
    QList<QByteArray> command{"EVAL",
                              PublishBatchScript,
                              "2",
                              key(CounterKey),
                              key(EventsKey),
                              QByteArray::number(floorId()),
                              QByteArray::number(qMax(1, history().limits().maxEvents)),
                              QByteArray::number(IdempotencySeconds),
                              key(IdempotencyKeys),
                              QByteArray::number(requests.size())};
    for (const PublishRequest &request : requests) {
        command << request.data << request.type.toUtf8() << request.topic.toUtf8() << request.target.toUtf8()
                << QByteArray::number(publishedAtMs) << messageFieldsJson(request.fields) << request.idempotencyKey;
    }
    m_commands->command(command, [this, requests, publishedAtMs, appends](const RedisReply &reply) {
        if (reply.type != RedisReply::Type::Array || reply.elements.size() != 2 * requests.size()) {
            for (const AppendDone &append : appends)
                append(notTaken(reply));
            return;
        }
        for (qsizetype i = 0; i < requests.size(); ++i) {
            settle(quint64(reply.elements.at(2 * i).integer), reply.elements.at(2 * i + 1).integer == 1,
                   {requests.at(i), publishedAtMs, appends.at(i)});
        }
    });
}

EventStore::Appended RedisEventStore::notTaken(const RedisReply &reply)
{
    if (reply.type == RedisReply::Type::Error && reply.string.endsWith("KEYREUSED"))
        return keyReused();
    // Not known to be taken: the publisher may try again (an Idempotency-Key makes it safe).
    return {nullptr, PublishError::Unavailable,
            QStringLiteral("the cluster's Redis did not take the event (%1); try again").arg(reply.errorText()), 0};
}

void RedisEventStore::settle(quint64 id, bool duplicate, PendingAppend append)
{
    if (duplicate)
        return append.done({nullptr, PublishError::None, QString(), id});
    if (m_closed || id <= history().lastId()) {
        // Read back already, or never will be here: it is committed either way.
        const EventPointer event = history().find(id);
        return append.done({event ? event : append.eventAs(id), PublishError::None, QString(), 0});
    }
    m_pendingAppends.insert(id, std::move(append));
}

void RedisEventStore::retract(quint64 id, RetractDone done)
{
    if (m_closed || !m_reachable) {
        done(RetractOutcome::Unavailable);
        return;
    }
    m_commands->command({"EVAL", RetractScript, "3", key(EventsKey), key(ControlKey), key(EditsKey),
                         QByteArray::number(id), QByteArray::number(ControlStreamLength)},
                        [this, id, done = std::move(done)](const RedisReply &reply) {
                            if (reply.type != RedisReply::Type::Integer) {
                                done(RetractOutcome::Unavailable);
                                return;
                            }
                            if (reply.integer != 1) {
                                done(RetractOutcome::NotFound);
                                return;
                            }
                            // Gone from this node's replays at once; the others hear it on the control stream.
                            if (!m_closed) {
                                if (const EventPointer event = history().remove(id))
                                    Q_EMIT eventRetracted(event);
                            }
                            done(RetractOutcome::Retracted);
                        });
}

void RedisEventStore::edit(EventPointer edited, EditDone done)
{
    if (m_closed || !m_reachable) {
        done(EditOutcome::Unavailable);
        return;
    }
    m_commands->command({"EVAL", EditScript, "3", key(EventsKey), key(ControlKey), key(EditsKey),
                         QByteArray::number(edited->id), QByteArray::number(ControlStreamLength),
                         QByteArray::number(edited->revision), editJson(*edited)},
                        [this, edited, done = std::move(done)](const RedisReply &reply) {
                            if (reply.type != RedisReply::Type::Integer) {
                                done(EditOutcome::Unavailable);
                                return;
                            }
                            if (reply.integer != 1) {
                                done(reply.integer == 0 ? EditOutcome::NotFound : EditOutcome::Conflict);
                                return;
                            }
                            // This node's replays give it at once; the others hear it on the control stream.
                            if (!m_closed) {
                                prepareEdited(*edited);
                                if (history().replace(edited))
                                    Q_EMIT eventEdited(edited);
                            }
                            done(EditOutcome::Edited);
                        });
}

void RedisEventStore::disconnectEverywhere(const QString &clientId, std::function<void(bool sent)> done)
{
    if (m_closed || !m_reachable) {
        done(false);
        return;
    }
    m_commands->command(
        {"XADD", key(ControlKey), "MAXLEN", "~", QByteArray::number(ControlStreamLength), "*", "type", "disconnect",
         "client", clientId.toUtf8()},
        [done = std::move(done)](const RedisReply &reply) { done(reply.type == RedisReply::Type::String); });
}

EngineStatus RedisEventStore::engineStatus() const
{
    return {m_settings.endpoint.displayUrl(), m_reachable,
            m_newestId > history().lastId() ? m_newestId - history().lastId() : 0};
}

QString RedisEventStore::unreachableMessage() const
{
    return QStringLiteral("the cluster's Redis at %1 is unreachable (%2); nothing was published, try again shortly")
        .arg(m_settings.endpoint.displayUrl(), m_lostReason);
}

void RedisEventStore::persistLastId()
{
    // The highest id this node has seen outlives Redis and this process: a Redis that comes back
    // empty is raised past it.
    const quint64 highest = history().lastId();
    if (m_settings.dataDirectory.isEmpty() || highest <= m_savedLastId)
        return;
    QDir().mkpath(m_settings.dataDirectory);
    QSaveFile file(
        QDir(m_settings.dataDirectory).filePath(QStringLiteral("cluster-%1-last-id").arg(m_settings.prefix)));
    if (file.open(QIODevice::WriteOnly) && file.write(QByteArray::number(highest) + '\n') > 0 && file.commit())
        m_savedLastId = m_persistedLastId = highest;
}
