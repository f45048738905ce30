#include "buildversion.h"
#include "commandline.h"
#include "desktop.h"
#include "heraldservice.h"
#include "heraldsettings.h"
#include "instanceguard.h"
#include "mainwindow.h"
#include "openfiles.h"
#include "readertokenfile.h"
#include "servicehost.h"
#include "translations.h"
#include "unixsignals.h"

#include <QApplication>
#include <QLocale>
#include <QLoggingCategory>
#include <QSettings>
#include <QTextStream>

#include <cstdio>

namespace {

constexpr long RecommendedOpenFiles = 20000;

int runHeadless(QCoreApplication &app, const CommandLine &commandLine, const QString &why)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    UnixSignals unixSignals;

    QString error;
    InstanceGuard guard(commandLine.config.dataDirectory);
    if (!guard.tryLock(&error)) {
        err << "herald: " << error << Qt::endl;
        return 2;
    }

    ServiceConfig config = commandLine.config;
    if (config.privateStreams && config.readToken.isEmpty()) {
        // The audience's links outlive a restart: the reader token is kept in the data folder.
        config.readToken = ReaderTokenFile(config.dataDirectory).take(config.token, &error);
        if (config.readToken.isEmpty())
            err << "herald: " << error << Qt::endl;
    }

    ServiceHost host;
    if (!host.start(config, &error)) {
        err << "herald: " << error << Qt::endl;
        return 2;
    }

    HeraldService *service = host.service();
    QObject::connect(service, &HeraldService::warningRaised, &app,
                     [&err](const QString &message) { err << "herald: " << message << Qt::endl; });

    out << "Herald " << QCoreApplication::applicationVersion() << " is running headless (" << why << ").\n";
    out << "Open one of these in a browser:\n";
    for (const QString &url : host.joinUrls())
        out << "  " << url << '\n';
    if (host.tlsPort()) {
        out << "Over HTTPS (certificate SHA-256 " << host.tlsFingerprint() << "):\n";
        for (const QString &url : host.httpsJoinUrls())
            out << "  " << url << '\n';
        if (!host.authorityFingerprint().isEmpty()) {
            // A device trusts Herald's own authority once; the fingerprint lets its owner check it.
            out << "Trust Herald's certificate authority on each device, from "
                << host.browserUrls().value(qMin(1, int(host.browserUrls().size()) - 1)) << "herald-ca.crt\n"
                << "  (SHA-256 " << host.authorityFingerprint() << ")\n";
        }
    }
    if (config.privateStreams)
        out << "The token in these links is the reader token: it lets a browser read, not publish.\n";
    out << "Publish with: curl -H 'Content-Type: text/plain' -d 'hello' http://127.0.0.1:" << host.port()
        << "/publish\n";
    out << "Stop with Ctrl+C." << Qt::endl;

    QObject::connect(&unixSignals, &UnixSignals::reloadRequested, &app, [&host] { host.reloadCertificate(); });
    QObject::connect(&unixSignals, &UnixSignals::terminationRequested, &app, [&] {
        out << "Herald is stopping." << Qt::endl;
        host.stop();
        app.quit();
    });
    return app.exec();
}

/// The saved settings, with what the command line gave taking precedence for this run.
HeraldSettings effectiveSettings(QSettings &store, const CommandLine &commandLine)
{
    HeraldSettings settings = HeraldSettings::load(store);
    for (const Setting *setting : SettingsTable::All) {
        // A flag given wins over the saved value of its setting; a setting that is never saved
        // always comes from the command line or its default.
        if (setting->inServiceConfig() && (!setting->settingsKey || commandLine.gave(*setting)))
            setting->copy(commandLine.config, settings.service);
    }
    return settings;
}

