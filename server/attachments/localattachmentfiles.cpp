#include "localattachmentfiles.h"

#include <QDateTime>
#include <QTimer>

namespace {

int sweepMsFor(const AttachmentStore::Limits &limits)
{
    return int(qBound(qint64(1000), limits.expirySeconds * 1000, qint64(LocalAttachmentFiles::SweepMs)));
}

} // namespace

LocalAttachmentFiles::LocalAttachmentFiles(const QString &folder, const AttachmentStore::Limits &limits,
                                           QObject *parent)
    : AttachmentFiles(parent)
    , m_store(folder, limits)
    , m_sweep(new QTimer(this))
{
    m_sweep->setInterval(sweepMsFor(limits));
    connect(m_sweep, &QTimer::timeout, this, &LocalAttachmentFiles::sweep);
}

bool LocalAttachmentFiles::open(QString *errorMessage)
{
    if (!m_store.open(errorMessage))
        return false;
    sweep();
    m_sweep->start();
    return true;
}

void LocalAttachmentFiles::keep(const QByteArray &content, const QString &name, qint64 nowMs, qint64 shownFromMs,
                                KeepDone done)
{
    done(m_store.keep(content, name, nowMs, shownFromMs));
}

void LocalAttachmentFiles::read(const QString &id, qint64 nowMs, ReadDone done)
{
    done(m_store.read(id, nowMs));
}

void LocalAttachmentFiles::extend(const QString &id, qint64 expiresAt)
{
    m_store.extend(id, expiresAt);
}

void LocalAttachmentFiles::remove(const QString &id)
{
    m_store.remove(id);
}

void LocalAttachmentFiles::setLimits(const AttachmentStore::Limits &limits)
{
    m_store.setLimits(limits);
    m_sweep->setInterval(sweepMsFor(limits));
}

void LocalAttachmentFiles::sweep()
{
    m_store.expire(QDateTime::currentMSecsSinceEpoch());
}
