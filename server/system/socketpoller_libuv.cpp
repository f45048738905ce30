// SocketPoller on libuv (HERALD_PORTABLE): epoll on Linux, kqueue on macOS, its own
// socket polling on Windows. Each descriptor gets a uv_poll_t; a wait is one turn of the loop.
#include "socketpoller.h"

#include <uv.h>

#include <unordered_map>

namespace {

struct Watch
{
    uv_poll_t handle;
    quint64 key = 0;
};

void freeWatch(uv_handle_t *handle)
{
    delete static_cast<Watch *>(handle->data);
}

} // namespace

struct SocketPoller::Private
{
    uv_loop_t loop{};
    int error = 0; ///< why the constructor could not make the loop
    int failure = 0; ///< why the last watch() that failed failed
    uv_timer_t timeout{}; ///< ends a wait that nothing ends sooner
    uv_async_t wake{};
    std::unordered_map<int, Watch *> watches;
    std::vector<Ready> *ready = nullptr; ///< of the wait() in progress
    /// watch() or unwatch() since the last wait(): libuv hands them to the system in its next turn.
    bool changed = false;

    static void onPoll(uv_poll_t *handle, int status, int events)
    {
        auto *watch = static_cast<Watch *>(handle->data);
        auto *d = static_cast<Private *>(handle->loop->data);
        quint32 readiness = 0;
        if (status < 0)
            readiness |= Broken;
        if (events & (UV_READABLE | UV_DISCONNECT))
            readiness |= Readable;
        if (events & UV_DISCONNECT)
            readiness |= PeerEnded;
        if (events & UV_WRITABLE)
            readiness |= Writable;
        if (d->ready)
            d->ready->push_back(Ready{watch->key, readiness});
    }
};

SocketPoller::SocketPoller()
    : d(std::make_unique<Private>())
{
    d->error = uv_loop_init(&d->loop);
    if (d->error != 0)
        return;
    d->loop.data = d.get();
    uv_timer_init(&d->loop, &d->timeout);
    d->error = uv_async_init(&d->loop, &d->wake, [](uv_async_t *async) {
        auto *d = static_cast<Private *>(async->loop->data);
        if (d->ready)
            d->ready->push_back(Ready{Woken, Readable});
    });
}

SocketPoller::~SocketPoller()
{
    if (d->error != 0 && d->loop.data == nullptr)
        return; // no loop to close
    for (auto &[fd, watch] : d->watches)
        uv_close(reinterpret_cast<uv_handle_t *>(&watch->handle), freeWatch);
    d->watches.clear();
    uv_close(reinterpret_cast<uv_handle_t *>(&d->timeout), nullptr);
    if (d->error == 0)
        uv_close(reinterpret_cast<uv_handle_t *>(&d->wake), nullptr);
    d->ready = nullptr;
    uv_run(&d->loop, UV_RUN_DEFAULT); // lets the handles' close callbacks run
    uv_loop_close(&d->loop);
}

bool SocketPoller::open(QString *errorMessage) const
{
    if (d->error == 0)
        return true;
    *errorMessage = QStringLiteral("cannot create an event loop: %1").arg(QString::fromUtf8(uv_strerror(d->error)));
    return false;
}

int SocketPoller::descriptor() const
{
    return uv_backend_fd(&d->loop);
}

bool SocketPoller::hasPendingChanges() const
{
    return d->changed;
}

void SocketPoller::wake()
{
    uv_async_send(&d->wake);
}

bool SocketPoller::watch(int fd, quint64 key, quint32 interest)
{
    Watch *&watch = d->watches[fd];
    if (!watch) {
        watch = new Watch;
        watch->handle.data = watch;
        if (const int result = uv_poll_init_socket(&d->loop, &watch->handle, fd); result != 0) {
            delete watch;
            d->watches.erase(fd);
            d->failure = result;
            return false;
        }
    }
    watch->key = key;
    d->changed = true;
    const int events = ((interest & Input) ? UV_READABLE | UV_DISCONNECT : 0) | ((interest & Output) ? UV_WRITABLE : 0);
    const int result = events ? uv_poll_start(&watch->handle, events, Private::onPoll) : uv_poll_stop(&watch->handle);
    if (result != 0) {
        d->failure = result;
        return false;
    }
    return true;
}

bool SocketPoller::reportsEdges()
{
    return false; // uv_poll_t is level-triggered everywhere
}

QString SocketPoller::lastError() const
{
    return QString::fromUtf8(uv_strerror(d->failure));
}

void SocketPoller::unwatch(int fd)
{
    const auto it = d->watches.find(fd);
    if (it == d->watches.end())
        return;
    // Stopped now, so the descriptor may be closed; freed once the loop lets go of it.
    d->changed = true;
    uv_poll_stop(&it->second->handle);
    uv_close(reinterpret_cast<uv_handle_t *>(&it->second->handle), freeWatch);
    d->watches.erase(it);
}

bool SocketPoller::wait(std::vector<Ready> &ready, int timeoutMs)
{
    ready.clear();
    d->ready = &ready;
    d->changed = false;
    if (timeoutMs > 0) {
        uv_update_time(&d->loop); // the loop's clock stood still while its caller worked
        uv_timer_start(
            &d->timeout, [](uv_timer_t *) {}, uint64_t(timeoutMs), 0);
    }
    uv_run(&d->loop, timeoutMs == 0 ? UV_RUN_NOWAIT : UV_RUN_ONCE);
    uv_timer_stop(&d->timeout);
    d->ready = nullptr;
    return true;
}
