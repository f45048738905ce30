#include "instanceguard.h"

#include "folderlock.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSysInfo>

namespace {

constexpr int AnswerTimeoutMs = 2000;

QString serverNameFor(const QString &directory)
{
    const QByteArray digest
        = QCryptographicHash::hash(QDir(directory).absolutePath().toUtf8(), QCryptographicHash::Sha1);
    return QStringLiteral("herald-%1-%2")
        .arg(QString::fromStdString(FolderLock::userKey()), QString::fromLatin1(digest.toHex().left(16)));
}

} // namespace

InstanceGuard::InstanceGuard(const QString &dataDirectory, QObject *parent)
    : QObject(parent)
    , m_directory(QDir(dataDirectory).absolutePath())
    , m_serverName(serverNameFor(dataDirectory))
    , m_lockFileName(QDir(dataDirectory).absoluteFilePath(QStringLiteral("herald.lock")))
{}

InstanceGuard::~InstanceGuard() = default;

bool InstanceGuard::tryLock(QString *errorMessage)
{
    if (!QDir().mkpath(m_directory)) {
        *errorMessage = QStringLiteral("cannot create the data folder %1").arg(m_directory);
        return false;
    }
    auto lock = std::make_unique<FolderLock>();
    std::int64_t holder = 0;
    switch (lock->take(QFile(m_lockFileName).filesystemFileName(), &holder)) {
    case FolderLock::Outcome::Taken:
        m_lock = std::move(lock);
        writeHolder();
        return true;
    case FolderLock::Outcome::HeldByAnother: {
        const QString who
            = holder > 0 ? QStringLiteral("another Herald (process %1)").arg(holder) : QStringLiteral("another Herald");
        *errorMessage = QStringLiteral("%1 is already using the data folder %2; stop it, or give this one its "
                                       "own --data-dir")
                            .arg(who, m_directory);
        return false;
    }
    case FolderLock::Outcome::Failed:
        break;
    }
    *errorMessage = QStringLiteral("cannot lock the data folder %1 (%2); check that it is writable")
                        .arg(m_directory, QString::fromLocal8Bit(lock->why()));
    return false;
}

void InstanceGuard::writeHolder()
{
    // The lines QLockFile writes: an older Herald, which locks with QLockFile, names this one too.
    const QByteArray holder = QByteArray::number(QCoreApplication::applicationPid()) + '\n'
        + QFile::encodeName(QCoreApplication::applicationFilePath()) + '\n' + QSysInfo::machineHostName().toUtf8()
        + '\n';
    if (!m_lock->describeHolder(holder.toStdString()))
        qWarning("cannot write this process's id into %s: %s", qPrintable(m_lockFileName), m_lock->why().c_str());
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
