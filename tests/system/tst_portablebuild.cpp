#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
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
/// nothing that only Linux has; the default one uses epoll. And the files only a Windows build
/// takes, compiled against Windows' own headers.
class tst_PortableBuild : public QObject
{
    Q_OBJECT

private slots:
    void theBinaryCallsOnlyWhatItsBuildAllows();
    void whatOnlyWindowsBuildsTakeCompilesAgainstWindowsHeaders();
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

void tst_PortableBuild::whatOnlyWindowsBuildsTakeCompilesAgainstWindowsHeaders()
{
    // MinGW-w64's compiler and Windows headers (tools/setup installs them), with libuv's headers,
    // which name Windows' forms of what they declare themselves (uv/win.h); nothing else of this
    // system's include folder, which would hide what Windows lacks.
    // Its POSIX threads flavour, as Qt's MinGW builds use: it has std::thread.
    const QString compiler = u"x86_64-w64-mingw32-g++-posix"_qs;
    QTemporaryDir includes;
    QVERIFY(includes.isValid());
    QVERIFY(QFile::link(u"/usr/include/uv.h"_qs, includes.filePath(u"uv.h"_qs)));
    QVERIFY(QFile::link(u"/usr/include/uv"_qs, includes.filePath(u"uv"_qs)));

    const QDir source(QStringLiteral(HERALD_SOURCE_DIR));
    QStringList compiled;
    for (const QString &folder : {u"app"_qs, u"server"_qs, u"ui"_qs}) {
        QDirIterator files(source.filePath(folder), {u"*_windows.cpp"_qs}, QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString file = files.next();
            QProcess compile;
            compile.setProcessChannelMode(QProcess::MergedChannels);
            // Its own folder's headers, and the system part's, which every part may use.
            compile.start(compiler,
                          {u"-std=c++17"_qs, u"-Wall"_qs, u"-Wextra"_qs, u"-Werror"_qs, u"-fsyntax-only"_qs,
                           u"-I"_qs + QFileInfo(file).path(), u"-I"_qs + source.filePath(u"server/system"_qs),
                           u"-I"_qs + includes.path(), file});
            QVERIFY2(compile.waitForStarted(),
                     qPrintable(compiler + u" did not start; tools/setup installs it (g++-mingw-w64-x86-64-posix)"_qs));
            QVERIFY(compile.waitForFinished(120'000));
            QVERIFY2(compile.exitCode() == 0,
                     qPrintable(source.relativeFilePath(file) + u":\n"_qs + QString::fromLocal8Bit(compile.readAll())));
            compiled.append(source.relativeFilePath(file));
        }
    }
    const QStringList expected
        = {u"app/signalmeanings_windows.cpp"_qs,       u"app/folderlock_windows.cpp"_qs,
           u"server/system/openfiles_windows.cpp"_qs,  u"server/system/namedthread_windows.cpp"_qs,
           u"server/system/foldersync_windows.cpp"_qs, u"server/system/systemerror_windows.cpp"_qs};
    for (const QString &file : expected)
        QVERIFY2(compiled.contains(file), qPrintable(compiled.join(u", "_qs)));
    qInfo("compiled for Windows: %s", qPrintable(compiled.join(u", "_qs)));
}

QTEST_GUILESS_MAIN(tst_PortableBuild)
#include "tst_portablebuild.moc"
