#include "heraldprocess.h"
#include "httpclient.h"
#include "sseclient.h"
#include "testcertificates.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLockFile>
#include <QNetworkInterface>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <sys/resource.h>
#include <unistd.h>

namespace {

/// POSTs \a text to /publish on 127.0.0.1:\a port, with \a headers besides its Content-Type.
HttpReply publishText(quint16 port, const QByteArray &text, const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    return httpRequest("POST", QUrl(QStringLiteral("http://127.0.0.1:%1/publish").arg(port)), text,
                       QList<QPair<QByteArray, QByteArray>>{{"Content-Type", "text/plain"}} + headers);
}

/// Sets how far the running process \a pid may grow a file (its soft RLIMIT_FSIZE), as
/// `prlimit --fsize` does: past that the system refuses its writes, as a full disk does.
bool limitFileSize(qint64 pid, rlim_t bytes)
{
    rlimit limit{};
    if (prlimit(pid_t(pid), RLIMIT_FSIZE, nullptr, &limit) != 0)
        return false;
    limit.rlim_cur = qMin(bytes, limit.rlim_max);
    return prlimit(pid_t(pid), RLIMIT_FSIZE, &limit, nullptr) == 0;
}

/// A tmpfs of a few pages mounted on a folder of its own while it lives: a disk a test can fill.
/// It is unmounted (lazily, whatever still has files open on it) however the test ends. Only
/// root can mount one.
class SmallDisk
{
public:
    SmallDisk()
    {
        if (geteuid() != 0 || !m_folder.isValid())
            return;
        m_mounted = QProcess::execute(u"mount"_qs,
                                      {u"-t"_qs, u"tmpfs"_qs, u"-o"_qs, u"size=256k"_qs, u"tmpfs"_qs, m_folder.path()})
            == 0;
    }
    ~SmallDisk()
    {
        if (m_mounted)
            QProcess::execute(u"umount"_qs, {u"-l"_qs, m_folder.path()});
    }
    SmallDisk(const SmallDisk &) = delete;
    SmallDisk &operator=(const SmallDisk &) = delete;

    bool isMounted() const { return m_mounted; }
    QString path() const { return m_folder.path(); }
    /// Writes a file until the disk has no page left; true once it refused one (ENOSPC).
    bool fill()
    {
        QFile filler(fillerName());
        if (!filler.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
            return false;
        const QByteArray page(4096, 'f');
        errno = 0;
        while (filler.write(page) == page.size()) {}
        return errno == ENOSPC;
    }
    /// Makes room again.
    bool empty() { return QFile::remove(fillerName()); }

private:
    QString fillerName() const { return m_folder.filePath(u"filler"_qs); }

    QTemporaryDir m_folder;
    bool m_mounted = false;
};

/// The id in a publish's answer, 0 when it has none.
qint64 idOf(const HttpReply &reply)
{
    return reply.json().object().value(u"id"_qs).toInteger();
}

} // namespace

/// The built herald binary, started the way a person or a service manager starts it.
class tst_Headless : public QObject
{
    Q_OBJECT

private slots:
    void publishesAndStopsCleanlyOnSigterm();
    void withoutADesktopItRunsHeadlessAndSaysWhy();
    void printsEveryUrlABrowserCanUse();
    void aPrivateHeraldHandsOutAReaderTokenOfItsOwn();
    void aReaderTokenThatIsTheTokenExitsWithCode2();
    void raisesItsOpenFileLimitAndSaysWhatItGot();
    void badFlagsExitWithCode2AndOneLine_data();
    void badFlagsExitWithCode2AndOneLine();
    void aTakenPortExitsWithCode2();
    void helpTypedInAShellNamesHerald();
    void aBadCertificateExitsWithCode2NamingTheFile();
    void httpsPrintsItsAddressesAndReloadsItsCertificateOnSighup();
    void versionNamesTheReleaseAndTheCommit();
    void acknowledgedEventsSurviveKill9();
    void aJournalThatCanGrowNoMoreRefusesAndKeepsNothingItRefused();
    void processModeNeverHandsOutAnAcknowledgedIdAgain();
    void aJournalWithRoomAgainTakesPublishesWithoutARestart_data();
    void aJournalWithRoomAgainTakesPublishesWithoutARestart();
    void aRetractionTheJournalCannotTakeIsRefusedAndTheEventStays_data();
    void aRetractionTheJournalCannotTakeIsRefusedAndTheEventStays();
    void aSecondHeraldOnTheSameFolderSaysSo();
    void aLockLeftByAHeraldKilledOnAFullDiskIsTakenOver();
    void aFullDiskRefusesPublishesUntilThereIsRoom();
    void anIdempotencyKeyIsHonouredAfterARestart();
    void threadsCarryNamesForTopAndPerf();

private:
    /// Starts the headless binary on \a dataDir (the test's own folder when empty) and
    /// returns its port, or 0.
    quint16 startHerald(QProcess &process, const QStringList &arguments, QString *output,
                        const QString &dataDir = QString());
    /// Kills \a herald with SIGKILL, then starts \a restarted on \a dataDir; its port, or 0.
    quint16 restartAfterKill(QProcess &herald, QProcess &restarted, const QStringList &arguments,
                             const QString &dataDir, QString *output);
    QTemporaryDir m_dataDir;
};

quint16 tst_Headless::startHerald(QProcess &process, const QStringList &arguments, QString *output,
                                  const QString &dataDir)
{
    process.start(QStringLiteral(HERALD_BINARY),
                  QStringList{u"--headless"_qs, u"--data-dir"_qs, dataDir.isEmpty() ? m_dataDir.path() : dataDir}
                      + arguments);
    if (!process.waitForStarted())
        return 0;
    return waitForHeraldPort(process, output, u"Ctrl+C"_qs);
}

namespace {

/// What a stream that has seen nothing yet is replayed on \a port: the data of the first
/// \a count events, or fewer when they do not all come.
QStringList replayedFromTheStart(quint16 port, int count)
{
    SseClient late;
    late.open(port, "/events", {"Last-Event-ID: 0"});
    late.waitForEvents(count);
    return late.dataOf();
}

} // namespace

quint16 tst_Headless::restartAfterKill(QProcess &herald, QProcess &restarted, const QStringList &arguments,
                                       const QString &dataDir, QString *output)
{
    herald.kill();
    if (!herald.waitForFinished(5000))
        return 0;
    output->clear();
    return startHerald(restarted, arguments, output, dataDir);
}

namespace {

/// Makes \a herald start with its files limited to \a bytes (ulimit -f): past that, the system
/// refuses to write, as a full disk does, for any user.
void withFileSizeLimit(QProcess &herald, rlim_t bytes)
{
    herald.setChildProcessModifier([bytes] {
        rlimit limit{};
        getrlimit(RLIMIT_FSIZE, &limit);
        limit.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &limit);
    });
}

/// Stops \a herald with SIGTERM; whether it exited cleanly, with code 0.
bool stopsCleanly(QProcess &herald)
{
    herald.terminate();
    return herald.waitForFinished(5000) && herald.exitStatus() == QProcess::NormalExit && herald.exitCode() == 0;
}

} // namespace

