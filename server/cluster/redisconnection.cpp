#include "redisconnection.h"

#include "logging.h"

#include <QSocketNotifier>
#include <QTimer>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace {

RedisReply copyReply(const redisReply *reply)
{
    RedisReply copy;
    if (!reply)
        return copy;
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        copy.type = RedisReply::Type::String;
        break;
    case REDIS_REPLY_ARRAY:
        copy.type = RedisReply::Type::Array;
        break;
    case REDIS_REPLY_INTEGER:
        copy.type = RedisReply::Type::Integer;
        break;
    case REDIS_REPLY_NIL:
        copy.type = RedisReply::Type::Nil;
        break;
    case REDIS_REPLY_STATUS:
        copy.type = RedisReply::Type::Status;
        break;
    default:
        copy.type = RedisReply::Type::Error;
        break;
    }
    copy.integer = reply->integer;
    if (reply->str)
        copy.string = QByteArray(reply->str, qsizetype(reply->len));
    for (size_t i = 0; i < reply->elements; ++i)
        copy.elements.append(copyReply(reply->element[i]));
    return copy;
}

} // namespace

QString RedisReply::errorText() const
{
    if (type == Type::NoReply)
        return QStringLiteral("no reply from Redis");
    return QString::fromUtf8(string);
}

/// A command waiting for its reply.
struct RedisConnection::Pending
{
    RedisConnection *owner;
    ReplyHandler handler;
    QTimer *timer = nullptr;
    bool answered = false; ///< timed out: the handler has had its NoReply already
};

