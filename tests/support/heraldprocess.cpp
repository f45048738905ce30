#include "heraldprocess.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

quint16 waitForHeraldPort(QProcess &process, QString *output, const QString &marker, int timeoutMs)
{
    static const QRegularExpression loopbackUrl(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)/"));
    QRegularExpressionMatch match;
    const bool ready = QTest::qWaitFor(
        [&] {
            *output += QString::fromUtf8(process.readAllStandardOutput());
            match = loopbackUrl.match(*output);
            return (match.hasMatch() && output->contains(marker)) || process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    return ready && match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}

QList<HelpFlag> helpFlags(const QString &binary)
{
    QProcess herald;
    herald.start(binary, {QStringLiteral("--help")});
    if (!herald.waitForFinished(-1) || herald.exitCode() != 0)
        return {};
    // "  -h, --help   Displays ..." or "  --port <N>   The TCP port ..."; a wrapped description
    // goes on in a line indented further, which never starts with a dash.
    static const QRegularExpression flagLine(QStringLiteral("^  (-[^\\s,]+)(?:, (-[^\\s,]+))?(?: <([^>]+)>)?"),
                                             QRegularExpression::MultilineOption);
    QList<HelpFlag> flags;
    auto matches = flagLine.globalMatch(QString::fromUtf8(herald.readAllStandardOutput()));
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        HelpFlag flag;
        flag.names.append(match.captured(1));
        if (!match.captured(2).isEmpty())
            flag.names.append(match.captured(2));
        flag.valueName = match.captured(3);
        flags.append(flag);
    }
    return flags;
}
