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
    // The first pass comes from the event loop, once whoever takes the requests is ready for them.
}

void GateLoop::runPass()
{
    m_gate->runPass();
    // Deadlines are looked at only while there are some: an idle gate costs nothing.
    if (!m_gate->hasDeadlines())
        m_sweep->stop();
    else if (!m_sweep->isActive())
        m_sweep->start();
}
