#include "instanceguard.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>

#include <unistd.h>

namespace {

constexpr int AnswerTimeoutMs = 2000;

QString serverNameFor(const QString &directory)
{
    const QByteArray digest = QCryptographicHash::hash(QDir(directory).absolutePath().toUtf8(), QCryptographicHash::Sha1);
    return QStringLiteral("herald-%1-%2").arg(getuid()).arg(QString::fromLatin1(digest.toHex().left(16)));
}

} // namespace

InstanceGuard::InstanceGuard(const QString &dataDirectory, QObject *parent)
    : QObject(parent)
    , m_directory(QDir(dataDirectory).absolutePath())
    , m_serverName(serverNameFor(dataDirectory))
    , m_lock(QDir(dataDirectory).absoluteFilePath(QStringLiteral("herald.lock")))
{
    m_lock.setStaleLockTime(0); // only a lock whose process is gone is stale
}

InstanceGuard::~InstanceGuard()
{
    m_lock.unlock();
}

bool InstanceGuard::tryLock(QString *errorMessage)
{
    if (!QDir().mkpath(m_directory)) {
        *errorMessage = QStringLiteral("cannot create the data folder %1").arg(m_directory);
        return false;
    }
    if (m_lock.tryLock(0))
        return true;
    if (m_lock.error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host, application;
        m_lock.getLockInfo(&pid, &host, &application);
        *errorMessage = QStringLiteral("another Herald (process %1) is already using the data folder %2; "
                                       "stop it, or give this one its own --data-dir")
                                .arg(pid).arg(m_directory);
    } else {
        *errorMessage = QStringLiteral("cannot lock the data folder %1; check that it is writable").arg(m_directory);
    }
    return false;
}

bool InstanceGuard::askOwnerToRaise()
{
    QLocalSocket socket;
    socket.connectToServer(m_serverName);
    if (!socket.waitForConnected(AnswerTimeoutMs))
        return false;
    socket.write("raise\n");
    if (!socket.waitForBytesWritten(AnswerTimeoutMs))
        return false;
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(AnswerTimeoutMs))
            return false;
    }
    return socket.readLine().trimmed() == "raised";
}

void InstanceGuard::listen()
{
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(m_serverName); // left behind by a Herald that crashed; we hold the lock
    if (!m_server->listen(m_serverName))
        return;
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, socket, [this, socket] {
                if (!socket->canReadLine())
                    return;
                if (socket->readLine().trimmed() == "raise") {
                    Q_EMIT raiseRequested();
                    socket->write("raised\n");
                }
                socket->disconnectFromServer();
            });
        }
    });
}
