#pragma once

#include <QLockFile>
#include <QObject>
#include <QString>

class QLocalServer;

/// One Herald per data folder. A lock file in the folder keeps a second Herald from writing
/// the same journal; a local socket named after the folder lets a second launch of the window
/// bring the first one to the front instead.
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
    QString m_directory;
    QString m_serverName;
    QLockFile m_lock;
    QLocalServer *m_server = nullptr;
};