RedisConnection::RedisConnection(const RedisEndpoint &endpoint, const QString &name, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_name(name)
{
    connect(this, &RedisConnection::lost, this, [this] {
        if (m_retryMs > 0) {
            QTimer::singleShot(m_retryMs, this, [this] {
                if (m_retryMs > 0)
                    open();
            });
        }
    });
}

RedisConnection::~RedisConnection()
{
    close();
}

void RedisConnection::open()
{
    if (m_context)
        return;
    ++m_generation;
    m_lostReason.clear();
    redisAsyncContext *context = redisAsyncConnect(m_endpoint.host.toUtf8().constData(), m_endpoint.port);
    if (!context || context->err) {
        const QString reason = context ? QString::fromUtf8(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        QMetaObject::invokeMethod(
            this, [this, reason] { Q_EMIT lost(reason); }, Qt::QueuedConnection);
        return;
    }
    m_context = context;
    context->data = this;
    context->ev.data = this;
    context->ev.addRead = addRead;
    context->ev.delRead = delRead;
    context->ev.addWrite = addWrite;
    context->ev.delWrite = delWrite;
    context->ev.cleanup = cleanup;
    redisAsyncSetConnectCallback(context, [](const redisAsyncContext *context, int status) {
        static_cast<RedisConnection *>(context->data)->onConnected(status);
    });
    redisAsyncSetDisconnectCallback(context, [](const redisAsyncContext *context, int status) {
        static_cast<RedisConnection *>(context->data)->onDisconnected(status);
    });
    // A Redis that takes the connection but never greets it (stopped, or an address that drops
    // packets) is given up on like a command that gets no reply.
    QTimer::singleShot(DefaultTimeoutMs, this, [this, generation = m_generation] {
        if (generation == m_generation && m_context && !m_ready)
            drop(QStringLiteral("Redis did not answer within %1 s").arg(DefaultTimeoutMs / 1000));
    });
}

void RedisConnection::keepOpen(int retryMs)
{
    m_retryMs = retryMs;
    open();
}

void RedisConnection::close()
{
    m_retryMs = 0;
    if (!m_context)
        return;
    // Commands still waiting get their NoReply now (or, from inside a callback, as soon as it
    // returns); nothing is said about it, as the owner asked for it.
    m_lostReason = QStringLiteral("closed");
    m_ready = false;
    redisAsyncContext *context = m_context;
    m_context = nullptr;
    redisAsyncFree(context);
}

void RedisConnection::command(const QList<QByteArray> &arguments, ReplyHandler handler, int timeoutMs)
{
    if (!m_ready) {
        QMetaObject::invokeMethod(
            this, [handler] { handler(RedisReply()); }, Qt::QueuedConnection);
        return;
    }
    send(arguments, std::move(handler), timeoutMs);
}

void RedisConnection::send(const QList<QByteArray> &arguments, ReplyHandler handler, int timeoutMs)
{
    std::vector<const char *> pointers;
    std::vector<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        pointers.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    auto *pending = new Pending{this, std::move(handler)};
    if (!m_context
        || redisAsyncCommandArgv(m_context, replied, pending, int(pointers.size()), pointers.data(), lengths.data())
            != REDIS_OK) {
        ReplyHandler failed = std::move(pending->handler);
        delete pending;
        QMetaObject::invokeMethod(
            this, [failed] { failed(RedisReply()); }, Qt::QueuedConnection);
        return;
    }
    pending->timer = new QTimer(this);
    pending->timer->setSingleShot(true);
    connect(pending->timer, &QTimer::timeout, this, [this, pending] {
        // A Redis that does not answer cannot be trusted with what comes next either.
        pending->answered = true;
        pending->timer = nullptr;
        pending->handler(RedisReply());
        drop(QStringLiteral("Redis did not answer within %1 s").arg(DefaultTimeoutMs / 1000));
    });
    connect(pending->timer, &QTimer::timeout, pending->timer, &QObject::deleteLater);
    pending->timer->start(timeoutMs);
}

void RedisConnection::replied(redisAsyncContext *, void *reply, void *data)
{
    auto *pending = static_cast<Pending *>(data);
    if (pending->timer) {
        pending->timer->stop();
        pending->timer->deleteLater();
    }
    if (!pending->answered)
        pending->handler(copyReply(static_cast<redisReply *>(reply)));
    delete pending;
}

void RedisConnection::onConnected(int status)
{
    if (status != REDIS_OK) {
        // hiredis frees the context after this, without a disconnect callback: it never connected.
        const QString reason = m_context ? QString::fromUtf8(m_context->errstr) : QStringLiteral("cannot connect");
        m_context = nullptr;
        m_ready = false;
        ++m_generation;
        QMetaObject::invokeMethod(
            this, [this, reason] { Q_EMIT lost(reason); }, Qt::QueuedConnection);
        return;
    }
    // Authenticate and pick the database before anyone else may send a command.
    const quint64 generation = m_generation;
    auto greeted = [this, generation](const RedisReply &reply) {
        if (generation != m_generation)
            return;
        if (reply.isError()) {
            drop(QStringLiteral("Redis refused Herald: %1").arg(reply.errorText()));
            return;
        }
    };
    if (!m_endpoint.password.isEmpty()) {
        QList<QByteArray> auth{"AUTH"};
        if (!m_endpoint.user.isEmpty())
            auth.append(m_endpoint.user);
        auth.append(m_endpoint.password);
        send(auth, greeted, DefaultTimeoutMs);
    }
    send(
        {"SELECT", QByteArray::number(m_endpoint.database)},
        [this, generation, greeted](const RedisReply &reply) {
            greeted(reply);
            if (generation != m_generation || reply.isError() || !m_context)
                return;
            m_ready = true;
            qCInfo(lcCluster, "%s connection to %s is up", qPrintable(m_name), qPrintable(m_endpoint.displayUrl()));
            Q_EMIT ready();
        },
        DefaultTimeoutMs);
}

void RedisConnection::onDisconnected(int status)
{
    // The context is being freed by hiredis; whatever is pending has been answered with none.
    if (m_lostReason == QLatin1String("closed"))
        return;
    QString reason = m_lostReason;
    if (reason.isEmpty())
        reason = status == REDIS_OK ? QStringLiteral("Redis closed the connection")
                                    : (m_context && m_context->errstr[0] ? QString::fromUtf8(m_context->errstr)
                                                                         : QStringLiteral("the connection broke"));
    const bool wasOpen = m_context != nullptr;
    m_context = nullptr;
    m_ready = false;
    ++m_generation;
    if (wasOpen)
        QMetaObject::invokeMethod(
            this, [this, reason] { Q_EMIT lost(reason); }, Qt::QueuedConnection);
}

void RedisConnection::drop(const QString &reason)
{
    if (!m_context)
        return;
    m_lostReason = reason;
    m_ready = false;
    // Not redisAsyncDisconnect(): it waits for the replies still pending, and a Redis that has
    // stopped answering never sends them. Freeing answers them with none now (or, from inside a
    // callback, as soon as it returns), and reports the loss through onDisconnected().
    redisAsyncContext *context = m_context;
    const bool inCallback = context->c.flags & REDIS_IN_CALLBACK;
    const bool connected = context->c.flags & REDIS_CONNECTED;
    redisAsyncFree(context);
    if (!inCallback && !connected && m_context == context) {
        // Still connecting: hiredis says nothing of a connection it never made.
        m_context = nullptr;
        ++m_generation;
        QMetaObject::invokeMethod(
            this, [this, reason] { Q_EMIT lost(reason); }, Qt::QueuedConnection);
    }
}

bool RedisConnection::runNow(const RedisEndpoint &endpoint, const QList<QList<QByteArray>> &commands, int timeoutMs)
{
    const timeval timeout{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    redisContext *context = redisConnectWithTimeout(endpoint.host.toUtf8().constData(), endpoint.port, timeout);
    if (!context || context->err) {
        if (context)
            redisFree(context);
        return false;
    }
    redisSetTimeout(context, timeout);
    QList<QList<QByteArray>> all;
    if (!endpoint.password.isEmpty())
        all.append(endpoint.user.isEmpty() ? QList<QByteArray>{"AUTH", endpoint.password}
                                           : QList<QByteArray>{"AUTH", endpoint.user, endpoint.password});
    all.append({"SELECT", QByteArray::number(endpoint.database)});
    all.append(commands);
    bool ok = true;
    for (const QList<QByteArray> &arguments : std::as_const(all)) {
        std::vector<const char *> pointers;
        std::vector<size_t> lengths;
        for (const QByteArray &argument : arguments) {
            pointers.push_back(argument.constData());
            lengths.push_back(size_t(argument.size()));
        }
        auto *reply = static_cast<redisReply *>(
            redisCommandArgv(context, int(pointers.size()), pointers.data(), lengths.data()));
        ok = reply && reply->type != REDIS_REPLY_ERROR;
        if (reply)
            freeReplyObject(reply);
        if (!ok)
            break;
    }
    redisFree(context);
    return ok;
}

void RedisConnection::addRead(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    if (!self->m_reader) {
        self->m_reader = new QSocketNotifier(self->m_context->c.fd, QSocketNotifier::Read, self);
        connect(self->m_reader, &QSocketNotifier::activated, self, [self] {
            if (self->m_context)
                redisAsyncHandleRead(self->m_context);
        });
    }
    self->m_reader->setEnabled(true);
}

void RedisConnection::delRead(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    if (self->m_reader)
        self->m_reader->setEnabled(false);
}

void RedisConnection::addWrite(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    if (!self->m_writer) {
        self->m_writer = new QSocketNotifier(self->m_context->c.fd, QSocketNotifier::Write, self);
        connect(self->m_writer, &QSocketNotifier::activated, self, [self] {
            if (self->m_context)
                redisAsyncHandleWrite(self->m_context);
        });
    }
    self->m_writer->setEnabled(true);
}

void RedisConnection::delWrite(void *data)
{
    auto *self = static_cast<RedisConnection *>(data);
    if (self->m_writer)
        self->m_writer->setEnabled(false);
}

void RedisConnection::cleanup(void *data)
{
    // The context is going: its socket with it. Notifiers may be in the middle of a signal.
    auto *self = static_cast<RedisConnection *>(data);
    for (QSocketNotifier **notifier : {&self->m_reader, &self->m_writer}) {
        if (*notifier) {
            (*notifier)->setEnabled(false);
            (*notifier)->deleteLater();
            *notifier = nullptr;
        }
    }
}
