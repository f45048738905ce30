#pragma once

#include <QObject>

#include <atomic>

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
    /// Drives \a gate, which must have started on this object's thread and outlive it. A pass
    /// must not destroy this (the gate's receivers do not stop it: that comes through a queued
    /// call).
    explicit GateLoop(RequestGate *gate, QObject *parent = nullptr);

    /// How many passes it has run (for tests of what an idle connection costs). Thread-safe.
    quint64 passes() const { return m_passes.load(std::memory_order_relaxed); }

private:
    void runPass();

    std::atomic<quint64> m_passes{0};

    RequestGate *m_gate;
    QSocketNotifier *m_ready;
    QTimer *m_sweep;
};
