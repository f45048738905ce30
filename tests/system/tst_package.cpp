#include "heraldprocess.h"
#include "httpclient.h"
#include "sseclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <unistd.h>

namespace {

const QString AppId = QStringLiteral(HERALD_APP_ID);

/// What a finished command printed, standard output and error together, and its exit code
/// (-1 when it did not run or crashed).
struct Finished
{
    int exitCode = -1;
    QString output;
};

Finished run(const QString &program, const QStringList &arguments, const QString &workingDirectory = QString(),
             const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(workingDirectory);
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(-1))
        return {-1, program + u" did not run: "_qs + process.errorString()};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll())};
}

/// What the command prints through the shell, as a person typing it gets it.
Finished runInShell(const QString &command)
{
    return run(u"sh"_qs, {u"-c"_qs, command});
}

/// dpkg's status of the herald package, such as "install ok installed"; empty when dpkg does not know it.
QString dpkgStatus()
{
    const Finished query = run(u"dpkg-query"_qs, {u"-W"_qs, u"-f=${Status}"_qs, u"herald"_qs});
    return query.exitCode == 0 ? query.output.trimmed() : QString();
}

/// apt-get, without questions, waiting for another apt-get to finish rather than failing.
Finished aptGet(const QStringList &arguments, const QString &workingDirectory = QString())
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"DEBIAN_FRONTEND"_qs, u"noninteractive"_qs);
    return run(u"apt-get"_qs, QStringList{u"-y"_qs, u"-o"_qs, u"DPkg::Lock::Timeout=600"_qs} + arguments,
               workingDirectory, environment);
}

} // namespace

/// Herald's Debian package. It is built with tools/build-package and read with dpkg-deb and
/// lintian. As root with HERALD_PACKAGE_TEST=1 (.ci/run sets it), it is also installed with
/// apt-get, the installed Herald is run and checked, and the package is purged again.
class tst_Package : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void holdsEveryPartOfHerald();
    void iconsAreRenderedAtTheSizeOfTheirFolder();
    void controlFieldsDescribeHeraldAndTheLibrariesItNeeds();
    void changelogAndReleaseNotesNameThisVersion();
    void lintianFindsNoErrorsOrWarnings();
    void desktopEntryAndMetadataValidate();

    void installsWithAptGet();
    void installedHeraldAnswersHelpAndVersion();
    void installedHeraldPublishesAndStreamsHeadless();
    void installedDesktopEntryAndMetadataValidate();
    void installedUnitsPassSystemdAnalyzeVerify();
    void purgesWithAptGet();

    void cleanupTestCase();

private:
    /// Validates the desktop entry and the AppStream metadata under \a root, and checks that the
    /// icon and the program the entry names are there.
    void validateDesktopEntryAndMetadata(const QString &root);
    QString field(const QString &name) const;

    QString m_package; ///< the .deb's path
    QTemporaryDir m_tree; ///< the package's files, unpacked
    QHash<QString, QString> m_modes; ///< "usr/bin/herald" -> "-rwxr-xr-x"
    QHash<QString, QString> m_owners; ///< "usr/bin/herald" -> "root/root"
    bool m_installAttempted = false;
    bool m_installed = false;
};

void tst_Package::initTestCase()
{
    // The build's log goes to standard error, where CTest shows it when the test fails.
    QProcess build;
    build.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    build.start(QStringLiteral(HERALD_SOURCE_DIR "/tools/build-package"), {QStringLiteral(HERALD_PACKAGE_BUILD_DIR)});
    QVERIFY2(build.waitForFinished(-1), qPrintable(build.errorString()));
    QCOMPARE(build.exitCode(), 0);
    m_package = QString::fromUtf8(build.readAllStandardOutput()).trimmed().section(u'\n', -1);
    QVERIFY2(QFileInfo(m_package).fileName().startsWith(u"herald_"_qs), qPrintable(m_package));

    const Finished unpack = run(u"dpkg-deb"_qs, {u"--extract"_qs, m_package, m_tree.path()});
    QVERIFY2(unpack.exitCode == 0, qPrintable(unpack.output));

    // "-rwxr-xr-x root/root    707712 2026-11-28 18:35 ./usr/bin/herald"
    const Finished contents = run(u"dpkg-deb"_qs, {u"--contents"_qs, m_package});
    QVERIFY2(contents.exitCode == 0, qPrintable(contents.output));
    static const QRegularExpression entry(QStringLiteral("^(\\S+) (\\S+) .* \\./(\\S*)"),
                                          QRegularExpression::MultilineOption);
    auto entries = entry.globalMatch(contents.output);
    while (entries.hasNext()) {
        const QRegularExpressionMatch match = entries.next();
        m_modes.insert(match.captured(3), match.captured(1));
        m_owners.insert(match.captured(3), match.captured(2));
    }
    QVERIFY2(!m_modes.isEmpty(), qPrintable(contents.output));
}

