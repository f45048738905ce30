#pragma once

#include <QObject>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

class QSocketNotifier;
class QTimer;
class RequestGate;

/// Runs a RequestGate from the Qt event loop of the thread this object lives in, which becomes
/// the gate's thread: a pass whenever the gate's poller is ready, and every
/// RequestGate::SweepMs while a connection has a deadline to keep. So the thread that takes the
/// gate's requests reads and answers them too, with no hop to another thread and back.
class GateLoop : public QObject
{
    Q_OBJECT

public:
    /// How the loop learns that the gate has something to do.
    enum class Waiting {
        /// The Qt event loop watches the gate's poller descriptor (epoll's, or libuv's on Linux
        /// and macOS): no other thread.
        OnDescriptor,
        /// A thread of the loop's own waits on the poller and hands each pass to the gate's
        /// thread, then waits again once the pass has run: for a poller that is no descriptor
        /// (libuv's on Windows).
        OnThread,
    };
    Q_ENUM(Waiting)
    /// OnDescriptor where the gate's poller has a descriptor, else OnThread.
    static Waiting waitingFor(const RequestGate &gate);

    /// Drives \a gate, which must have started on this object's thread and outlive it. A pass
    /// must not destroy this (the gate's receivers do not stop it: that comes through a queued
    /// call).
    explicit GateLoop(RequestGate *gate, QObject *parent = nullptr);
    GateLoop(RequestGate *gate, Waiting waiting, QObject *parent = nullptr);
    ~GateLoop() override;

    /// How many passes it has run (for tests of what an idle connection costs). Thread-safe.
    quint64 passes() const { return m_passes.load(std::memory_order_relaxed); }

private:
    void runPass();
    /// The waiting thread's loop (Waiting::OnThread).
    void waitForPasses();
    /// A pass the waiting thread asked for; the gate is the waiting thread's again after it.
    void runWaitedPass();

    std::atomic<quint64> m_passes{0};

    RequestGate *m_gate;
    QSocketNotifier *m_ready = nullptr;
    QTimer *m_sweep = nullptr;

    // Waiting::OnThread: the gate is either the waiting thread's, or its own thread's for a pass.
    std::thread m_waiter;
    std::mutex m_mutex;
    std::condition_variable m_passRun;
    bool m_passAsked = false; ///< the gate is its own thread's until the pass has run
    bool m_stopping = false;
};
