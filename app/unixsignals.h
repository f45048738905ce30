#pragma once

#include <QObject>

#include <memory>

/// Turns SIGTERM and SIGINT, and SIGHUP, into Qt signals, safely: the handler only writes a byte,
/// and the event loop does the rest. One file per way, which CMake picks: unixsignals.cpp on
/// Linux (sigaction() and a socket pair), unixsignals_libuv.cpp with HERALD_PORTABLE (libuv's
/// uv_signal_t, which Windows has too).
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
    struct Private;
    std::unique_ptr<Private> d;
};
