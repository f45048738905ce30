#include "commandline.h"
#include "heraldservice.h"
#include "networkurls.h"
#include "servicehost.h"
#include "unixsignals.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace {

constexpr long RecommendedOpenFiles = 20000;

int runHeadless(QCoreApplication &app, const CommandLine &commandLine, const QString &why)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    UnixSignals unixSignals;

    ServiceHost host;
    QString error;
    if (!host.start(commandLine.config, &error)) {
        err << "herald: " << error << Qt::endl;
        return 2;
    }

    HeraldService *service = host.service();
    QObject::connect(service, &HeraldService::warningRaised, &app,
                     [&err](const QString &message) { err << "herald: " << message << Qt::endl; });

    out << "Herald " << QCoreApplication::applicationVersion() << " is running headless (" << why << ").\n";
    out << "Open one of these in a browser:\n";
    for (const QString &url : browserUrls(commandLine.config.bindAddress, host.port()))
        out << "  " << url << '\n';
    out << "Publish with: curl -H 'Content-Type: text/plain' -d 'hello' http://127.0.0.1:" << host.port()
        << "/publish\n";
    out << "Stop with Ctrl+C." << Qt::endl;

    QObject::connect(&unixSignals, &UnixSignals::terminationRequested, &app, [&] {
        out << "Herald is stopping." << Qt::endl;
        host.stop();
        app.quit();
    });
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
    QCoreApplication app(argc, argv);
    const CommandLine commandLine = parseCommandLine(arguments);
    switch (commandLine.action) {
    case CommandLine::Action::ShowHelp:
        std::fputs(qPrintable(commandLine.helpText), stdout);
        return 0;
    case CommandLine::Action::ShowVersion:
        std::printf("herald %s\n", HERALD_VERSION);
        return 0;
    case CommandLine::Action::Fail:
        std::fprintf(stderr, "herald: %s\n", qPrintable(commandLine.error));
        return 2;
    case CommandLine::Action::Run:
        break;
    }

    const long openFiles = raiseOpenFileLimit();
    if (openFiles > 0 && openFiles < RecommendedOpenFiles) {
        std::fprintf(stderr, "herald: the open-file limit is %ld, so at most about that many browsers can "
                             "connect; raise it with ulimit -n\n", openFiles);
    }

    const bool hasDisplay = !qEnvironmentVariableIsEmpty("DISPLAY")
            || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    QString why;
    if (commandLine.headless)
        why = QStringLiteral("--headless");
    else if (!hasDisplay)
        why = QStringLiteral("no display found");
    else
        why = QStringLiteral("this build has no control panel yet");
    return runHeadless(app, commandLine, why);
}
