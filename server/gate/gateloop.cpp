#include "gateloop.h"

#include "namedthread.h"
#include "requestgate.h"

#include <QSocketNotifier>
#include <QTimer>

#include <chrono>

GateLoop::Waiting GateLoop::waitingFor(const RequestGate &gate)
{
    return gate.pollDescriptor() >= 0 ? Waiting::OnDescriptor : Waiting::OnThread;
}

GateLoop::GateLoop(RequestGate *gate, QObject *parent)
    : GateLoop(gate, waitingFor(*gate), parent)
{}

GateLoop::GateLoop(RequestGate *gate, Waiting waiting, QObject *parent)
    : QObject(parent)
    , m_gate(gate)
{
    if (waiting == Waiting::OnThread) {
        m_waiter = startNamedThread("Herald gate", [this] { waitForPasses(); });
        return;
    }
    m_ready = new QSocketNotifier(gate->pollDescriptor(), QSocketNotifier::Read, this);
    m_sweep = new QTimer(this);
    m_sweep->setInterval(RequestGate::SweepMs);
    m_sweep->setTimerType(Qt::PreciseTimer); // a coarse one may come just before a sweep is due
    connect(m_ready, &QSocketNotifier::activated, this, &GateLoop::runPass);
    connect(m_sweep, &QTimer::timeout, this, &GateLoop::runPass);
    // The first pass comes from the event loop, once whoever takes the requests is ready for them:
    // when the poller is ready, or at once if it has yet to take the listeners.
    if (m_gate->needsPassSoon())
        QMetaObject::invokeMethod(this, &GateLoop::runPass, Qt::QueuedConnection);
}

GateLoop::~GateLoop()
{
    if (!m_waiter.joinable())
        return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_gate->wake();
    m_passRun.notify_one();
    m_waiter.join(); // a pass it asked for and this thread did not run is not run
}

void GateLoop::runPass()
{
    m_passes.fetch_add(1, std::memory_order_relaxed);
    m_gate->runPass();
    if (!m_sweep)
        return;
    if (m_gate->needsPassSoon())
        QMetaObject::invokeMethod(this, &GateLoop::runPass, Qt::QueuedConnection);
    // Deadlines are looked at only while there are some: an idle gate costs nothing.
    if (!m_gate->hasDeadlines())
        m_sweep->stop();
    else if (!m_sweep->isActive())
        m_sweep->start();
}

void GateLoop::waitForPasses()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stopping) {
        // The gate is this thread's now: its own runs no pass until asked. Deadlines are looked
        // at every sweep while there are some, as on a descriptor.
        const int timeoutMs = m_gate->hasDeadlines() ? RequestGate::SweepMs : -1;
        lock.unlock();
        if (!m_gate->waitForWork(timeoutMs)) // a pass then runs every sweep, not over and over
            std::this_thread::sleep_for(std::chrono::milliseconds(RequestGate::SweepMs));
        lock.lock();
        if (m_stopping)
            break;
        m_passAsked = true;
        QMetaObject::invokeMethod(this, &GateLoop::runWaitedPass, Qt::QueuedConnection);
        m_passRun.wait(lock, [this] { return !m_passAsked || m_stopping; });
    }
}

void GateLoop::runWaitedPass()
{
    {
        // What the waiting thread found was written before it let go of this lock: taking it makes
        // that this thread's, whatever carried the call here.
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_passAsked)
            return;
    }
    runPass();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_passAsked = false;
    }
    m_passRun.notify_one();
}