void tst_Package::holdsEveryPartOfHerald()
{
    const QStringList parts = {
        u"usr/bin/herald"_qs,
        u"usr/share/applications/"_qs + AppId + u".desktop"_qs,
        u"usr/share/metainfo/"_qs + AppId + u".metainfo.xml"_qs,
        u"usr/share/icons/hicolor/scalable/apps/"_qs + AppId + u".svg"_qs,
        // The size every icon theme falls back to, and the sizes software centres show.
        u"usr/share/icons/hicolor/48x48/apps/"_qs + AppId + u".png"_qs,
        u"usr/share/icons/hicolor/64x64/apps/"_qs + AppId + u".png"_qs,
        u"usr/share/icons/hicolor/128x128/apps/"_qs + AppId + u".png"_qs,
        u"usr/share/man/man1/herald.1.gz"_qs,
        u"usr/lib/systemd/system/herald.service"_qs,
        u"usr/lib/systemd/user/herald.service"_qs,
        u"etc/default/herald"_qs,
        u"usr/share/bash-completion/completions/herald"_qs,
        u"usr/share/doc/herald/copyright"_qs,
        u"usr/share/doc/herald/changelog.gz"_qs,
    };
    for (const QString &part : parts)
        QVERIFY2(m_modes.contains(part), qPrintable(part + u" is not in the package"_qs));

    QCOMPARE(m_modes.value(u"usr/bin/herald"_qs), u"-rwxr-xr-x"_qs);
    QCOMPARE(m_modes.value(u"etc/default/herald"_qs), u"-rw-------"_qs); // it may hold the token
    for (auto it = m_owners.cbegin(); it != m_owners.cend(); ++it) {
        QVERIFY2(it.value() == u"root/root"_qs, qPrintable(it.key() + u" belongs to "_qs + it.value()));
        const bool placed = it.key().isEmpty() || it.key().startsWith(u"etc/"_qs)
            || (it.key().startsWith(u"usr/"_qs) && !it.key().startsWith(u"usr/local/"_qs));
        QVERIFY2(placed, qPrintable(it.key() + u" is outside /usr and /etc, or in /usr/local"_qs));
    }
}

void tst_Package::iconsAreRenderedAtTheSizeOfTheirFolder()
{
    const QDir hicolor(m_tree.filePath(u"usr/share/icons/hicolor"_qs));
    static const QRegularExpression sizeFolder(QStringLiteral("^(\\d+)x\\1$"));
    int rendered = 0;
    for (const QString &folder : hicolor.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QRegularExpressionMatch size = sizeFolder.match(folder);
        if (!size.hasMatch())
            continue;
        const QString path = hicolor.filePath(folder + u"/apps/"_qs + AppId + u".png"_qs);
        const QImage icon(path);
        QVERIFY2(!icon.isNull(), qPrintable(path + u" is not a PNG image"_qs));
        const int side = size.captured(1).toInt();
        QCOMPARE(icon.size(), QSize(side, side));
        QVERIFY2(icon.pixelColor(side / 2, side / 2).alpha() > 0, qPrintable(path + u" is blank"_qs));
        ++rendered;
    }
    QVERIFY(rendered >= 3);
}

QString tst_Package::field(const QString &name) const
{
    return run(u"dpkg-deb"_qs, {u"--field"_qs, m_package, name}).output.trimmed();
}

