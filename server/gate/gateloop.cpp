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
    connect(m_ready, &QSocketNotifier::activated, this, &GateLoop::runPass);
    connect(m_sweep, &QTimer::timeout, this, &GateLoop::runPass);
    runPass(); // a connection may be waiting already
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
