#include "redisserver.h"

#include <QDir>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <csignal>

namespace {
QString executable()
{
    return QStandardPaths::findExecutable(QStringLiteral("redis-server"),
                                          {QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin")});
}
} // namespace

RedisServer::RedisServer() = default;

RedisServer::~RedisServer()
{
    kill();
}

bool RedisServer::isInstalled()
{
    return !executable().isEmpty();
}

bool RedisServer::start()
{
    if (m_port == 0) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost))
            return false;
        m_port = probe.serverPort();
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(executable(),
                     {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                      QStringLiteral("127.0.0.1"), QStringLiteral("--dir"), m_dir.path(),
                      QStringLiteral("--appendonly"), QStringLiteral("yes"), QStringLiteral("--appendfsync"),
                      QStringLiteral("always"), QStringLiteral("--save"), QString()});
    if (!m_process->waitForStarted(5000))
        return false;
    return QTest::qWaitFor(
        [this] {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_port);
            if (!socket.waitForConnected(200))
                return false;
            socket.write("PING\r\n");
            return socket.waitForReadyRead(500) && socket.readAll().startsWith("+PONG");
        },
        10000);
}

void RedisServer::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
    m_process.reset();
}

void RedisServer::pause()
{
    if (m_process)
        ::kill(pid_t(m_process->processId()), SIGSTOP);
}

void RedisServer::resume()
{
    if (m_process)
        ::kill(pid_t(m_process->processId()), SIGCONT);
}

namespace {
QByteArray encodeCommand(const QList<QByteArray> &arguments)
{
    QByteArray encoded = '*' + QByteArray::number(arguments.size()) + "\r\n";
    for (const QByteArray &argument : arguments)
        encoded += '$' + QByteArray::number(argument.size()) + "\r\n" + argument + "\r\n";
    return encoded;
}
} // namespace

QByteArray RedisServer::command(const QList<QByteArray> &arguments, int timeoutMs) const
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(encodeCommand(arguments));
    if (!socket.waitForReadyRead(timeoutMs))
        return {};
    return socket.readAll();
}

std::unique_ptr<QTcpSocket> RedisServer::commandInBackground(const QList<QByteArray> &arguments) const
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QHostAddress::LocalHost, m_port);
    if (socket->waitForConnected(5000)) {
        socket->write(encodeCommand(arguments));
        socket->waitForBytesWritten(5000);
    }
    return socket;
}

void RedisServer::wipe()
{
    QDir dir(m_dir.path());
    dir.removeRecursively();
    QDir().mkpath(m_dir.path());
}
