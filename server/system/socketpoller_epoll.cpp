// SocketPoller on Linux's epoll: the default on Linux.
#include "socketpoller.h"

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace {
// Descriptors taken from epoll at once: with a hundred thousand streams, many are ready together.
constexpr int ReadyBatch = 1024;
} // namespace

struct SocketPoller::Private
{
    int epollFd = -1;
    int wakeFd = -1; ///< an eventfd in the epoll set
    int error = 0; ///< why the constructor could not make them
    int failure = 0; ///< why the last watch() or wait() that failed failed
    std::vector<epoll_event> events = std::vector<epoll_event>(ReadyBatch);
    /// Descriptors watched, so that watch() knows whether to add or to change.
    std::vector<bool> watched;
};

SocketPoller::SocketPoller()
    : d(std::make_unique<Private>())
{
    d->epollFd = epoll_create1(EPOLL_CLOEXEC);
    d->wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.u64 = Woken;
    if (d->epollFd < 0 || d->wakeFd < 0 || epoll_ctl(d->epollFd, EPOLL_CTL_ADD, d->wakeFd, &wake) < 0)
        d->error = errno;
}

SocketPoller::~SocketPoller()
{
    if (d->epollFd >= 0)
        ::close(d->epollFd);
    if (d->wakeFd >= 0)
        ::close(d->wakeFd);
}

bool SocketPoller::open(QString *errorMessage) const
{
    if (d->error == 0)
        return true;
    *errorMessage = QStringLiteral("cannot create an epoll set: %1").arg(QString::fromLocal8Bit(strerror(d->error)));
    return false;
}

int SocketPoller::descriptor() const
{
    return d->epollFd;
}

bool SocketPoller::hasPendingChanges() const
{
    return false; // epoll_ctl changes the set at once
}

void SocketPoller::wake()
{
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = ::write(d->wakeFd, &one, sizeof one);
}

bool SocketPoller::watch(int fd, quint64 key, quint32 interest)
{
    if (fd < 0) {
        d->failure = EBADF;
        return false;
    }
    if (size_t(fd) >= d->watched.size())
        d->watched.resize(size_t(fd) + 1);
    epoll_event event{};
    event.events = ((interest & Input) ? EPOLLIN | EPOLLRDHUP : 0u) | ((interest & Output) ? EPOLLOUT : 0u)
        | ((interest & Edges) ? EPOLLET : 0u);
    event.data.u64 = key;
    if (epoll_ctl(d->epollFd, d->watched[size_t(fd)] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) < 0) {
        d->failure = errno;
        return false;
    }
    d->watched[size_t(fd)] = true;
    return true;
}

bool SocketPoller::reportsEdges()
{
    return true;
}

QString SocketPoller::lastError() const
{
    return QString::fromLocal8Bit(strerror(d->failure));
}

void SocketPoller::unwatch(int fd)
{
    if (fd < 0 || size_t(fd) >= d->watched.size() || !d->watched[size_t(fd)])
        return;
    epoll_ctl(d->epollFd, EPOLL_CTL_DEL, fd, nullptr);
    d->watched[size_t(fd)] = false;
}

bool SocketPoller::wait(std::vector<Ready> &ready, int timeoutMs)
{
    ready.clear();
    const int count = epoll_wait(d->epollFd, d->events.data(), int(d->events.size()), timeoutMs);
    if (count < 0) {
        d->failure = errno;
        return errno == EINTR;
    }
    for (int i = 0; i < count; ++i) {
        const uint32_t events = d->events[size_t(i)].events;
        if (d->events[size_t(i)].data.u64 == Woken) {
            uint64_t drained;
            [[maybe_unused]] ssize_t ignored = ::read(d->wakeFd, &drained, sizeof drained);
            ready.push_back(Ready{Woken, Readable});
            continue;
        }
        quint32 readiness = 0;
        if (events & (EPOLLIN | EPOLLRDHUP))
            readiness |= Readable;
        if (events & EPOLLRDHUP)
            readiness |= PeerEnded;
        if (events & EPOLLOUT)
            readiness |= Writable;
        if (events & (EPOLLERR | EPOLLHUP))
            readiness |= Broken;
        ready.push_back(Ready{d->events[size_t(i)].data.u64, readiness});
    }
    return true;
}