void tst_Headless::publishesAndStopsCleanlyOnSigterm()
{
    QProcess herald;
    QString output;
    const quint16 port = startHerald(herald, {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs}, &output);
    QVERIFY2(port != 0, qPrintable(output + QString::fromUtf8(herald.readAllStandardError())));
    QVERIFY(output.contains(u"headless"_qs));

    SseClient stream;
    stream.open(port, "/events?client=e2e");
    QVERIFY(stream.waitForHead());
    QCOMPARE(stream.status(), 200);
    QTRY_VERIFY(httpRequest("GET", QUrl(QStringLiteral("http://127.0.0.1:%1/api/stats").arg(port)))
                    .json()
                    .object()
                    .value(u"clients"_qs)
                    .toInt()
                == 1);

    const QByteArray body = "from the outside";
    const QByteArray answer = rawExchange(port,
                                          "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                          "Content-Type: text/plain\r\nContent-Length: "
                                              + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.contains("\"delivered\":1"));
    QVERIFY(stream.waitForEvents(1));
    QCOMPARE(stream.events().first().data, u"from the outside"_qs);

    herald.terminate(); // SIGTERM
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitStatus(), QProcess::NormalExit);
    QCOMPARE(herald.exitCode(), 0);
    QVERIFY(stream.waitForClosed());
    QCOMPARE(stream.events().last().type, u"herald-shutdown"_qs);
}

void tst_Headless::withoutADesktopItRunsHeadlessAndSaysWhy()
{
    // No X11 or Wayland display and no Qt platform named: a server, an SSH session.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : {u"DISPLAY"_qs, u"WAYLAND_DISPLAY"_qs, u"QT_QPA_PLATFORM"_qs})
        environment.remove(name);
    QProcess herald;
    herald.setProcessEnvironment(environment);
    herald.start(QStringLiteral(HERALD_BINARY),
                 {u"--data-dir"_qs, m_dataDir.path(), u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs});
    QString output;
    const quint16 port = waitForHeraldPort(herald, &output, u"Ctrl+C"_qs);
    QVERIFY2(port != 0, qPrintable(output + QString::fromUtf8(herald.readAllStandardError())));
    QVERIFY2(output.contains(u"is running headless (no display found)"_qs), qPrintable(output));
    QCOMPARE(httpRequest("GET", QUrl(QStringLiteral("http://127.0.0.1:%1/healthz").arg(port))).status, 200);
    QVERIFY(stopsCleanly(herald));
}

