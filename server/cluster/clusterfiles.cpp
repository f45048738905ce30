#include "clusterfiles.h"

#include "logging.h"
#include "rediskeys.h"
#include "textrules.h"

namespace {

// The keys of every script, in this order: the file's content, the descriptions (a hash by id),
// the files kept (a sorted set by when each expires, in ms), the files gone (by when each is
// forgotten) and the bytes of the files kept.

// ARGV: id, content, description, size, expires (ms), now (ms), total bytes at most, files at
// most, how long a gone file stays described (ms), the prefix of content keys.
const QByteArray KeepScript = R"lua(
local id, size, now = ARGV[1], tonumber(ARGV[4]), tonumber(ARGV[6])
local forgetAt = now + tonumber(ARGV[9])
-- Written first, so that a file Redis cannot take costs no older one.
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[5])
local function letGo(gone)
  redis.call('ZREM', KEYS[3], gone)
  redis.call('DEL', ARGV[10] .. gone)
  local description = redis.call('HGET', KEYS[2], gone)
  if description then
    redis.call('DECRBY', KEYS[5], cjson.decode(description).size)
  end
  redis.call('ZADD', KEYS[4], forgetAt, gone)
end
for _, expired in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  letGo(expired)
end
for _, forgotten in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)) do
  redis.call('HDEL', KEYS[2], forgotten)
  redis.call('ZREM', KEYS[4], forgotten)
end
while tonumber(redis.call('GET', KEYS[5]) or '0') + size > tonumber(ARGV[7])
    or redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[8]) do
  local soonest = redis.call('ZRANGE', KEYS[3], 0, 0)
  if #soonest == 0 then break end
  letGo(soonest[1])
end
while redis.call('ZCARD', KEYS[4]) > tonumber(ARGV[8]) do
  local oldest = redis.call('ZRANGE', KEYS[4], 0, 0)
  redis.call('HDEL', KEYS[2], oldest[1])
  redis.call('ZREM', KEYS[4], oldest[1])
end
redis.call('HSET', KEYS[2], id, ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[5], id)
redis.call('INCRBY', KEYS[5], size)
return 1
)lua";

// ARGV: id, "1" for the content too. Returns {} for a file never kept or forgotten, else
// {description, expires (ms; "0" once gone), content (empty unless asked for)}.
const QByteArray ReadScript = R"lua(
local description = redis.call('HGET', KEYS[2], ARGV[1])
if not description then return {} end
local expires = redis.call('ZSCORE', KEYS[3], ARGV[1])
if not expires then return {description, '0', ''} end
if ARGV[2] == '1' then
  local content = redis.call('GET', KEYS[1])
  if not content then return {description, '0', ''} end
  return {description, expires, content}
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {description, '0', ''} end
return {description, expires, ''}
)lua";

// ARGV: id.
const QByteArray RemoveScript = R"lua(
local description = redis.call('HGET', KEYS[2], ARGV[1])
if description and redis.call('ZREM', KEYS[3], ARGV[1]) == 1 then
  redis.call('DECRBY', KEYS[5], cjson.decode(description).size)
end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return 1
)lua";

// ARGV: id, expires (ms).
const QByteArray ExtendScript = R"lua(
local current = redis.call('ZSCORE', KEYS[3], ARGV[1])
if current and tonumber(ARGV[2]) > tonumber(current) and redis.call('PEXPIREAT', KEYS[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
end
return 1
)lua";

QString unreachable(const RedisReply &reply)
{
    return QStringLiteral("the cluster's Redis cannot keep or give files now: %1").arg(reply.errorText());
}

} // namespace

ClusterFiles::ClusterFiles(const RedisEndpoint &endpoint, const QString &prefix, const AttachmentStore::Limits &limits,
                           QObject *parent)
    : AttachmentFiles(parent)
    , m_prefix(prefix)
    , m_limits(limits)
    , m_redis(new RedisConnection(endpoint, QStringLiteral("Files"), this))
    , m_held(int(AttachmentStore::MemoryBytes))
{}

void ClusterFiles::open()
{
    m_redis->keepOpen();
}

void ClusterFiles::close()
{
    m_redis->close();
}

QByteArray ClusterFiles::key(const QByteArray &what) const
{
    return redisKey(m_prefix, what);
}

QByteArray ClusterFiles::fileKey(const QString &id) const
{
    return key("file:" + id.toLatin1());
}

