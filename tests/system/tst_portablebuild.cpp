#include <QProcess>
#include <QTest>

namespace {

/// The functions Herald's binary takes from shared libraries, as `nm -D` lists them.
QStringList importedFunctions()
{
    QProcess nm;
    nm.start(QStringLiteral("nm"),
             {QStringLiteral("-D"), QStringLiteral("--undefined-only"), QStringLiteral(HERALD_BINARY)});
    if (!nm.waitForFinished(60'000) || nm.exitCode() != 0)
        return {};
    QStringList names;
    for (const QByteArray &line : nm.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() >= 2)
            names.append(QString::fromLatin1(fields.last().split('@').first()));
    }
    return names;
}

// What Linux has and Windows and macOS lack, which the portable build must not call.
const QStringList LinuxOnly
    = {u"epoll_create"_qs, u"epoll_create1"_qs, u"epoll_ctl"_qs,  u"epoll_wait"_qs, u"epoll_pwait"_qs, u"eventfd"_qs,
       u"accept4"_qs,      u"writev"_qs,        u"socketpair"_qs, u"sigaction"_qs,  u"signalfd"_qs,    u"fdatasync"_qs};

} // namespace

/// Which build this is, by what its binary calls: the portable build (HERALD_PORTABLE) calls
/// nothing that only Linux has; the default one uses epoll.
class tst_PortableBuild : public QObject
{
    Q_OBJECT

private slots:
    void theBinaryCallsOnlyWhatItsBuildAllows();
};

void tst_PortableBuild::theBinaryCallsOnlyWhatItsBuildAllows()
{
    const QStringList imported = importedFunctions();
    QVERIFY2(imported.contains(u"socket"_qs) || imported.contains(u"accept"_qs) || imported.contains(u"accept4"_qs),
             "nm -D listed no socket call: it did not read the binary");
#ifdef HERALD_PORTABLE
    QStringList found;
    for (const QString &name : LinuxOnly) {
        if (imported.contains(name))
            found.append(name);
    }
    QVERIFY2(found.isEmpty(), qPrintable(u"the portable build calls "_qs + found.join(u", "_qs)));
    QVERIFY(imported.contains(u"uv_run"_qs));
#else
    QVERIFY(imported.contains(u"epoll_wait"_qs));
    QVERIFY(imported.contains(u"fdatasync"_qs));
    QVERIFY(!imported.contains(u"uv_run"_qs));
#endif
}

QTEST_GUILESS_MAIN(tst_PortableBuild)
#include "tst_portablebuild.moc"
