#include "heraldprocess.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

quint16 waitForHeraldPort(QProcess &process, QString *output, const QString &marker, int timeoutMs)
{
    static const QRegularExpression loopbackUrl(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)/"));
    QRegularExpressionMatch match;
    const bool ready = QTest::qWaitFor([&] {
        *output += QString::fromUtf8(process.readAllStandardOutput());
        match = loopbackUrl.match(*output);
        return (match.hasMatch() && output->contains(marker)) || process.state() == QProcess::NotRunning;
    }, timeoutMs);
    return ready && match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}
