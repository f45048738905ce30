#pragma once

#include <QObject>

class QSocketNotifier;

/// Turns SIGTERM and SIGINT, and SIGHUP, into Qt signals, safely: the handler only writes a byte
/// to a socket pair, and the event loop does the rest.
class UnixSignals : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
    /// SIGHUP: read the HTTPS certificate's files again.
    void reloadRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
};