void ClusterFiles::keep(const QByteArray &content, const QString &name, qint64 nowMs, qint64 shownFromMs, KeepDone done)
{
    if (std::optional<AttachmentStore::Kept> refused = AttachmentStore::sizeRefusal(content.size(), m_limits))
        return done(*refused);
    const AttachmentStore::File file = AttachmentStore::File::describe(
        randomLettersAndDigits(AttachmentStore::IdLength), content, name, nowMs, shownFromMs, m_limits.expirySeconds);
    const QByteArray id = file.id.toLatin1();
    // To the millisecond, so that the files of one second go in the order they came.
    const qint64 expiresMs = AttachmentStore::File::expiryMsOf(nowMs, shownFromMs, m_limits.expirySeconds);
    m_redis->command(
        {"EVAL", KeepScript, "5", fileKey(file.id), key("files"), key("files-kept"), key("files-gone"),
         key("file-bytes"), id, content, file.toJson(), QByteArray::number(file.size), QByteArray::number(expiresMs),
         QByteArray::number(nowMs), QByteArray::number(m_limits.maxTotalBytes), QByteArray::number(m_limits.maxFiles),
         QByteArray::number(AttachmentStore::GoneKeptSeconds * 1000), key("file:")},
        [this, file, content, done = std::move(done)](const RedisReply &reply) {
            if (reply.isError()) {
                qCWarning(lcCluster, "a file could not be kept in Redis: %s", qPrintable(reply.errorText()));
                // Out of memory is Redis's full disk; anything else (gone, LOADING, BUSY) passes.
                const bool full = reply.string.contains("OOM");
                return done({std::nullopt,
                             full ? AttachmentStore::Refusal::Unwritable : AttachmentStore::Refusal::Unavailable,
                             unreachable(reply)});
            }
            m_held.insert(file.id, new QByteArray(content), int(content.size()));
            done({file, AttachmentStore::Refusal::None, QString()});
        });
}

void ClusterFiles::read(const QString &id, qint64 nowMs, ReadDone done)
{
    // What this node holds, it asks Redis only about; the rest, it asks for.
    const bool askedForContent = !m_held.contains(id);
    m_redis->command({"EVAL", ReadScript, "4", fileKey(id), key("files"), key("files-kept"), key("files-gone"),
                      id.toLatin1(), askedForContent ? "1" : "0"},
                     [this, id, nowMs, askedForContent, done = std::move(done)](const RedisReply &reply) {
                         if (reply.isError() || reply.type != RedisReply::Type::Array) {
                             AttachmentStore::Read unavailable;
                             unavailable.outcome = AttachmentStore::Read::Outcome::Unavailable;
                             unavailable.error = unreachable(reply);
                             return done(unavailable);
                         }
                         const std::optional<AttachmentStore::File> file = reply.elements.size() == 3
                             ? AttachmentStore::File::fromJson(id, reply.elements.at(0).string)
                             : std::nullopt;
                         if (!file) {
                             m_held.remove(id);
                             return done(AttachmentStore::notFoundRead());
                         }
                         const qint64 expiresMs = reply.elements.at(1).string.toLongLong();
                         if (expiresMs <= nowMs) {
                             m_held.remove(id);
                             return done(AttachmentStore::goneRead(*file));
                         }
                         AttachmentStore::Read found;
                         found.outcome = AttachmentStore::Read::Outcome::Found;
                         found.file = *file;
                         found.file.expiresAt = expiresMs / 1000; // later, if a scheduled message moved
                         const QByteArray *held = askedForContent ? nullptr : m_held.object(id);
                         if (!askedForContent && !held)
                             return read(id, nowMs, done); // let go meanwhile: ask for all of it
                         found.content = held ? *held : reply.elements.at(2).string;
                         if (found.content.size() != file->size) {
                             m_held.remove(id);
                             return done(AttachmentStore::goneRead(*file));
                         }
                         if (askedForContent)
                             m_held.insert(id, new QByteArray(found.content), int(found.content.size()));
                         done(found);
                     });
}

void ClusterFiles::extend(const QString &id, qint64 expiresAt)
{
    m_redis->command({"EVAL", ExtendScript, "3", fileKey(id), key("files"), key("files-kept"), id.toLatin1(),
                      QByteArray::number(expiresAt * 1000)},
                     [](const RedisReply &reply) {
                         if (reply.isError())
                             qCWarning(lcCluster, "a file's lifetime could not be extended: %s",
                                       qPrintable(reply.errorText()));
                     });
}

void ClusterFiles::remove(const QString &id)
{
    m_held.remove(id);
    m_redis->command({"EVAL", RemoveScript, "5", fileKey(id), key("files"), key("files-kept"), key("files-gone"),
                      key("file-bytes"), id.toLatin1()},
                     [](const RedisReply &reply) {
                         if (reply.isError())
                             qCWarning(lcCluster, "a file could not be deleted from Redis: %s",
                                       qPrintable(reply.errorText()));
                     });
}