int runPanel(int &argc, char **argv, const CommandLine &commandLine)
{
    prepareBrowserEngine();
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    // Chromium's start-up report is noise for an operator; QT_LOGGING_RULES can bring it back.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.webenginecontext.info=false"));
    QApplication::setApplicationDisplayName(QStringLiteral("Herald"));
    QApplication::setDesktopFileName(QStringLiteral(HERALD_APP_ID));
    installTranslations();

    QSettings store(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("herald"), QStringLiteral("herald"));
    const HeraldSettings settings = effectiveSettings(store, commandLine);
    // A reader token from the command line may meet a token from the saved settings.
    const QString readTokenProblem = readTokenError(settings.service);
    if (!commandLine.config.readToken.isEmpty() && !readTokenProblem.isEmpty()) {
        std::fprintf(stderr, "herald: %s\n", qPrintable(readTokenProblem));
        return 2;
    }

    InstanceGuard guard(settings.service.dataDirectory);
    QString error;
    if (!guard.tryLock(&error)) {
        if (guard.askOwnerToRaise()) {
            std::printf("herald: Herald is already running with the data folder %s; its window is now in front\n",
                        qPrintable(settings.service.dataDirectory));
            return 0;
        }
        std::fprintf(stderr, "herald: %s\n", qPrintable(error));
        return 2;
    }
    guard.listen();

    ServiceHost host;
    MainWindow window(&host, &store, settings, MainWindow::Options());
    window.show();
    QObject::connect(&guard, &InstanceGuard::raiseRequested, &window, [&window] {
        window.setWindowState((window.windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
        window.show();
        window.raise();
        window.activateWindow();
        std::printf("herald: another launch brought this window to the front\n");
        std::fflush(stdout);
    });

    QTextStream out(stdout);
    if (settings.listenAtLaunch && window.startService()) {
        out << "Herald " << QCoreApplication::applicationVersion() << " is listening. Browsers can open:\n";
        for (const QString &url : host.joinUrls())
            out << "  " << url << '\n';
        out.flush();
    }

    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::terminationRequested, &window, &QWidget::close);
    QObject::connect(&app, &QApplication::lastWindowClosed, &app, &QApplication::quit);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("herald"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    // The data folder default depends on the application name, set above.
    const CommandLine commandLine = parseCommandLine(arguments);
    switch (commandLine.action) {
    case CommandLine::Action::ShowHelp: {
        const QCoreApplication app(argc, argv); // the usage line names the program through it
        std::fputs(qPrintable(commandLineHelp()), stdout);
        return 0;
    }
    case CommandLine::Action::ShowVersion:
        std::printf("herald %s\n", HERALD_BUILD_VERSION);
        return 0;
    case CommandLine::Action::Fail:
        std::fprintf(stderr, "herald: %s\n", qPrintable(commandLine.error));
        return 2;
    case CommandLine::Action::Run:
        break;
    }

    // Every stream holds a descriptor: say what Herald got, and what that means.
    const OpenFileLimit openFiles = raiseOpenFileLimit();
    if (openFiles.now > 0 && openFiles.now < RecommendedOpenFiles) {
        std::fprintf(stderr,
                     "herald: the open-file limit is %ld, so at most about that many browsers can "
                     "connect; raise it with ulimit -n\n",
                     openFiles.now);
    } else if (openFiles.now > openFiles.before) {
        std::fprintf(stderr,
                     "herald: raised the open-file limit from %ld to %ld, enough for about that many "
                     "browsers\n",
                     openFiles.before, openFiles.now);
    } else if (openFiles.kernelMaximum > openFiles.now) {
        std::fprintf(stderr,
                     "herald: the open-file limit is %ld; this system does not let Herald raise it to %ld, "
                     "so at most about %ld browsers can connect\n",
                     openFiles.now, openFiles.kernelMaximum, openFiles.now);
    }

    if (!commandLine.headless && hasDesktop())
        return runPanel(argc, argv, commandLine);

    QCoreApplication app(argc, argv);
    return runHeadless(app, commandLine,
                       commandLine.headless ? QStringLiteral("--headless") : QStringLiteral("no display found"));
}
