#include "unixsignals.h"

#include "signalmeanings.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

struct UnixSignals::Private
{
    QSocketNotifier *notifier = nullptr;
};

namespace {
int signalSockets[2] = {-1, -1};

void onSignal(int signalNumber)
{
    const char byte = char(signalNumber);
    [[maybe_unused]] ssize_t ignored = ::write(signalSockets[0], &byte, 1);
}
} // namespace

UnixSignals::UnixSignals(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalSockets) != 0)
        return;
    d->notifier = new QSocketNotifier(signalSockets[1], QSocketNotifier::Read, this);
    connect(d->notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(signalSockets[1], &byte, 1) != 1)
            return;
        for (const SignalMeanings::Watched &watched : SignalMeanings::watched()) {
            if (watched.number != int(byte))
                continue;
            if (watched.meaning == SignalMeanings::Meaning::Reload)
                Q_EMIT reloadRequested();
            else
                Q_EMIT terminationRequested(watched.number);
        }
    });

    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const SignalMeanings::Watched &watched : SignalMeanings::watched())
        sigaction(watched.number, &action, nullptr);
    SignalMeanings::surviveFailedWrites();
}

UnixSignals::~UnixSignals()
{
    for (const SignalMeanings::Watched &watched : SignalMeanings::watched())
        std::signal(watched.number, SIG_DFL);
}