void tst_Package::controlFieldsDescribeHeraldAndTheLibrariesItNeeds()
{
    QCOMPARE(field(u"Package"_qs), u"herald"_qs);
    QCOMPARE(field(u"Version"_qs), QStringLiteral(HERALD_VERSION));
    QCOMPARE(field(u"Architecture"_qs), run(u"dpkg"_qs, {u"--print-architecture"_qs}).output.trimmed());
    QVERIFY(!field(u"Section"_qs).isEmpty());
    QVERIFY2(
        QRegularExpression(QStringLiteral("^[^<>]+ <[^@\\s]+@[^>\\s]+>$")).match(field(u"Maintainer"_qs)).hasMatch(),
        qPrintable(field(u"Maintainer"_qs)));
    const QStringList description = field(u"Description"_qs).split(u'\n');
    QVERIFY2(description.size() > 2 && !description.first().isEmpty(), "a synopsis and a longer description");

    // Installing the package brings every library the program loads.
    QStringList depends;
    for (const QString &alternatives : field(u"Depends"_qs).split(u',')) {
        for (const QString &dependency : alternatives.split(u'|'))
            depends.append(dependency.trimmed().section(u' ', 0, 0));
    }
    const Finished dynamic = run(u"readelf"_qs, {u"--dynamic"_qs, m_tree.filePath(u"usr/bin/herald"_qs)});
    QVERIFY2(dynamic.exitCode == 0, qPrintable(dynamic.output));
    static const QRegularExpression needed(QStringLiteral("\\(NEEDED\\)\\s+Shared library: \\[([^\\]]+)\\]"));
    auto libraries = needed.globalMatch(dynamic.output);
    QVERIFY(libraries.hasNext());
    while (libraries.hasNext()) {
        const QString library = libraries.next().captured(1);
        // "libqt6core6:amd64: /usr/lib/x86_64-linux-gnu/libQt6Core.so.6"
        const Finished owner = run(u"dpkg-query"_qs, {u"--search"_qs, u"*/"_qs + library});
        QVERIFY2(owner.exitCode == 0, qPrintable(library + u": "_qs + owner.output));
        QStringList owners;
        for (const QString &line : owner.output.split(u'\n', Qt::SkipEmptyParts)) {
            for (const QString &package : line.section(u": "_qs, 0, 0).split(u", "_qs))
                owners.append(package.section(u':', 0, 0));
        }
        const bool depended = std::any_of(owners.cbegin(), owners.cend(),
                                          [&](const QString &package) { return depends.contains(package); });
        QVERIFY2(
            depended,
            qPrintable(library + u" comes from "_qs + owners.join(u", "_qs) + u", which Depends does not name"_qs));
    }
}

void tst_Package::changelogAndReleaseNotesNameThisVersion()
{
    const Finished changelog
        = run(u"dpkg-parsechangelog"_qs,
              {u"-l"_qs, m_tree.filePath(u"usr/share/doc/herald/changelog.gz"_qs), u"--show-field"_qs, u"Version"_qs});
    QVERIFY2(changelog.exitCode == 0, qPrintable(changelog.output));
    QCOMPARE(changelog.output.trimmed(), QStringLiteral(HERALD_VERSION));

    // AppStream lists releases newest first.
    QFile metainfo(m_tree.filePath(u"usr/share/metainfo/"_qs + AppId + u".metainfo.xml"_qs));
    QVERIFY(metainfo.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&metainfo);
    while (!xml.atEnd() && !(xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"release"_qs)) {}
    QCOMPARE(xml.attributes().value(u"version"_qs).toString(), QStringLiteral(HERALD_VERSION));
}

void tst_Package::lintianFindsNoErrorsOrWarnings()
{
    const Finished lintian
        = run(u"lintian"_qs, {u"--fail-on"_qs, u"error,warning"_qs, u"--display-info"_qs, m_package});
    qInfo().noquote() << "lintian:" << lintian.output;
    QVERIFY2(lintian.exitCode == 0, qPrintable(lintian.output));
}

