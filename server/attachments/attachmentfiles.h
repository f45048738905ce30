#pragma once

#include "attachmentstore.h"

#include <QObject>

#include <functional>

/// The files that messages carry, as the service sees them, whether one Herald keeps them in its
/// data folder (LocalAttachmentFiles) or the nodes of a cluster share them in Redis
/// (ClusterFiles). Every answer comes through a callback, at once or once Redis has answered; on
/// the thread the files live on.
class AttachmentFiles : public QObject
{
    Q_OBJECT

public:
    using KeepDone = std::function<void(const AttachmentStore::Kept &kept)>;
    using ReadDone = std::function<void(const AttachmentStore::Read &read)>;

    using QObject::QObject;

    /// Keeps \a content as the file \a name at \a nowMs, its lifetime starting at \a shownFromMs
    /// when that is later (the time of a scheduled message).
    virtual void keep(const QByteArray &content, const QString &name, qint64 nowMs, qint64 shownFromMs, KeepDone done)
        = 0;
    /// The file \a id and its content, as a request for it at \a nowMs finds them.
    virtual void read(const QString &id, qint64 nowMs, ReadDone done) = 0;
    /// Keeps \a id until \a expiresAt (Unix seconds) at least.
    virtual void extend(const QString &id, qint64 expiresAt) = 0;
    /// Deletes \a id and its description: its URL then answers "not found".
    virtual void remove(const QString &id) = 0;
    virtual void setLimits(const AttachmentStore::Limits &limits) = 0;
};