void tst_Headless::raisesItsOpenFileLimitAndSaysWhatItGot()
{
    QProcess herald;
    QString output;
    const quint16 port = startHerald(herald, {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs}, &output);
    QVERIFY2(port != 0, qPrintable(output));
    // /proc/PID/limits: "Max open files            SOFT                 HARD                 files"
    QFile limits(u"/proc/%1/limits"_qs.arg(herald.processId()));
    QVERIFY(limits.open(QIODevice::ReadOnly));
    QStringList fields;
    for (const QByteArray &line : limits.readAll().split('\n')) {
        if (line.startsWith("Max open files"))
            fields = QString::fromLatin1(line.mid(14)).simplified().split(u' ');
    }
    QCOMPARE(fields.size(), 3);
    QCOMPARE(fields.at(0), fields.at(1)); // the soft limit is raised to the hard one
    // Root raises the hard limit too, where the system lets it, as it lets this test.
    QFile kernel(u"/proc/sys/fs/nr_open"_qs);
    QVERIFY(kernel.open(QIODevice::ReadOnly));
    const rlim_t kernelMaximum = rlim_t(kernel.readAll().trimmed().toULongLong());
    const rlimit raised{kernelMaximum, kernelMaximum};
    rlimit mine{};
    getrlimit(RLIMIT_NOFILE, &mine);
    const bool mayRaise = geteuid() == 0 && setrlimit(RLIMIT_NOFILE, &raised) == 0;
    if (mayRaise) {
        QCOMPARE(fields.at(1).toULongLong(), quint64(kernelMaximum));
        setrlimit(RLIMIT_NOFILE, &mine);
    }
    herald.terminate();
    QVERIFY(herald.waitForFinished(5000));
    // Whenever it got more than it was given, or less than it wanted, it says so. Less than it
    // wanted is known where the system names its maximum: not to the portable build, which
    // finds its limit by asking setrlimit() and cannot tell the maximum from a refusal.
#ifdef HERALD_PORTABLE
    const bool knowsItWasRefused = false;
#else
    const bool knowsItWasRefused = geteuid() == 0 && !mayRaise;
#endif
    const QString errors = QString::fromUtf8(herald.readAllStandardError());
    if (fields.at(0).toULongLong() > mine.rlim_cur || knowsItWasRefused)
        QVERIFY2(errors.contains(u"open-file limit"_qs) && errors.contains(fields.at(0)), qPrintable(errors));
}

void tst_Headless::printsEveryUrlABrowserCanUse()
{
    QProcess herald;
    QString output;
    const quint16 port = startHerald(herald, {u"--port"_qs, u"0"_qs}, &output);
    QVERIFY2(port != 0, qPrintable(output));
    QVERIFY(output.contains(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.isLinkLocal() || address.protocol() != QAbstractSocket::IPv4Protocol)
            continue;
        QVERIFY2(output.contains(QStringLiteral("http://%1:%2/").arg(address.toString()).arg(port)),
                 qPrintable(output));
    }
    herald.terminate();
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 0);
}

void tst_Headless::aPrivateHeraldHandsOutAReaderTokenOfItsOwn()
{
    QTemporaryDir folder;
    const QString token = u"operator-s3cret"_qs;
    const QStringList privately
        = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs, u"--private"_qs, u"--token"_qs, token};
    // Starts herald with \a arguments and returns the reader token its links carry, once it has
    // checked that every link carries it, that the token shows nowhere, that the reader token
    // reads and that it cannot publish; empty otherwise.
    const auto handedOut = [&](const QStringList &arguments) {
        QProcess herald;
        QString output;
        const quint16 port = startHerald(herald, arguments, &output, folder.path());
        const auto stop = qScopeGuard([&] {
            herald.terminate();
            herald.waitForFinished(5000);
        });
        if (port == 0 || output.contains(token)) {
            qWarning("%s", qPrintable(output));
            return QString();
        }
        QStringList readTokens;
        for (const QString &line : output.split(u'\n')) {
            if (line.startsWith(u"  http://"_qs))
                readTokens.append(line.section(u"/?token="_qs, 1));
        }
        readTokens.removeDuplicates();
        if (readTokens.size() != 1 || readTokens.first().isEmpty()) {
            qWarning("%s", qPrintable(output));
            return QString();
        }
        const QByteArray readToken = readTokens.first().toUtf8();
        SseClient reader;
        reader.open(port, "/events?token=" + readToken);
        if (!reader.waitForHead() || reader.status() != 200)
            return QString();
        if (publishText(port, "x", {{"Authorization", "Bearer " + readToken}}).status != 403)
            return QString();
        return readTokens.first();
    };

    const QString readToken = handedOut(privately);
    QCOMPARE(readToken.size(), 32);
    QVERIFY(readToken != token);
    // It is kept in the data folder, for the owner's eyes only.
    QFile saved(folder.filePath(u"reader-token"_qs));
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromLatin1(saved.readAll().trimmed()), readToken);
    const QFile::Permissions everyone = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
        | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QCOMPARE(saved.permissions() & everyone, QFile::ReadOwner | QFile::WriteOwner);

    // A restart hands out the same one, so the links given out still work.
    QCOMPARE(handedOut(privately), readToken);
    // One given on the command line is used, and the saved one is left for later runs.
    QCOMPARE(handedOut(privately + QStringList{u"--read-token"_qs, u"given-reader-t0ken"_qs}),
             u"given-reader-t0ken"_qs);
    QCOMPARE(handedOut(privately), readToken);
}

void tst_Headless::aReaderTokenThatIsTheTokenExitsWithCode2()
{
    QProcess herald;
    herald.start(QStringLiteral(HERALD_BINARY),
                 {u"--headless"_qs, u"--data-dir"_qs, m_dataDir.path(), u"--private"_qs, u"--token"_qs,
                  u"same-t0ken"_qs, u"--read-token"_qs, u"same-t0ken"_qs});
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 2);
    const QString error = QString::fromUtf8(herald.readAllStandardError()).trimmed().split(u'\n').last();
    QVERIFY2(error.startsWith(u"herald: --read-token"_qs) && error.contains(u"differ"_qs), qPrintable(error));
    QVERIFY(!error.contains(u"same-t0ken"_qs));
}

