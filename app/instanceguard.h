#pragma once

#include <QObject>
#include <QString>

#include <memory>

class FolderLock;
class QLocalServer;

/// One Herald per data folder. A FolderLock on herald.lock in the folder keeps a second Herald
/// from writing the same journal; the system releases it when its process ends, however it
/// ends, so the lock of a Herald that crashed is taken over even on a full disk. A local socket
/// named after the folder lets a second launch of the window bring the first one to the front
/// instead.
class InstanceGuard : public QObject
{
    Q_OBJECT

public:
    explicit InstanceGuard(const QString &dataDirectory, QObject *parent = nullptr);
    ~InstanceGuard() override;

    /// Takes the folder. Returns false with a message a person can act on when another
    /// Herald holds it. A lock left by a Herald that crashed is taken over.
    bool tryLock(QString *errorMessage);
    /// Asks the Herald holding the folder to show its window; true when it said it did.
    bool askOwnerToRaise();
    /// Starts answering askOwnerToRaise() from later launches.
    void listen();

Q_SIGNALS:
    void raiseRequested();

private:
    /// Writes who holds the lock into it, as QLockFile does, for a person or a refused Herald to
    /// read. It is information only: when the disk is full and it cannot be written, the lock
    /// still holds.
    void writeHolder();

    QString m_directory;
    QString m_serverName;
    QString m_lockFileName;
    std::unique_ptr<FolderLock> m_lock; ///< while this Herald holds the folder
    QLocalServer *m_server = nullptr;
};
