// UnixSignals on libuv (HERALD_PORTABLE): a uv_signal_t for each signal this system's
// SignalMeanings name, on a libuv loop that a thread of its own runs, so that nothing depends on
// the loop being a descriptor the Qt event loop can watch (on Windows it is not).
#include "unixsignals.h"

#include "namedthread.h"
#include "signalmeanings.h"

#include <uv.h>

#include <deque>
#include <thread>

namespace {

struct Watch
{
    uv_signal_t handle{};
    UnixSignals *owner = nullptr;
    SignalMeanings::Meaning meaning = SignalMeanings::Meaning::Stop;
};

} // namespace

struct UnixSignals::Private
{
    uv_loop_t loop{};
    uv_async_t stop{}; ///< ends the loop's thread
    std::deque<Watch> watches; ///< libuv keeps their addresses
    std::thread thread;
};

UnixSignals::UnixSignals(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    SignalMeanings::surviveFailedWrites();
    if (uv_loop_init(&d->loop) != 0)
        return;
    d->loop.data = d.get();
    const int stopMade = uv_async_init(&d->loop, &d->stop, [](uv_async_t *stop) {
        auto *d = static_cast<Private *>(stop->loop->data);
        for (Watch &watch : d->watches)
            uv_close(reinterpret_cast<uv_handle_t *>(&watch.handle), nullptr); // the signal's own handling again
        uv_close(reinterpret_cast<uv_handle_t *>(stop), nullptr); // then nothing keeps the loop running
    });
    if (stopMade != 0) {
        uv_loop_close(&d->loop); // nothing on it yet
        return;
    }
    for (const SignalMeanings::Watched &watched : SignalMeanings::watched()) {
        Watch &watch = d->watches.emplace_back();
        watch.owner = this;
        watch.meaning = watched.meaning;
        watch.handle.data = &watch;
        uv_signal_init(&d->loop, &watch.handle);
        uv_signal_start(
            &watch.handle,
            [](uv_signal_t *handle, int number) {
                // On the loop's thread: the Qt signal is emitted on the owner's.
                const Watch *watch = static_cast<const Watch *>(handle->data);
                UnixSignals *owner = watch->owner;
                if (watch->meaning == SignalMeanings::Meaning::Reload)
                    QMetaObject::invokeMethod(
                        owner, [owner] { Q_EMIT owner->reloadRequested(); }, Qt::QueuedConnection);
                else
                    QMetaObject::invokeMethod(
                        owner, [owner, number] { Q_EMIT owner->terminationRequested(number); }, Qt::QueuedConnection);
            },
            watched.number);
    }
    d->thread = startNamedThread("Herald signals", [loop = &d->loop] { uv_run(loop, UV_RUN_DEFAULT); });
}

UnixSignals::~UnixSignals()
{
    if (!d->thread.joinable())
        return;
    uv_async_send(&d->stop);
    d->thread.join();
    uv_loop_close(&d->loop);
}