void tst_Headless::badFlagsExitWithCode2AndOneLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("port") << QStringList{u"--port"_qs, u"eighty"_qs};
    QTest::newRow("bind") << QStringList{u"--bind"_qs, u"nowhere"_qs};
    QTest::newRow("history") << QStringList{u"--history"_qs, u"-1"_qs};
    QTest::newRow("unknown") << QStringList{u"--frobnicate"_qs};
}

void tst_Headless::badFlagsExitWithCode2AndOneLine()
{
    QFETCH(QStringList, arguments);
    QProcess herald;
    herald.start(QStringLiteral(HERALD_BINARY), QStringList{u"--headless"_qs} + arguments);
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 2);
    const QString error = QString::fromUtf8(herald.readAllStandardError()).trimmed();
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));
    QVERIFY(error.startsWith(u"herald: "_qs));
}

void tst_Headless::aTakenPortExitsWithCode2()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::Any));
    QProcess herald;
    // Only the error itself: informational log lines are not part of the answer.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_LOGGING_RULES"_qs, u"herald.*.info=false"_qs);
    herald.setProcessEnvironment(environment);
    herald.start(
        QStringLiteral(HERALD_BINARY),
        {u"--headless"_qs, u"--data-dir"_qs, m_dataDir.path(), u"--port"_qs, QString::number(squatter.serverPort())});
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 2);
    // The error is one line, the last: an earlier one may say what open-file limit Herald got.
    const QString error = QString::fromUtf8(herald.readAllStandardError()).trimmed().split(u'\n').last();
    QVERIFY2(error.contains(u"already in use"_qs), qPrintable(error));
}

void tst_Headless::aBadCertificateExitsWithCode2NamingTheFile()
{
    const QString missing = m_dataDir.filePath(u"missing.pem"_qs);
    QProcess herald;
    herald.start(QStringLiteral(HERALD_BINARY),
                 {u"--headless"_qs, u"--data-dir"_qs, m_dataDir.path(), u"--port"_qs, u"0"_qs, u"--tls-port"_qs,
                  u"0"_qs, u"--tls-cert"_qs, missing, u"--tls-key"_qs, missing});
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 2);
    const QString error = QString::fromUtf8(herald.readAllStandardError()).trimmed().split(u'\n').last();
    QVERIFY2(error.startsWith(u"herald: "_qs) && error.contains(missing), qPrintable(error));
}

void tst_Headless::httpsPrintsItsAddressesAndReloadsItsCertificateOnSighup()
{
    TestCertificates certificates;
    QVERIFY2(certificates.isValid(), qPrintable(certificates.error()));
    const TestCertificates::Issued first = certificates.issue();
    const TestCertificates::Issued second = certificates.issue();
    const QString certificateFile = m_dataDir.filePath(u"cert.pem"_qs);
    const QString keyFile = m_dataDir.filePath(u"key.pem"_qs);
    const auto install = [&](const TestCertificates::Issued &issued) {
        QFile::remove(certificateFile);
        QFile::remove(keyFile);
        return QFile::copy(issued.certificateFile, certificateFile) && QFile::copy(issued.keyFile, keyFile);
    };
    QVERIFY(install(first));
    QProcess herald;
    QString output;
    const quint16 port = startHerald(
        herald,
        {u"--port"_qs, u"0"_qs, u"--tls-port"_qs, u"0"_qs, u"--tls-cert"_qs, certificateFile, u"--tls-key"_qs, keyFile},
        &output);
    QVERIFY2(port != 0, qPrintable(output));
    const QRegularExpressionMatch https = QRegularExpression(u"https://127\\.0\\.0\\.1:(\\d+)/"_qs).match(output);
    QVERIFY2(https.hasMatch(), qPrintable(output));
    const quint16 tlsPort = quint16(https.captured(1).toUInt());
    const QSslCertificate firstCertificate = QSslCertificate::fromPath(first.certificateFile).value(0);
    QVERIFY2(
        output.contains(QString::fromLatin1(firstCertificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper())),
        qPrintable(output));

    const auto served = [&] {
        QSslSocket socket;
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setCaCertificates(QSslCertificate::fromPath(certificates.authorityFile()));
        socket.setSslConfiguration(configuration);
        socket.connectToHostEncrypted(u"127.0.0.1"_qs, tlsPort);
        return socket.waitForEncrypted(10'000) ? socket.peerCertificate() : QSslCertificate();
    };
    QCOMPARE(served(), firstCertificate);
    QVERIFY(install(second));
    QCOMPARE(::kill(pid_t(herald.processId()), SIGHUP), 0);
    QTRY_COMPARE(served(), QSslCertificate::fromPath(second.certificateFile).value(0));
    QCOMPARE(herald.state(), QProcess::Running); // a reload, not an end
    herald.terminate();
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 0);
}

void tst_Headless::helpTypedInAShellNamesHerald()
{
    // As a person types it, with herald on the PATH.
    QProcess shell;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"PATH"_qs,
                       QFileInfo(QStringLiteral(HERALD_BINARY)).absolutePath() + u':' + environment.value(u"PATH"_qs));
    shell.setProcessEnvironment(environment);
    shell.start(u"sh"_qs, {u"-c"_qs, u"herald --help"_qs});
    QVERIFY(shell.waitForFinished(5000));
    QCOMPARE(shell.exitCode(), 0);
    const QString help = QString::fromUtf8(shell.readAllStandardOutput());
    QCOMPARE(help.section(u'\n', 0, 0), u"Usage: herald [options]"_qs);
    QVERIFY(help.contains(u"--data-dir"_qs));
}

