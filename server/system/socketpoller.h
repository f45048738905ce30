#pragma once

#include <QString>
#include <QtGlobal>

#include <memory>
#include <vector>

/// Says which of one loop's descriptors are ready, level-triggered unless asked for edges: a
/// descriptor stays ready until its bytes are read or its room is used. One class, two ways to build it, which CMake
/// picks: epoll on Linux (socketpoller_epoll.cpp), or with HERALD_PORTABLE libuv, which polls with
/// what each system has (socketpoller_libuv.cpp). wake() is for any thread; the rest belongs to
/// the thread that waits on it.
class SocketPoller
{
public:
    /// What a descriptor is watched for; with neither Input nor Output, only for breaking.
    enum Interest : quint32 {
        Input = 0x1, ///< bytes, or the peer's end
        Output = 0x2, ///< room to write
        /// Input reported only when more arrives (edge-triggered), not while bytes wait unread:
        /// where reportsEdges(); otherwise ignored.
        Edges = 0x4,
    };
    /// What wait() says of a ready descriptor.
    enum Readiness : quint32 {
        Readable = 0x1, ///< bytes, or the peer's end, wait to be read
        Writable = 0x2,
        PeerEnded = 0x4, ///< the peer sent its end (with Readable): nothing more will arrive
        Broken = 0x8, ///< an error or a hang-up: reading or writing will say which
    };
    struct Ready
    {
        quint64 key; ///< as given to watch(), or Woken
        quint32 readiness;
    };
    /// The key wait() reports after wake().
    static constexpr quint64 Woken = ~quint64(0);

    SocketPoller();
    ~SocketPoller();
    SocketPoller(const SocketPoller &) = delete;
    SocketPoller &operator=(const SocketPoller &) = delete;

    /// False, with a message a person can act on, when the system gave the poller no means to
    /// wait (it is made by the constructor).
    bool open(QString *errorMessage) const;
    /// Watches \a fd under \a key for \a interest, or changes what it is watched for. False when
    /// the system refuses (see lastError()).
    bool watch(int fd, quint64 key, quint32 interest);
    /// Whether this system's poller honours Edges: epoll does, libuv does not.
    static bool reportsEdges();
    /// Stops watching \a fd; call it before \a fd is closed.
    void unwatch(int fd);
    /// Waits up to \a timeoutMs (0: not at all; -1: until something is ready) and puts what is
    /// ready in \a ready (emptied first). False when waiting failed (see lastError()).
    bool wait(std::vector<Ready> &ready, int timeoutMs);
    /// Why the last watch() or wait() that failed failed, in the system's (or libuv's) words.
    QString lastError() const;
    /// For a loop run from another event loop (Qt's): a descriptor that is readable while wait()
    /// has something to report. Changes made by watch() and unwatch() count for it only after
    /// the next wait() when hasPendingChanges() says so. -1 where the system's poller is no
    /// descriptor (libuv's on Windows): then a thread of its own waits (see GateLoop).
    int descriptor() const;
    bool hasPendingChanges() const;
    /// Has the thread's wait() return with Woken among what is ready, at once or when it next
    /// waits. Thread-safe, from the poller's construction on; wakes that come before that wait
    /// returns come as one.
    void wake();

private:
    struct Private;
    std::unique_ptr<Private> d;
};
