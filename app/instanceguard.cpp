#include "instanceguard.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSysInfo>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr int AnswerTimeoutMs = 2000;
constexpr int LockAttempts = 10;

QString serverNameFor(const QString &directory)
{
    const QByteArray digest
        = QCryptographicHash::hash(QDir(directory).absolutePath().toUtf8(), QCryptographicHash::Sha1);
    return QStringLiteral("herald-%1-%2").arg(getuid()).arg(QString::fromLatin1(digest.toHex().left(16)));
}

/// The process named on the first line of the lock file \a fd, or 0 when none can be read.
qint64 holderOf(int fd)
{
    char text[32] = {};
    const ssize_t read = ::pread(fd, text, sizeof(text) - 1, 0);
    return read > 0 ? QByteArray(text, read).split('\n').first().toLongLong() : 0;
}

} // namespace

InstanceGuard::InstanceGuard(const QString &dataDirectory, QObject *parent)
    : QObject(parent)
    , m_directory(QDir(dataDirectory).absolutePath())
    , m_serverName(serverNameFor(dataDirectory))
    , m_lockFileName(QDir(dataDirectory).absoluteFilePath(QStringLiteral("herald.lock")))
{}

InstanceGuard::~InstanceGuard()
{
    if (m_lockFd < 0)
        return;
    // Removed while still locked, so that no other Herald takes a file that is going away.
    ::unlink(QFile::encodeName(m_lockFileName).constData());
    ::close(m_lockFd);
}

bool InstanceGuard::tryLock(QString *errorMessage)
{
    if (!QDir().mkpath(m_directory)) {
        *errorMessage = QStringLiteral("cannot create the data folder %1").arg(m_directory);
        return false;
    }
    const QByteArray path = QFile::encodeName(m_lockFileName);
    const auto cannotLock = [&](int error) {
        *errorMessage = QStringLiteral("cannot lock the data folder %1 (%2); check that it is writable")
                            .arg(m_directory, QString::fromLocal8Bit(strerror(error)));
        return false;
    };
    // The lock is the kernel's, on the file itself: nothing needs writing to take over the lock
    // of a Herald that died, which a full disk would refuse.
    for (int attempt = 0; attempt < LockAttempts; ++attempt) {
        const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return cannotLock(errno);
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            const qint64 holder = holderOf(fd);
            ::close(fd);
            if (error != EWOULDBLOCK)
                return cannotLock(error);
            const QString who = holder > 0 ? QStringLiteral("another Herald (process %1)").arg(holder)
                                           : QStringLiteral("another Herald");
            *errorMessage = QStringLiteral("%1 is already using the data folder %2; stop it, or give this one its "
                                           "own --data-dir")
                                .arg(who, m_directory);
            return false;
        }
        if (isNamedLockFile(fd)) {
            m_lockFd = fd;
            writeHolder(fd);
            return true;
        }
        ::close(fd); // we locked a file that has just lost its name; the one named now decides
    }
    return cannotLock(EAGAIN);
}

bool InstanceGuard::isNamedLockFile(int fd) const
{
    struct stat opened = {};
    struct stat named = {};
    return ::fstat(fd, &opened) == 0 && ::stat(QFile::encodeName(m_lockFileName).constData(), &named) == 0
        && opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}

void InstanceGuard::writeHolder(int fd) const
{
    // The lines QLockFile writes: an older Herald, which locks with QLockFile, names this one too.
    const QByteArray holder = QByteArray::number(QCoreApplication::applicationPid()) + '\n'
        + QFile::encodeName(QCoreApplication::applicationFilePath()) + '\n' + QSysInfo::machineHostName().toUtf8()
        + '\n';
    // Over what a dead Herald wrote, which takes no new space on most file systems.
    const bool written = ::pwrite(fd, holder.constData(), size_t(holder.size()), 0) == holder.size();
    if (written && ::ftruncate(fd, holder.size()) == 0)
        return;
    qWarning("cannot write this process's id into %s: %s", qPrintable(m_lockFileName), strerror(errno));
    if (!written)
        (void)::ftruncate(fd, 0); // better no id than a dead process's
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