void tst_Headless::versionNamesTheReleaseAndTheCommit()
{
    QProcess herald;
    herald.start(QStringLiteral(HERALD_BINARY), {u"--version"_qs});
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 0);
    const QString version = QString::fromUtf8(herald.readAllStandardOutput());
    const QString release = QStringLiteral("herald " HERALD_VERSION);
    if (!QFileInfo::exists(QStringLiteral(HERALD_SOURCE_DIR "/.git"))) {
        QCOMPARE(version, release + u'\n'); // a build from a source tarball
        return;
    }
    // A development build names the commit it was built from.
    QProcess git;
    git.start(u"git"_qs, {u"-C"_qs, QStringLiteral(HERALD_SOURCE_DIR), u"rev-parse"_qs, u"--short"_qs, u"HEAD"_qs});
    if (!git.waitForFinished(5000) || git.exitCode() != 0)
        QSKIP("git cannot read the checkout, so the commit in --version is not checked");
    const QString commit = QString::fromUtf8(git.readAllStandardOutput()).trimmed();
    QVERIFY2(version.startsWith(release + u" (git "_qs), qPrintable(version));
    QVERIFY2(version.contains(commit), qPrintable(version + u" should name "_qs + commit));
}

void tst_Headless::acknowledgedEventsSurviveKill9()
{
    QTemporaryDir folder;
    QProcess herald;
    QString output;
    const QStringList loopback = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs};
    quint16 port = startHerald(herald, loopback, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));

    SseClient watcher;
    watcher.open(port, "/events");
    QVERIFY(watcher.waitForHead());

    // One publisher on a kept-alive connection; every answer is an acknowledgement.
    QTcpSocket publisher;
    publisher.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(publisher.waitForConnected());
    auto publish = [&](const QByteArray &text) {
        publisher.write("POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                        + QByteArray::number(text.size()) + "\r\n\r\n" + text);
    };
    QStringList acknowledged;
    QByteArray answers;
    for (int i = 1; i <= 40; ++i) {
        const QByteArray text = "event " + QByteArray::number(i);
        publish(text);
        QVERIFY(QTest::qWaitFor(
            [&] {
                answers += publisher.readAll();
                return answers.count("\"id\":") == i;
            },
            5000));
        acknowledged.append(QString::fromUtf8(text));
    }
    // Mid-stream: one more request on its way, and the streams busy, when the process dies.
    publish("in flight");
    QVERIFY(watcher.waitForEvents(40));
    herald.kill(); // SIGKILL: no shutdown, no flush
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitStatus(), QProcess::CrashExit);

    // A write torn by the crash: half a record at the end of the journal.
    const QStringList journals = QDir(folder.path()).entryList({u"*.jsonl"_qs}, QDir::Files);
    QCOMPARE(journals.size(), 1);
    QFile journal(QDir(folder.path()).filePath(journals.first()));
    QVERIFY(journal.open(QIODevice::Append));
    journal.write("{\"id\":\"4");
    journal.close();

    QProcess restarted;
    restarted.setProcessChannelMode(QProcess::MergedChannels);
    output.clear();
    port = startHerald(restarted, loopback, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));
    QVERIFY2(output.contains(u"skipped"_qs), qPrintable(output)); // the torn record is reported

    // A client that saw nothing yet gets every acknowledged event back, in order.
    SseClient late;
    late.open(port, "/events", {"Last-Event-ID: 0"});
    QVERIFY(late.waitForEvents(40));
    QCOMPARE(late.dataOf().mid(0, 40), acknowledged);
    for (int i = 0; i < 40; ++i)
        QCOMPARE(late.events().at(i).lastEventId, QString::number(i + 1));
    const int replayed = int(late.events().size()); // 40, or 41 if the in-flight one was journaled

    // Ids keep growing after the restart.
    const QByteArray answer = rawExchange(port,
                                          "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                          "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nafter");
    QVERIFY2(answer.contains("\"id\":" + QByteArray::number(replayed + 1)), answer.constData());
    QVERIFY(late.waitForEvents(replayed + 1));
    QCOMPARE(late.events().last().data, u"after"_qs);

    restarted.terminate();
    QVERIFY(restarted.waitForFinished(5000));
    QCOMPARE(restarted.exitCode(), 0);
}

