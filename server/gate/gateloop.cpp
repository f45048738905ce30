#include "gateloop.h"

#include "requestgate.h"

#include <QSocketNotifier>
#include <QTimer>

GateLoop::GateLoop(RequestGate *gate, QObject *parent)
    : QObject(parent)
    , m_gate(gate)
    , m_ready(new QSocketNotifier(gate->pollDescriptor(), QSocketNotifier::Read, this))
    , m_sweep(new QTimer(this))
{
    m_sweep->setInterval(RequestGate::SweepMs);
    m_sweep->setTimerType(Qt::PreciseTimer); // a coarse one may come just before a sweep is due
    connect(m_ready, &QSocketNotifier::activated, this, &GateLoop::runPass);
    connect(m_sweep, &QTimer::timeout, this, &GateLoop::runPass);
    // The first pass comes from the event loop, once whoever takes the requests is ready for them:
    // when the poller is ready, or at once if it has yet to take the listeners.
    if (m_gate->needsPassSoon())
        QMetaObject::invokeMethod(this, &GateLoop::runPass, Qt::QueuedConnection);
}

void GateLoop::runPass()
{
    m_passes.fetch_add(1, std::memory_order_relaxed);
    m_gate->runPass();
    if (m_gate->needsPassSoon())
        QMetaObject::invokeMethod(this, &GateLoop::runPass, Qt::QueuedConnection);
    // Deadlines are looked at only while there are some: an idle gate costs nothing.
    if (!m_gate->hasDeadlines())
        m_sweep->stop();
    else if (!m_sweep->isActive())
        m_sweep->start();
}