void tst_Package::validateDesktopEntryAndMetadata(const QString &root)
{
    const QString desktopEntry = root + u"/usr/share/applications/"_qs + AppId + u".desktop"_qs;
    const Finished desktop = run(u"desktop-file-validate"_qs, {desktopEntry});
    QVERIFY2(desktop.exitCode == 0 && desktop.output.isEmpty(), qPrintable(desktop.output));

    const Finished appstream = run(u"appstreamcli"_qs,
                                   {u"validate"_qs, u"--no-net"_qs, u"--strict"_qs,
                                    root + u"/usr/share/metainfo/"_qs + AppId + u".metainfo.xml"_qs});
    QVERIFY2(appstream.exitCode == 0, qPrintable(appstream.output));

    // The menu shows the entry's icon and starts its program.
    QFile entry(desktopEntry);
    QVERIFY(entry.open(QIODevice::ReadOnly | QIODevice::Text));
    const QString text = QString::fromUtf8(entry.readAll());
    static const QRegularExpression icon(QStringLiteral("^Icon=(.+)$"), QRegularExpression::MultilineOption);
    static const QRegularExpression exec(QStringLiteral("^Exec=(\\S+)"), QRegularExpression::MultilineOption);
    const QString iconFile
        = root + u"/usr/share/icons/hicolor/scalable/apps/"_qs + icon.match(text).captured(1) + u".svg"_qs;
    QVERIFY2(QFile::exists(iconFile), qPrintable(iconFile));
    const QString program = root + u"/usr/bin/"_qs + exec.match(text).captured(1);
    QVERIFY2(QFileInfo(program).isExecutable(), qPrintable(program));
}

void tst_Package::desktopEntryAndMetadataValidate()
{
    validateDesktopEntryAndMetadata(m_tree.path());
    if (QTest::currentTestFailed())
        return;
    // The whole tree: the metadata's launchable is the desktop entry next to it.
    const Finished tree = run(u"appstreamcli"_qs, {u"validate-tree"_qs, u"--no-net"_qs, u"--strict"_qs, m_tree.path()});
    QVERIFY2(tree.exitCode == 0, qPrintable(tree.output));
}

void tst_Package::installsWithAptGet()
{
    if (geteuid() != 0 || qgetenv("HERALD_PACKAGE_TEST") != "1") {
        QSKIP("Not installing the package: that needs root and HERALD_PACKAGE_TEST=1, as in .ci/run. "
              "Skipped with it: apt-get install, the installed herald's --help, --version and headless "
              "run, validating the installed files, systemd-analyze verify, and apt-get purge.");
    }
    QVERIFY2(dpkgStatus().isEmpty(),
             "herald is already installed here: purge it first (apt-get purge herald), "
             "so that the test installs and removes a package of its own");
    m_installAttempted = true;
    const QFileInfo package(m_package);
    const Finished install = aptGet({u"install"_qs, u"./"_qs + package.fileName()}, package.absolutePath());
    QVERIFY2(install.exitCode == 0, qPrintable(install.output));
    QCOMPARE(dpkgStatus(), u"install ok installed"_qs);
    m_installed = true;
}

void tst_Package::installedHeraldAnswersHelpAndVersion()
{
    if (!m_installed)
        QSKIP("the package is not installed (see installsWithAptGet)");
    QCOMPARE(runInShell(u"command -v herald"_qs).output.trimmed(), u"/usr/bin/herald"_qs);

    const Finished version = runInShell(u"herald --version"_qs);
    QCOMPARE(version.exitCode, 0);
    static const QRegularExpression versionLine(QStringLiteral("^herald (\\S+)( \\(git [^)]+\\))?\n$"));
    const QRegularExpressionMatch match = versionLine.match(version.output);
    QVERIFY2(match.hasMatch(), qPrintable(version.output));
    QCOMPARE(match.captured(1), field(u"Version"_qs));

    const Finished help = runInShell(u"herald --help"_qs);
    QCOMPARE(help.exitCode, 0);
    QCOMPARE(help.output.section(u'\n', 0, 0), u"Usage: herald [options]"_qs);
}