void tst_Headless::aJournalThatCanGrowNoMoreRefusesAndKeepsNothingItRefused()
{
    // The journal may grow to 4 KiB (ulimit -f): past that the system refuses to write, as a
    // full disk does, for any user.
    constexpr rlim_t JournalLimit = 4096;
    QTemporaryDir folder;
    QProcess herald;
    herald.setProcessChannelMode(QProcess::MergedChannels);
    withFileSizeLimit(herald, JournalLimit);
    QString output;
    const QStringList arguments
        = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs, u"--durability"_qs, u"disk"_qs};
    quint16 port = startHerald(herald, arguments, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));

    const QByteArray filler(200, 'x');
    QStringList acknowledged;
    QByteArray refusal;
    for (int i = 1; i <= 40; ++i) {
        const QByteArray text = "event " + QByteArray::number(i) + ' ' + filler;
        const QByteArray answer = rawExchange(port,
                                              "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                              "Content-Type: text/plain\r\nContent-Length: "
                                                  + QByteArray::number(text.size()) + "\r\n\r\n" + text);
        QVERIFY2(answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.1 503"), answer.constData());
        if (answer.startsWith("HTTP/1.1 200")) {
            QVERIFY2(refusal.isEmpty(), "each event is larger than the one before, so none fits after a refusal");
            acknowledged.append(QString::fromUtf8(text));
        } else if (refusal.isEmpty()) {
            refusal = answer;
        }
    }
    // Some fit, the rest were refused with a reason, and Herald is still up (no SIGXFSZ).
    QVERIFY(acknowledged.size() >= 5);
    QVERIFY(acknowledged.size() < 40);
    QVERIFY2(refusal.contains("Retry-After:") && refusal.contains("\"error\""), refusal.constData());
    QVERIFY2(refusal.contains("history.jsonl"), refusal.constData());
    QCOMPARE(herald.state(), QProcess::Running);
    herald.terminate();
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitStatus(), QProcess::NormalExit);
    QVERIFY(QFileInfo(QDir(folder.path()).filePath(u"history.jsonl"_qs)).size() <= qint64(JournalLimit));

    // Started again without the limit: exactly what was acknowledged, whole, and nothing refused.
    QProcess restarted;
    restarted.setProcessChannelMode(QProcess::MergedChannels);
    output.clear();
    port = startHerald(restarted, arguments, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));
    QVERIFY2(!output.contains(u"skipped"_qs), qPrintable(output));
    SseClient late;
    late.open(port, "/events", {"Last-Event-ID: 0"});
    QVERIFY(late.waitForEvents(int(acknowledged.size())));
    QCOMPARE(late.dataOf(), acknowledged);
    const QByteArray answer = rawExchange(port,
                                          "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                          "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nafter");
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(late.waitForEvents(int(acknowledged.size()) + 1));
    QCOMPARE(late.events().last().data, u"after"_qs);
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(5000));
    QCOMPARE(restarted.exitCode(), 0);
}

void tst_Headless::processModeNeverHandsOutAnAcknowledgedIdAgain()
{
    // As in the test above, but with --durability process: an event the journal cannot take is
    // refused too, rather than served from memory and its id handed out again after a crash.
    constexpr rlim_t JournalLimit = 4096;
    QTemporaryDir folder;
    QProcess herald;
    withFileSizeLimit(herald, JournalLimit);
    QString output;
    const QStringList arguments
        = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs, u"--durability"_qs, u"process"_qs};
    quint16 port = startHerald(herald, arguments, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));

    const QByteArray filler(200, 'x');
    QStringList acknowledged;
    qint64 highestAcknowledged = 0;
    int refused = 0;
    for (int i = 1; i <= 40; ++i) {
        const QByteArray text = "event " + QByteArray::number(i) + ' ' + filler;
        const HttpReply reply = publishText(port, text);
        QVERIFY2(reply.status == 200 || reply.status == 503, reply.body.constData());
        if (reply.status == 200) {
            acknowledged.append(QString::fromUtf8(text));
            highestAcknowledged = qMax(highestAcknowledged, idOf(reply));
        } else {
            ++refused;
            QVERIFY2(!reply.header("Retry-After").isEmpty() && reply.body.contains("history.jsonl"),
                     reply.body.constData());
        }
    }
    QVERIFY(acknowledged.size() >= 5);
    herald.kill(); // SIGKILL
    QVERIFY(herald.waitForFinished(5000));

    QProcess restarted;
    output.clear();
    port = startHerald(restarted, arguments, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));
    const HttpReply next = publishText(port, "after the crash");
    QCOMPARE(next.status, 200);
    QVERIFY2(idOf(next) > highestAcknowledged, qPrintable(u"%1 was answered before the crash"_qs.arg(idOf(next))));
    QCOMPARE(replayedFromTheStart(port, int(acknowledged.size()) + 1),
             acknowledged + QStringList{u"after the crash"_qs});
    QVERIFY(refused > 0); // the limit did refuse some
    QVERIFY(stopsCleanly(restarted));
}

void tst_Headless::aJournalWithRoomAgainTakesPublishesWithoutARestart_data()
{
    QTest::addColumn<QString>("durability");
    QTest::newRow("process") << u"process"_qs;
    QTest::newRow("disk") << u"disk"_qs;
}

