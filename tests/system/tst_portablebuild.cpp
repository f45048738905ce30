#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <utility>
#include <vector>

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

// The way CMake names a file that only some systems, or one way of building, take.
const QRegularExpression PerSystemFile(u"_(posix|linux|macos|windows|unix|always|epoll|libuv)\\.(cpp|h)$"_qs);

// A system's own headers: POSIX's, Windows', and libuv's, which the per-system files wrap.
const QRegularExpression SystemHeader(
    uR"(^\s*#\s*include\s*<(sys/|unistd\.h|fcntl\.h|netinet/|arpa/|netdb\.h|poll\.h|signal\.h|csignal|pthread\.h|)"
    uR"(dlfcn\.h|windows\.h|winsock2?\.h|ws2tcpip\.h|io\.h|uv\.h|uv/))"_qs,
    QRegularExpression::MultilineOption);

// A call of a system's socket or descriptor functions (Herald calls those as ::name), of
// Winsock's, which have names of their own, or of what C's library has only on POSIX systems.
const QRegularExpression SystemCall(
    uR"((?<![\w.>])::(accept4?|bind|close|connect|dup2?|fcntl|fdatasync|fsync|getpeername|ioctl|listen|read|readv|)"
    uR"(recv|recvmsg|send|sendmsg|setsockopt|shutdown|socket|socketpair|write|writev)\s*\(|)"
    uR"(\b(closesocket|ioctlsocket|WSA[A-Z]\w*)\s*\(|)"
    uR"(\b(clock_gettime|gettimeofday|nanosleep|usleep|localtime_r|gmtime_r|timegm|strcasecmp|strncasecmp|)"
    uR"(strerror_r|memmem|getpid|getuid|geteuid|sysconf|mmap|alloca)\s*\(|\bssize_t\b)"_qs);

// A comment to the end of its line; not the "//" of a URL.
const QRegularExpression LineComment(u"(?<!:)//[^\n]*"_qs);

/// The words of \a command as a POSIX shell splits them (CMake writes compile commands for one):
/// a backslash takes the next character as it is, and double quotes keep spaces in a word.
QStringList shellWords(const QString &command)
{
    QStringList words;
    QString word;
    bool inWord = false;
    bool quoted = false;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command[i];
        if (c == u'\\' && i + 1 < command.size()) {
            word += command[++i];
            inWord = true;
        } else if (c == u'"') {
            quoted = !quoted;
            inWord = true;
        } else if (c.isSpace() && !quoted) {
            if (inWord)
                words.append(std::exchange(word, QString()));
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words.append(word);
    return words;
}

} // namespace

