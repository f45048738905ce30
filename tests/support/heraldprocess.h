#pragma once

#include <QString>

class QProcess;

/// Reads a started herald's standard output into \a output until it has printed its local URL
/// (http://127.0.0.1:PORT/) and, when given, \a marker, or until it exits or \a timeoutMs pass.
/// Returns the port, or 0.
quint16 waitForHeraldPort(QProcess &process, QString *output, const QString &marker = QString(),
                          int timeoutMs = 10000);