void tst_Headless::aJournalWithRoomAgainTakesPublishesWithoutARestart()
{
    QFETCH(QString, durability);
    QTemporaryDir folder;
    QProcess herald;
    QString output;
    const quint16 port
        = startHerald(herald, {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs, u"--durability"_qs, durability},
                      &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));
    QCOMPARE(publishText(port, "first").status, 200);

    // The journal may not grow by a byte: a full disk, as the system shows it to Herald.
    const QString journal = QDir(folder.path()).filePath(u"history.jsonl"_qs);
    QVERIFY(limitFileSize(herald.processId(), rlim_t(QFileInfo(journal).size())));
    const HttpReply refused = publishText(port, "refused");
    QCOMPARE(refused.status, 503);
    QVERIFY(!refused.header("Retry-After").isEmpty());
    // Herald says so where a load balancer, a dashboard and a scrape look, and streams go on.
    const auto get = [port](const char *path) {
        return httpRequest("GET", QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(QLatin1String(path))));
    };
    const HttpReply health = get("/healthz");
    QCOMPARE(health.status, 503);
    QCOMPARE(health.json().object().value(u"journal"_qs).toString(), u"unwritable"_qs);
    QVERIFY(health.error().contains(u"history"_qs));
    QCOMPARE(get("/api/stats").json().object().value(u"journalWritable"_qs), QJsonValue(false));
    QVERIFY(get("/metrics").body.contains("\nherald_journal_writable 0\n"));
    SseClient streaming;
    streaming.open(port, "/events", {"Last-Event-ID: 0"});
    QVERIFY(streaming.waitForEvents(1));

    // Room again: the next publish is taken, by the same process.
    QVERIFY(limitFileSize(herald.processId(), RLIM_INFINITY));
    const HttpReply taken = publishText(port, "taken");
    QCOMPARE(taken.status, 200);
    QCOMPARE(get("/healthz").status, 200);
    QCOMPARE(get("/api/stats").json().object().value(u"journalWritable"_qs), QJsonValue(true));
    QVERIFY(get("/metrics").body.contains("\nherald_journal_writable 1\n"));
    SseClient late;
    late.open(port, "/events", {"Last-Event-ID: 0"});
    QVERIFY(late.waitForEvents(2));
    QCOMPARE(late.dataOf(), (QStringList{u"first"_qs, u"taken"_qs}));
    herald.terminate();
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 0);
}

void tst_Headless::aRetractionTheJournalCannotTakeIsRefusedAndTheEventStays_data()
{
    aJournalWithRoomAgainTakesPublishesWithoutARestart_data();
}

void tst_Headless::aRetractionTheJournalCannotTakeIsRefusedAndTheEventStays()
{
    QFETCH(QString, durability);
    QTemporaryDir folder;
    const QStringList arguments
        = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs, u"--durability"_qs, durability};
    QProcess herald;
    QString output;
    quint16 port = startHerald(herald, arguments, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));
    for (const QByteArray &text : {QByteArray("one"), QByteArray("two"), QByteArray("three")})
        QCOMPARE(publishText(port, text).status, 200);

    // Not one byte more for the journal: the retraction's record cannot be written.
    const QString journal = QDir(folder.path()).filePath(u"history.jsonl"_qs);
    QVERIFY(limitFileSize(herald.processId(), rlim_t(QFileInfo(journal).size())));
    const QUrl eventTwo(QStringLiteral("http://127.0.0.1:%1/api/events/2").arg(port));
    const HttpReply refused = httpRequest("DELETE", eventTwo);
    QCOMPARE(refused.status, 503);
    QVERIFY(!refused.header("Retry-After").isEmpty());
    QVERIFY(!refused.error().isEmpty());
    // It is still served...
    SseClient now;
    now.open(port, "/events", {"Last-Event-ID: 0"});
    QVERIFY(now.waitForEvents(3));
    QCOMPARE(now.dataOf(), (QStringList{u"one"_qs, u"two"_qs, u"three"_qs}));
    // ...and still there after a crash and a restart.
    QProcess restarted;
    port = restartAfterKill(herald, restarted, arguments, folder.path(), &output);
    QVERIFY2(port != 0, qPrintable(output));
    QCOMPARE(replayedFromTheStart(port, 3), (QStringList{u"one"_qs, u"two"_qs, u"three"_qs}));
    QVERIFY(stopsCleanly(restarted));
}

void tst_Headless::aSecondHeraldOnTheSameFolderSaysSo()
{
    QTemporaryDir folder;
    const QStringList loopback = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs};
    const QString lockFile = QDir(folder.path()).filePath(u"herald.lock"_qs);
    const auto refusalOfASecond = [&] {
        QProcess second;
        second.start(QStringLiteral(HERALD_BINARY),
                     {u"--headless"_qs, u"--port"_qs, u"0"_qs, u"--data-dir"_qs, folder.path()});
        if (!second.waitForFinished(10000) || second.exitCode() != 2)
            return QString();
        return QString::fromUtf8(second.readAllStandardError());
    };
    QProcess first;
    QString output;
    QVERIFY(startHerald(first, loopback, &output, folder.path()) != 0);
    QString error = refusalOfASecond();
    QVERIFY2(error.contains(u"already using the data folder"_qs), qPrintable(error));
    QVERIFY(error.contains(u"process %1"_qs.arg(first.processId())));
    // An older Herald, which locks with QLockFile, is kept out too.
    QLockFile older(lockFile);
    QVERIFY(!older.tryLock(0));

    // Once the first is killed, the next one takes the folder over.
    first.kill();
    QVERIFY(first.waitForFinished(5000));
    QProcess next;
    output.clear();
    QVERIFY2(startHerald(next, loopback, &output, folder.path()) != 0, qPrintable(output));
    next.terminate();
    QVERIFY(next.waitForFinished(5000));
    QCOMPARE(next.exitCode(), 0);

    // And an older Herald holding the folder keeps this one out, named by its process id.
    QVERIFY(older.tryLock(0));
    error = refusalOfASecond();
    QVERIFY2(error.contains(u"another Herald (process %1)"_qs.arg(QCoreApplication::applicationPid())),
             qPrintable(error));
    older.unlock();
}

