#pragma once

#include "attachmentfiles.h"

class QTimer;

/// The files one Herald keeps, in an AttachmentStore in its data folder, and lets go as they
/// expire: every minute, or every lifetime when files live less.
class LocalAttachmentFiles : public AttachmentFiles
{
    Q_OBJECT

public:
    LocalAttachmentFiles(const QString &folder, const AttachmentStore::Limits &limits, QObject *parent = nullptr);

    /// Makes the folder and reads what it holds, then lets the expired files go. False, with a
    /// message a person can act on, when the folder cannot be used.
    bool open(QString *errorMessage);

    void keep(const QByteArray &content, const QString &name, qint64 nowMs, qint64 shownFromMs, KeepDone done) override;
    void read(const QString &id, qint64 nowMs, ReadDone done) override;
    void extend(const QString &id, qint64 expiresAt) override;
    void remove(const QString &id) override;
    void setLimits(const AttachmentStore::Limits &limits) override;

    /// How often expired files are looked for at the most.
    static constexpr int SweepMs = 60'000;

private:
    void sweep();

    AttachmentStore m_store;
    QTimer *m_sweep;
};
