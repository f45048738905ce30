#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

class QTcpSocket;

/// A real redis-server for one test: on a free port, in a folder of its own, stopped when the
/// test is done, whether it passed or not. With an append-only file synced at every write, so
/// that a Redis killed with SIGKILL comes back with its data.
class RedisServer
{
public:
    RedisServer();
    ~RedisServer();

    /// Whether Debian's redis-server is installed (tools/setup installs it).
    static bool isInstalled();

    /// Starts it, on the same port as before when it ran already, and waits until it answers.
    bool start();
    /// SIGKILL: no goodbye to anyone.
    void kill();
    /// SIGSTOP: it keeps its connections but answers nothing, as a hung server does.
    void pause();
    /// SIGCONT after pause().
    void resume();
    /// Sends one command on a connection of its own and returns the start of the reply (e.g.
    /// "+OK"), or an empty array when none came within \a timeoutMs.
    QByteArray command(const QList<QByteArray> &arguments, int timeoutMs = 5000) const;
    /// Sends one command on a connection that stays open, and does not wait for the reply (for a
    /// script that keeps Redis busy, say). The connection closes with the returned object.
    std::unique_ptr<QTcpSocket> commandInBackground(const QList<QByteArray> &arguments) const;
    /// Forgets everything it had, as a Redis without persistence would after a restart.
    void wipe();

    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_port); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
};