void tst_Headless::anIdempotencyKeyIsHonouredAfterARestart()
{
    QTemporaryDir folder;
    const QStringList loopback = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs};
    const QList<QPair<QByteArray, QByteArray>> keyed{{"Idempotency-Key", "order-17"}};
    QProcess herald;
    QString output;
    quint16 port = startHerald(herald, loopback, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));
    const HttpReply first = publishText(port, "pay once", keyed);
    QCOMPARE(first.status, 200);
    const qint64 firstId = first.json().object().value(u"id"_qs).toInteger();
    QCOMPARE(publishText(port, "something else").status, 200);
    herald.kill(); // SIGKILL: the key must be in the journal already, not saved on the way out
    QVERIFY(herald.waitForFinished(5000));

    QProcess restarted;
    output.clear();
    port = startHerald(restarted, loopback, &output, folder.path());
    QVERIFY2(port != 0, qPrintable(output));
    // The retry gets the first one's id, as it would have before the restart...
    const HttpReply retry = publishText(port, "pay once", keyed);
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.json().object().value(u"id"_qs).toInteger(), firstId);
    QCOMPARE(retry.json().object().value(u"duplicate"_qs).toBool(), true);
    // ...and makes no event: the next one follows the two published before the restart.
    const HttpReply after = publishText(port, "after");
    QCOMPARE(after.status, 200);
    QCOMPARE(after.json().object().value(u"id"_qs).toInteger(), firstId + 2);
    QCOMPARE(replayedFromTheStart(port, 3), (QStringList{u"pay once"_qs, u"something else"_qs, u"after"_qs}));
    QVERIFY(stopsCleanly(restarted));
}

void tst_Headless::aLockLeftByAHeraldKilledOnAFullDiskIsTakenOver()
{
    SmallDisk disk; // declared first, so that it is unmounted after the processes are gone
    if (!disk.isMounted())
        QSKIP("a full disk is a small tmpfs, which only root can mount");
    const QStringList loopback = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs};
    QProcess herald;
    QString output;
    quint16 port = startHerald(herald, loopback, &output, disk.path());
    QVERIFY2(port != 0, qPrintable(output));
    QCOMPARE(publishText(port, "before the crash").status, 200);
    QVERIFY(disk.fill());
    // Killed on a disk with no room to write anything: the dead Herald's lock is the kernel's to
    // release, and the next one starts on the same folder.
    QProcess restarted;
    port = restartAfterKill(herald, restarted, loopback, disk.path(), &output);
    QVERIFY2(port != 0, qPrintable(output + QString::fromUtf8(restarted.readAllStandardError())));
    QCOMPARE(replayedFromTheStart(port, 1), QStringList{u"before the crash"_qs});
    QVERIFY(stopsCleanly(restarted));
}

void tst_Headless::aFullDiskRefusesPublishesUntilThereIsRoom()
{
    SmallDisk disk;
    if (!disk.isMounted())
        QSKIP("a full disk is a small tmpfs, which only root can mount");
    const QStringList arguments
        = {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs, u"--durability"_qs, u"process"_qs};
    QProcess herald;
    QString output;
    quint16 port = startHerald(herald, arguments, &output, disk.path());
    QVERIFY2(port != 0, qPrintable(output));
    QStringList acknowledged{u"before"_qs};
    QCOMPARE(publishText(port, "before").status, 200);
    QVERIFY(disk.fill());

    // What is left of the journal's last page may take a record or two; then the disk refuses.
    const QByteArray text(1000, 'x');
    HttpReply reply;
    for (int i = 0; i < 100; ++i) {
        reply = publishText(port, text);
        if (reply.status != 200)
            break;
        acknowledged.append(QString::fromUtf8(text));
    }
    QCOMPARE(reply.status, 503);
    QVERIFY2(reply.error().contains(QString::fromLocal8Bit(strerror(ENOSPC))), qPrintable(reply.error()));

    // Room again: the same process publishes, and what it acknowledged outlives it.
    QVERIFY(disk.empty());
    QCOMPARE(publishText(port, "after").status, 200);
    acknowledged.append(u"after"_qs);
    QProcess restarted;
    port = restartAfterKill(herald, restarted, arguments, disk.path(), &output);
    QVERIFY2(port != 0, qPrintable(output));
    QCOMPARE(replayedFromTheStart(port, int(acknowledged.size())), acknowledged);
    QVERIFY(stopsCleanly(restarted));
}

void tst_Headless::threadsCarryNamesForTopAndPerf()
{
    // An operator looking at `top -H` or a profile tells Herald's threads apart by name.
    QProcess herald;
    QString output;
    const quint16 port = startHerald(
        herald, {u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs, u"--stream-threads"_qs, u"2"_qs}, &output);
    QVERIFY2(port != 0, qPrintable(output));

    QStringList names;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(herald.processId()));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + u"/comm"_qs));
        if (comm.open(QIODevice::ReadOnly))
            names.append(QString::fromUtf8(comm.readAll()).trimmed());
    }
    QCOMPARE(names.count(u"Herald service"_qs), 1);
    QCOMPARE(names.count(u"Herald streams"_qs), 2);
#ifdef HERALD_PORTABLE
    QCOMPARE(names.count(u"Herald signals"_qs), 1); // libuv's signal loop
#endif

    herald.terminate();
    QVERIFY(herald.waitForFinished(5000));
    QCOMPARE(herald.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_Headless)
#include "tst_headless.moc"
