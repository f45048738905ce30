#pragma once

#include "redisendpoint.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

struct redisAsyncContext;
class QSocketNotifier;

/// One Redis reply, copied out of hiredis so it can outlive the callback.
struct RedisReply
{
    enum class Type { String, Array, Integer, Nil, Status, Error, NoReply };
    Type type = Type::NoReply; ///< NoReply: the connection was lost or the command timed out
    QByteArray string; ///< String, Status and Error
    long long integer = 0;
    QList<RedisReply> elements;

    bool isError() const { return type == Type::Error || type == Type::NoReply; }
    QString errorText() const;
};

/// One hiredis connection to Redis on the event loop of the thread it lives on. hiredis'
/// own Qt adapter listens to a Qt 5 signal, so this one drives hiredis from QSocketNotifiers.
/// It authenticates and selects the database, times commands out (hiredis 0.14 cannot), and
/// says when it is ready and when it is lost; reconnecting is the owner's call.
class RedisConnection : public QObject
{
    Q_OBJECT

public:
    using ReplyHandler = std::function<void(const RedisReply &reply)>;

    RedisConnection(const RedisEndpoint &endpoint, const QString &name, QObject *parent = nullptr);
    ~RedisConnection() override;

    /// Starts connecting; ready() or lost() follows.
    void open();
    /// Opens, and opens again \a retryMs after each loss, until close().
    void keepOpen(int retryMs = ReopenMs);
    /// How long keepOpen() waits before it opens again.
    static constexpr int ReopenMs = 1000;
    /// Drops the connection (and stops keeping it open); commands still waiting get a NoReply.
    void close();
    bool isReady() const { return m_ready; }

    /// Sends one command; \a handler gets its reply, or a NoReply when the connection breaks or no
    /// reply comes within \a timeoutMs (then the connection is dropped, as it cannot be trusted).
    void command(const QList<QByteArray> &arguments, ReplyHandler handler, int timeoutMs = DefaultTimeoutMs);

    static constexpr int DefaultTimeoutMs = 5000;

    /// Runs \a commands one after the other on a short-lived blocking connection, for the few
    /// things said on the way out, when no event loop will wait for the answers. False when
    /// Redis could not be reached or refused one, within \a timeoutMs each.
    static bool runNow(const RedisEndpoint &endpoint, const QList<QList<QByteArray>> &commands, int timeoutMs);

Q_SIGNALS:
    void ready();
    void lost(const QString &reason);

private:
    struct Pending;

    void send(const QList<QByteArray> &arguments, ReplyHandler handler, int timeoutMs);
    void onConnected(int status);
    void onDisconnected(int status);
    void drop(const QString &reason);

    // hiredis' event hooks.
    static void addRead(void *data);
    static void delRead(void *data);
    static void addWrite(void *data);
    static void delWrite(void *data);
    static void cleanup(void *data);
    static void replied(redisAsyncContext *context, void *reply, void *pending);

    const RedisEndpoint m_endpoint;
    const QString m_name;
    redisAsyncContext *m_context = nullptr;
    QSocketNotifier *m_reader = nullptr;
    QSocketNotifier *m_writer = nullptr;
    bool m_ready = false;
    QString m_lostReason;
    quint64 m_generation = 0; ///< tells the commands of one connection from the next one's
    int m_retryMs = 0; ///< keepOpen()'s
};
