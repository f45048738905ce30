#pragma once

#include <QObject>

#include <memory>

/// Turns the signals that ask Herald to stop or to reload its certificate (which ones, per
/// system: SignalMeanings) into Qt signals, emitted on this object's thread. One file per way,
/// which CMake picks: unixsignals_posix.cpp on Linux (sigaction(), whose handler only writes a byte to
/// a socket pair the event loop reads), unixsignals_libuv.cpp with HERALD_PORTABLE (libuv's
/// uv_signal_t, which Windows has too, on a thread of its own).
class UnixSignals : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
    /// SIGHUP where it means so: read the HTTPS certificate's files again.
    void reloadRequested();

private:
    struct Private;
    std::unique_ptr<Private> d;
};