/// Which build this is, by what its binary calls: the portable build (HERALD_PORTABLE) calls
/// nothing that only Linux has; the default one uses epoll. And what a Windows build would take:
/// the shared code calls no system directly, and every file is checked against Windows' headers.
class tst_PortableBuild : public QObject
{
    Q_OBJECT

private slots:
    void sharedCodeCallsNoSystemDirectly();
    void theBinaryCallsOnlyWhatItsBuildAllows();
    void everyFileOfAWindowsBuildCompilesAgainstWindowsHeaders();
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

void tst_PortableBuild::sharedCodeCallsNoSystemDirectly()
{
    // What every system builds goes through server/system/ and the per-system files beside it;
    // a system call in it would build here and nowhere else.
    const QDir source(QStringLiteral(HERALD_SOURCE_DIR));
    QStringList offending;
    int shared = 0;
    int perSystem = 0;
    for (const QString &folder : {u"app"_qs, u"server"_qs, u"ui"_qs}) {
        QDirIterator files(source.filePath(folder), {u"*.cpp"_qs, u"*.h"_qs}, QDir::Files,
                           QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString file = files.next();
            if (PerSystemFile.match(file).hasMatch()) {
                ++perSystem;
                continue;
            }
            ++shared;
            QFile text(file);
            QVERIFY(text.open(QIODevice::ReadOnly));
            // Without its comments, which may name what the code no longer calls (line numbers stay).
            const QString code = QString::fromUtf8(text.readAll()).remove(LineComment);
            for (const QRegularExpression &pattern : {SystemHeader, SystemCall}) {
                QVERIFY2(pattern.isValid(), qPrintable(pattern.errorString()));
                const QRegularExpressionMatch found = pattern.match(code);
                if (found.hasMatch()) {
                    const int line = int(code.left(found.capturedStart()).count(u'\n')) + 1;
                    offending.append(
                        u"%1:%2: %3"_qs.arg(source.relativeFilePath(file)).arg(line).arg(found.captured().trimmed()));
                }
            }
        }
    }
    QVERIFY2(offending.isEmpty(), qPrintable(offending.join(u'\n')));
    // The patterns find what they look for where it is meant to be.
    QFile socketCalls(source.filePath(u"server/system/socketcalls_posix.cpp"_qs));
    QVERIFY(socketCalls.open(QIODevice::ReadOnly));
    const QString posixCode = QString::fromUtf8(socketCalls.readAll()).remove(LineComment);
    QVERIFY(SystemHeader.match(posixCode).hasMatch());
    QVERIFY(SystemCall.match(posixCode).hasMatch());
    // The walk found the code: a wrong folder would pass with nothing read.
    QVERIFY(shared > 100);
    QVERIFY(perSystem >= 20);
}

void tst_PortableBuild::everyFileOfAWindowsBuildCompilesAgainstWindowsHeaders()
{
    // MinGW-w64's compiler and Windows' headers (tools/setup installs them), in its POSIX threads
    // flavour, as Qt's MinGW builds use: it has std::thread. Each file is checked, not built,
    // with the flags CMake gave it here (or, for a file this build does not take, those of its
    // counterpart for this system: folderlock_posix.cpp's for folderlock_windows.cpp): Qt's own headers, which choose
    // Windows' forms by the compiler, and those of libuv, OpenSSL, hiredis and libqrencode, seen through a folder of
    // their own, so that nothing else of this system's include folder hides what Windows lacks.
    const QString compiler = u"x86_64-w64-mingw32-g++-posix"_qs;
    QTemporaryDir includes;
    QVERIFY(includes.isValid());
    const QDir include(includes.path());
    for (const QString &name : {u"uv.h"_qs, u"uv"_qs, u"hiredis"_qs, u"qrencode.h"_qs})
        QVERIFY2(QFile::link(u"/usr/include/"_qs + name, include.filePath(name)), qPrintable(name));
    // OpenSSL's headers, with the configuration that lives in the multiarch folder.
    QVERIFY(include.mkdir(u"openssl"_qs));
    QStringList opensslFolders = {u"/usr/include/openssl"_qs};
    for (const QString &multiarch : QDir(u"/usr/include"_qs).entryList({u"*-linux-gnu"_qs}, QDir::Dirs))
        opensslFolders.append(u"/usr/include/"_qs + multiarch + u"/openssl"_qs);
    for (const QString &folder : std::as_const(opensslFolders)) {
        for (const QFileInfo &header : QDir(folder).entryInfoList({u"*.h"_qs}, QDir::Files))
            QFile::link(header.filePath(), include.filePath(u"openssl/"_qs + header.fileName()));
    }
    QVERIFY(include.exists(u"openssl/configuration.h"_qs));

    // What CMake compiles here, file by file.
    QFile commandsFile(QStringLiteral(HERALD_BUILD_DIR "/compile_commands.json"));
    QVERIFY2(commandsFile.open(QIODevice::ReadOnly), qPrintable(commandsFile.fileName()));
    QHash<QString, QStringList> flagsOf; // by file
    QHash<QString, QStringList> flagsOfStem; // by file without its system: "folder/name_" of "folder/name_linux.cpp"
    for (const QJsonValue &entry : QJsonDocument::fromJson(commandsFile.readAll()).array()) {
        const QString file = entry[u"file"_qs].toString();
        const QStringList arguments = shellWords(entry[u"command"_qs].toString());
        QStringList flags;
        for (qsizetype i = 1; i < arguments.size(); ++i) {
            const QString &argument = arguments[i];
            if (argument == u"-o"_qs) {
                ++i;
            } else if (argument == u"-c"_qs || argument == file || argument == u"-fPIC"_qs
                       || argument.startsWith(u"-fsanitize"_qs) || argument.startsWith(u"-fno-sanitize"_qs)) {
            } else if (argument.endsWith(u"/mkspecs/linux-g++"_qs)) {
                flags.append(QString(argument).replace(u"linux-g++"_qs, u"win32-g++"_qs));
            } else {
                flags.append(argument);
            }
        }
        if (!flagsOf.contains(file))
            flagsOf.insert(file, flags);
        if (const qsizetype underscore = file.lastIndexOf(u'_'); underscore > file.lastIndexOf(u'/'))
            flagsOfStem.insert(file.left(underscore + 1), flags);
    }

    // Every file a Windows build takes: all but those of other systems and of epoll.
    const QDir source(QStringLiteral(HERALD_SOURCE_DIR));
    const QRegularExpression otherSystems(u"_(posix|linux|macos|unix|epoll)\\.cpp$"_qs);
    QStringList files;
    for (const QString &folder : {u"app"_qs, u"server"_qs, u"ui"_qs}) {
        QDirIterator found(source.filePath(folder), {u"*.cpp"_qs}, QDir::Files, QDirIterator::Subdirectories);
        while (found.hasNext()) {
            const QString file = found.next();
            if (!otherSystems.match(file).hasMatch())
                files.append(file);
        }
    }
    files.sort();

    QStringList compiled;
    QStringList failed;
    const auto check = [&](const QString &file, QProcess &compile) {
        if (!compile.waitForFinished(300'000) || compile.exitStatus() != QProcess::NormalExit
            || compile.exitCode() != 0)
            failed.append(source.relativeFilePath(file) + u":\n"_qs + QString::fromLocal8Bit(compile.readAll()));
        else
            compiled.append(source.relativeFilePath(file));
    };
    // Two at a time, as this machine's cores allow.
    std::vector<std::pair<QString, std::unique_ptr<QProcess>>> running;
    for (const QString &file : std::as_const(files)) {
        // A file this build does not take has the flags of its counterpart for this system.
        const QStringList flags = flagsOf.value(file, flagsOfStem.value(file.left(file.lastIndexOf(u'_') + 1)));
        QVERIFY2(!flags.isEmpty(), qPrintable(u"no flags for "_qs + file));
        if (running.size() == 2) {
            check(running.front().first, *running.front().second);
            running.erase(running.begin());
        }
        auto compile = std::make_unique<QProcess>();
        compile->setProcessChannelMode(QProcess::MergedChannels);
        compile->start(compiler,
                       flags + QStringList{u"-Werror"_qs, u"-fsyntax-only"_qs, u"-I"_qs + include.path(), file});
        QVERIFY2(compile->waitForStarted(),
                 qPrintable(compiler + u" did not start; tools/setup installs it (g++-mingw-w64-x86-64-posix)"_qs));
        running.emplace_back(file, std::move(compile));
    }
    for (auto &[file, compile] : running)
        check(file, *compile);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.join(u"\n"_qs)));

    // Herald's own code, and among it every file only Windows takes.
    QVERIFY(compiled.size() > 80);
    const QStringList windowsOnly = {u"app/signalmeanings_windows.cpp"_qs,
                                     u"app/folderlock_windows.cpp"_qs,
                                     u"app/desktop_always.cpp"_qs,
                                     u"server/system/openfiles_windows.cpp"_qs,
                                     u"server/system/namedthread_windows.cpp"_qs,
                                     u"server/system/foldersync_windows.cpp"_qs,
                                     u"server/system/systemerror_windows.cpp"_qs,
                                     u"server/system/socketcalls_windows.cpp"_qs,
                                     u"server/system/filehandles_windows.cpp"_qs,
                                     u"server/system/socketpoller_libuv.cpp"_qs,
                                     u"server/system/filesync_libuv.cpp"_qs,
                                     u"app/unixsignals_libuv.cpp"_qs};
    for (const QString &file : windowsOnly)
        QVERIFY2(compiled.contains(file), qPrintable(file));
    qInfo("compiled for Windows: %lld files", qlonglong(compiled.size()));
}

QTEST_GUILESS_MAIN(tst_PortableBuild)
#include "tst_portablebuild.moc"