void tst_Package::installedHeraldPublishesAndStreamsHeadless()
{
    if (!m_installed)
        QSKIP("the package is not installed (see installsWithAptGet)");
    QTemporaryDir data;
    QProcess herald;
    herald.start(
        u"/usr/bin/herald"_qs,
        {u"--headless"_qs, u"--port"_qs, u"0"_qs, u"--bind"_qs, u"127.0.0.1"_qs, u"--data-dir"_qs, data.path()});
    QString output;
    const quint16 port = waitForHeraldPort(herald, &output, u"Ctrl+C"_qs, 60000);
    QVERIFY2(port != 0, qPrintable(output + QString::fromUtf8(herald.readAllStandardError())));

    // From the first event on, so the order of subscribing and publishing does not matter.
    SseClient stream;
    stream.open(port, "/events?lastEventId=0");
    QVERIFY(stream.waitForHead(60000));
    QCOMPARE(stream.status(), 200);
    const QByteArray body = "from the installed Herald";
    const QByteArray answer = rawExchange(port,
                                          "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                          "Content-Type: text/plain\r\nContent-Length: "
                                              + QByteArray::number(body.size()) + "\r\n\r\n" + body,
                                          60000);
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(stream.waitForEvents(1, 60000));
    QCOMPARE(stream.events().first().data, QString::fromUtf8(body));

    herald.terminate();
    QVERIFY(herald.waitForFinished(-1));
    QCOMPARE(herald.exitStatus(), QProcess::NormalExit);
    QCOMPARE(herald.exitCode(), 0);
}

void tst_Package::installedDesktopEntryAndMetadataValidate()
{
    if (!m_installed)
        QSKIP("the package is not installed (see installsWithAptGet)");
    validateDesktopEntryAndMetadata(QString());
}

void tst_Package::installedUnitsPassSystemdAnalyzeVerify()
{
    if (!m_installed)
        QSKIP("the package is not installed (see installsWithAptGet)");
    if (QStandardPaths::findExecutable(u"systemd-analyze"_qs).isEmpty())
        QSKIP("systemd is not installed here, so systemd-analyze cannot verify the units");
    // verify reports a bad setting and still exits 0, so anything it says about the unit fails.
    const Finished system = run(u"systemd-analyze"_qs, {u"verify"_qs, u"/usr/lib/systemd/system/herald.service"_qs});
    QVERIFY2(system.exitCode == 0 && !system.output.contains(u"herald"_qs), qPrintable(system.output));

    QTemporaryDir runtime; // a user manager wants its runtime folder
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"XDG_RUNTIME_DIR"_qs, runtime.path());
    const Finished user
        = run(u"systemd-analyze"_qs, {u"--user"_qs, u"verify"_qs, u"/usr/lib/systemd/user/herald.service"_qs},
              QString(), environment);
    QVERIFY2(user.exitCode == 0 && !user.output.contains(u"herald"_qs), qPrintable(user.output));
}

void tst_Package::purgesWithAptGet()
{
    if (!m_installed)
        QSKIP("the package is not installed (see installsWithAptGet)");
    const Finished purge = aptGet({u"purge"_qs, u"herald"_qs});
    QVERIFY2(purge.exitCode == 0, qPrintable(purge.output));
    m_installed = false;
    QVERIFY2(dpkgStatus().isEmpty() || dpkgStatus().endsWith(u"not-installed"_qs), qPrintable(dpkgStatus()));
    QVERIFY(!QFile::exists(u"/usr/bin/herald"_qs));
    QVERIFY(!QFile::exists(u"/etc/default/herald"_qs));
}

void tst_Package::cleanupTestCase()
{
    // A step that failed after apt-get started must not leave the package behind.
    const QString status = dpkgStatus();
    if (m_installAttempted && !status.isEmpty() && !status.endsWith(u"not-installed"_qs)) {
        const Finished purge = aptGet({u"purge"_qs, u"herald"_qs});
        QVERIFY2(purge.exitCode == 0, qPrintable(purge.output));
    }
}

QTEST_GUILESS_MAIN(tst_Package)
#include "tst_package.moc"
