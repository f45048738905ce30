#pragma once

#include "attachmentfiles.h"
#include "redisconnection.h"

#include <QCache>

/// The files that messages carry, shared by the nodes of a cluster in Redis, so that every node
/// serves every file, whichever node took it.
///
/// Each file is a key of its own that Redis lets go when the file expires, beside one hash of
/// descriptions (as AttachmentStore writes them), a sorted set of the files kept (by when they
/// expire) and one of the files gone (by when they are forgotten), and the total of their bytes.
/// Keeping a file is one Lua script: the file is written first, then the expired ones go, then
/// those that expire soonest until the new one fits --attachment-bytes and MaxFiles; a file gone
/// stays described a day, so its URL says "gone" (410) rather than "never was" (404).
///
/// A file a node read lately is held in its memory, within a bound, as files never change: a
/// request for it then asks Redis only whether it is still there. Used on the service's thread.
class ClusterFiles : public AttachmentFiles
{
    Q_OBJECT

public:
    ClusterFiles(const RedisEndpoint &endpoint, const QString &prefix, const AttachmentStore::Limits &limits,
                 QObject *parent = nullptr);

    /// Connects, and connects again whenever Redis is lost.
    void open();
    void close();
    void setLimits(const AttachmentStore::Limits &limits) override { m_limits = limits; }

    void keep(const QByteArray &content, const QString &name, qint64 nowMs, qint64 shownFromMs, KeepDone done) override;
    void read(const QString &id, qint64 nowMs, ReadDone done) override;
    void extend(const QString &id, qint64 expiresAt) override;
    void remove(const QString &id) override;

private:
    QByteArray key(const QByteArray &what) const;
    QByteArray fileKey(const QString &id) const;

    const QString m_prefix;
    AttachmentStore::Limits m_limits;
    RedisConnection *m_redis;
    /// Contents read lately, by id; their cost is their size.
    QCache<QString, QByteArray> m_held;
};
