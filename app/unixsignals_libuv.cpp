// UnixSignals on libuv (HERALD_PORTABLE): a uv_signal_t for each signal, on a libuv loop of its
// own that the Qt event loop runs whenever the loop's descriptor is readable.
#include "unixsignals.h"

#include <QSocketNotifier>

#include <uv.h>

#include <csignal>
#include <iterator>

namespace {
constexpr int Watched[] = {SIGTERM, SIGINT, SIGHUP};
}

struct UnixSignals::Private
{
    uv_loop_t loop{};
    bool running = false;
    uv_signal_t handles[std::size(Watched)]{};
};

UnixSignals::UnixSignals(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    if (uv_loop_init(&d->loop) != 0)
        return;
    d->running = true;
    for (size_t i = 0; i < std::size(Watched); ++i) {
        uv_signal_t &handle = d->handles[i];
        uv_signal_init(&d->loop, &handle);
        handle.data = this;
        uv_signal_start(
            &handle,
            [](uv_signal_t *signal, int number) {
                auto *owner = static_cast<UnixSignals *>(signal->data);
                if (number == SIGHUP)
                    Q_EMIT owner->reloadRequested();
                else
                    Q_EMIT owner->terminationRequested(number);
            },
            Watched[i]);
    }
    uv_run(&d->loop, UV_RUN_NOWAIT); // hands the loop's own descriptors to the system
    auto *notifier = new QSocketNotifier(uv_backend_fd(&d->loop), QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this] { uv_run(&d->loop, UV_RUN_NOWAIT); });

    // A peer that vanishes mid-write must not kill the process, nor a journal that reaches the
    // file-size limit (ulimit -f): that write fails, and Herald says so (see EventJournal).
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);
}

UnixSignals::~UnixSignals()
{
    if (!d->running)
        return;
    for (uv_signal_t &handle : d->handles) {
        uv_signal_stop(&handle); // the signal's own handling again
        uv_close(reinterpret_cast<uv_handle_t *>(&handle), nullptr);
    }
    uv_run(&d->loop, UV_RUN_DEFAULT);
    uv_loop_close(&d->loop);
}
