#pragma once

#include <QList>
#include <QString>
#include <QStringList>

class QProcess;

/// Reads a started herald's standard output into \a output until it has printed its local URL
/// (http://127.0.0.1:PORT/) and, when given, \a marker, or until it exits or \a timeoutMs pass.
/// Returns the port, or 0.
quint16 waitForHeraldPort(QProcess &process, QString *output, const QString &marker = QString(), int timeoutMs = 10000);

/// One flag as herald --help lists it.
struct HelpFlag
{
    QStringList names; ///< "-h" and "--help", or "--port" alone
    QString valueName; ///< "N" for "--port <N>"; empty for a flag that takes no value
};

/// The flags that \a binary --help lists, in its order; empty when it does not run.
QList<HelpFlag> helpFlags(const QString &binary);
