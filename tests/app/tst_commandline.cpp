#include "commandline.h"

#include <QRegularExpression>
#include <QTest>

class tst_CommandLine : public QObject
{
    Q_OBJECT

private slots:
    void defaultsAreHeraldsDocumentedOnes();
    void valuesAreTaken();
    void badValuesFailWithOneClearLine_data();
    void badValuesFailWithOneClearLine();
    void helpAndVersion();
    void helpListsEveryFlagOfTheSettingsTable();
    void helpShowsTheDocumentedDefaults_data();
    void helpShowsTheDocumentedDefaults();
    void theReaderTokenComesFromTheFlagOrTheEnvironment();
    void theReaderTokenMustDifferFromTheToken_data();
    void theReaderTokenMustDifferFromTheToken();
};

void tst_CommandLine::defaultsAreHeraldsDocumentedOnes()
{
    qunsetenv("HERALD_TOKEN");
    qunsetenv("HERALD_READ_TOKEN");
    const CommandLine line = parseCommandLine({u"herald"_qs});
    QCOMPARE(line.action, CommandLine::Action::Run);
    QCOMPARE(line.headless, false);
    QCOMPARE(line.config.port, quint16(8080));
    QCOMPARE(line.config.bindAddress, QHostAddress(QHostAddress::Any));
    QCOMPARE(line.config.history.maxEvents, 1000);
    QCOMPARE(line.config.history.maxBytes, 64 * 1024 * 1024);
    QCOMPARE(line.config.durability, Durability::Process);
    QCOMPARE(line.config.heartbeatSeconds, 15);
    QCOMPARE(line.config.retryMilliseconds, 3000);
    QCOMPARE(line.config.dataDirectory, defaultDataDirectory());
    QVERIFY(!line.config.dataDirectory.isEmpty());
    QVERIFY(line.config.token.isEmpty());
    QVERIFY(line.config.readToken.isEmpty());
    QCOMPARE(line.config.corsOrigin, u"*"_qs);
    QCOMPARE(line.config.maxStreams, 0); // derived from the open-file limit at start
    QCOMPARE(line.config.requestTimeoutSeconds, 10);
    QCOMPARE(line.config.maxBodyBytes, 1024 * 1024);
    QCOMPARE(line.config.maxTopics, 64);
    QVERIFY(!line.config.privateStreams);
}

void tst_CommandLine::valuesAreTaken()
{
    const CommandLine line = parseCommandLine(
        {u"herald"_qs,        u"--headless"_qs, u"--port"_qs,          u"9090"_qs,       u"--bind"_qs,
         u"localhost"_qs,     u"--token"_qs,    u"s3cret"_qs,          u"--history"_qs,  u"5"_qs,
         u"--heartbeat"_qs,   u"2"_qs,          u"--retry=100"_qs,     u"--data-dir"_qs, u"/tmp/x"_qs,
         u"--cors-origin"_qs, u"none"_qs,       u"--history-bytes"_qs, u"4096"_qs,       u"--durability"_qs,
         u"disk"_qs});
    QCOMPARE(line.action, CommandLine::Action::Run);
    QVERIFY(line.headless);
    QCOMPARE(line.config.port, quint16(9090));
    QCOMPARE(line.config.bindAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(line.config.token, u"s3cret"_qs);
    QCOMPARE(line.config.history.maxEvents, 5);
    QCOMPARE(line.config.history.maxBytes, 4096);
    QCOMPARE(line.config.durability, Durability::Disk);
    QCOMPARE(line.config.heartbeatSeconds, 2);
    QCOMPARE(line.config.retryMilliseconds, 100);
    QCOMPARE(line.config.dataDirectory, u"/tmp/x"_qs);
    QVERIFY(line.config.corsOrigin.isEmpty());
    QVERIFY(line.givenOptions.contains(u"port"_qs));
    QVERIFY(!line.givenOptions.contains(u"max-body"_qs));

    const CommandLine hardened = parseCommandLine(
        {u"herald"_qs, u"--token=t"_qs, u"--private"_qs, u"--max-clients"_qs, u"50"_qs, u"--request-timeout"_qs,
         u"3"_qs, u"--max-topics"_qs, u"8"_qs, u"--trusted-origin"_qs, u"https://a.example"_qs, u"--trusted-origin"_qs,
         u"http://b.example:8000"_qs, u"--host-name"_qs, u"herald.lan"_qs});
    QCOMPARE(hardened.action, CommandLine::Action::Run);
    QVERIFY(hardened.config.privateStreams);
    QCOMPARE(hardened.config.maxStreams, 50);
    QCOMPARE(hardened.config.requestTimeoutSeconds, 3);
    QCOMPARE(hardened.config.maxTopics, 8);
    QVERIFY(hardened.givenOptions.contains(u"max-topics"_qs));
    QCOMPARE(hardened.config.trustedOrigins, QStringList({u"https://a.example"_qs, u"http://b.example:8000"_qs}));
    QCOMPARE(hardened.config.hostNames, QStringList({u"herald.lan"_qs}));

    const CommandLine v6 = parseCommandLine({u"herald"_qs, u"--bind"_qs, u"::1"_qs});
    QCOMPARE(v6.config.bindAddress, QHostAddress(QHostAddress::LocalHostIPv6));
}

void tst_CommandLine::badValuesFailWithOneClearLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("port not a number") << QStringList{u"--port"_qs, u"http"_qs} << u"--port"_qs;
    QTest::newRow("port too large") << QStringList{u"--port"_qs, u"70000"_qs} << u"--port"_qs;
    QTest::newRow("negative port") << QStringList{u"--port=-1"_qs} << u"--port"_qs;
    QTest::newRow("bad address") << QStringList{u"--bind"_qs, u"999.1.1.1"_qs} << u"--bind"_qs;
    QTest::newRow("history not a number") << QStringList{u"--history"_qs, u"lots"_qs} << u"--history"_qs;
    QTest::newRow("zero heartbeat") << QStringList{u"--heartbeat"_qs, u"0"_qs} << u"--heartbeat"_qs;
    QTest::newRow("negative retry") << QStringList{u"--retry"_qs, u"-5"_qs} << u"--retry"_qs;
    QTest::newRow("empty token") << QStringList{u"--token"_qs, u""_qs} << u"--token"_qs;
    QTest::newRow("empty reader token") << QStringList{u"--read-token"_qs, u" "_qs} << u"--read-token"_qs;
    QTest::newRow("unknown option") << QStringList{u"--colour"_qs} << u"colour"_qs;
    QTest::newRow("missing value") << QStringList{u"--port"_qs} << u"port"_qs;
    QTest::newRow("history bytes not a number")
        << QStringList{u"--history-bytes"_qs, u"64M"_qs} << u"--history-bytes"_qs;
    QTest::newRow("unknown durability") << QStringList{u"--durability"_qs, u"always"_qs} << u"--durability"_qs;
    QTest::newRow("zero max clients") << QStringList{u"--max-clients"_qs, u"0"_qs} << u"--max-clients"_qs;
    QTest::newRow("zero request timeout") << QStringList{u"--request-timeout"_qs, u"0"_qs} << u"--request-timeout"_qs;
    QTest::newRow("zero max topics") << QStringList{u"--max-topics"_qs, u"0"_qs} << u"--max-topics"_qs;
    QTest::newRow("max topics not a number") << QStringList{u"--max-topics"_qs, u"many"_qs} << u"--max-topics"_qs;
    QTest::newRow("private without token") << QStringList{u"--private"_qs} << u"--private"_qs;
    QTest::newRow("origin with a path") << QStringList{u"--trusted-origin"_qs, u"https://a.example/page"_qs}
                                        << u"--trusted-origin"_qs;
    QTest::newRow("stray argument") << QStringList{u"8080"_qs} << u"8080"_qs;
}

void tst_CommandLine::badValuesFailWithOneClearLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    arguments.prepend(u"herald"_qs);
    const CommandLine line = parseCommandLine(arguments);
    QCOMPARE(line.action, CommandLine::Action::Fail);
    QVERIFY2(line.error.contains(mentions), qPrintable(line.error));
    QVERIFY(!line.error.contains(u'\n'));
}

void tst_CommandLine::helpAndVersion()
{
    QCOMPARE(parseCommandLine({u"herald"_qs, u"--help"_qs}).action, CommandLine::Action::ShowHelp);
    QCOMPARE(parseCommandLine({u"herald"_qs, u"--version"_qs}).action, CommandLine::Action::ShowVersion);
    const QString help = commandLineHelp();
    for (const char *option : {"--headless", "--port", "--bind", "--token", "--read-token", "--max-topics", "--history",
                               "--history-bytes", "--durability", "--heartbeat", "--retry", "--data-dir"})
        QVERIFY2(help.contains(QLatin1String(option)), option);
}

void tst_CommandLine::helpListsEveryFlagOfTheSettingsTable()
{
    // "  -h, --help   Displays ..." or "  --port <N>   The TCP port ...".
    static const QRegularExpression flagLine(QStringLiteral("^  (?:-\\w, )?(--[\\w-]+)"),
                                             QRegularExpression::MultilineOption);
    QStringList listed;
    auto matches = flagLine.globalMatch(commandLineHelp());
    while (matches.hasNext())
        listed.append(matches.next().captured(1));
    // Qt's own, then the table's, in its order.
    QCOMPARE(listed, QStringList({u"--help"_qs, u"--help-all"_qs, u"--version"_qs}) + SettingsTable::flags());
}

void tst_CommandLine::helpShowsTheDocumentedDefaults_data()
{
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QString>("shows");
    QTest::newRow("port") << u"--port"_qs << u"default 8080"_qs;
    QTest::newRow("bind") << u"--bind"_qs << u"default all"_qs;
    QTest::newRow("history") << u"--history"_qs << u"default 1000"_qs;
    QTest::newRow("history-bytes") << u"--history-bytes"_qs << u"default 67108864, 64 MiB"_qs;
    QTest::newRow("page-history") << u"--page-history"_qs << u"default 20"_qs;
    QTest::newRow("durability") << u"--durability"_qs << u"default process"_qs;
    QTest::newRow("heartbeat") << u"--heartbeat"_qs << u"default 15"_qs;
    QTest::newRow("retry") << u"--retry"_qs << u"default 3000"_qs;
    QTest::newRow("data-dir") << u"--data-dir"_qs << u"default: "_qs + defaultDataDirectory();
    QTest::newRow("cors-origin") << u"--cors-origin"_qs << u"default *"_qs;
    QTest::newRow("max-body") << u"--max-body"_qs << u"default 1048576"_qs;
    QTest::newRow("client-buffer") << u"--client-buffer"_qs << u"default 1048576"_qs;
    QTest::newRow("request-timeout") << u"--request-timeout"_qs << u"default 10"_qs;
    QTest::newRow("max-topics") << u"--max-topics"_qs << u"default 64"_qs;
    QTest::newRow("cluster-prefix") << u"--cluster-prefix"_qs << u"default herald"_qs;
}

void tst_CommandLine::helpShowsTheDocumentedDefaults()
{
    QFETCH(QString, flag);
    QFETCH(QString, shows);
    // The flag's paragraph, from its line to the next flag's, with its wrapped lines joined.
    const QString help = commandLineHelp();
    const qsizetype start = help.indexOf(u"\n  "_qs + flag + u' ');
    QVERIFY2(start >= 0, qPrintable(flag));
    const QString paragraph = help.mid(start, help.indexOf(u"\n  -"_qs, start + 1) - start).simplified();
    QVERIFY2(paragraph.contains(shows), qPrintable(paragraph));
}

void tst_CommandLine::theReaderTokenComesFromTheFlagOrTheEnvironment()
{
    qunsetenv("HERALD_TOKEN");
    qunsetenv("HERALD_READ_TOKEN");
    const CommandLine flag
        = parseCommandLine({u"herald"_qs, u"--token"_qs, u"T"_qs, u"--private"_qs, u"--read-token"_qs, u"R"_qs});
    QCOMPARE(flag.action, CommandLine::Action::Run);
    QCOMPARE(flag.config.readToken, u"R"_qs);
    QVERIFY(flag.config.privateStreams);
    // As HERALD_TOKEN keeps the token out of ps, HERALD_READ_TOKEN keeps the reader token out.
    qputenv("HERALD_READ_TOKEN", "from-the-environment");
    QCOMPARE(parseCommandLine({u"herald"_qs, u"--token=T"_qs, u"--private"_qs}).config.readToken,
             u"from-the-environment"_qs);
    QCOMPARE(parseCommandLine({u"herald"_qs, u"--token=T"_qs, u"--read-token=R"_qs}).config.readToken,
             u"R"_qs); // the flag wins
    qunsetenv("HERALD_READ_TOKEN");
    // Private without one: Herald makes one when it starts.
    QVERIFY(parseCommandLine({u"herald"_qs, u"--token=T"_qs, u"--private"_qs}).config.readToken.isEmpty());
    // Without --private it is taken, and unused.
    const CommandLine open = parseCommandLine({u"herald"_qs, u"--token=T"_qs, u"--read-token=R"_qs});
    QCOMPARE(open.action, CommandLine::Action::Run);
    QVERIFY(!open.config.privateStreams);
}

void tst_CommandLine::theReaderTokenMustDifferFromTheToken_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("tokenVariable");
    QTest::addColumn<QByteArray>("readTokenVariable");
    QTest::newRow("both flags") << QStringList{u"--token=same"_qs, u"--read-token=same"_qs} << QByteArray()
                                << QByteArray();
    QTest::newRow("token from the environment")
        << QStringList{u"--read-token=same"_qs} << QByteArray("same") << QByteArray();
    QTest::newRow("both from the environment") << QStringList() << QByteArray("same") << QByteArray("same");
}

void tst_CommandLine::theReaderTokenMustDifferFromTheToken()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, tokenVariable);
    QFETCH(QByteArray, readTokenVariable);
    qputenv("HERALD_TOKEN", tokenVariable);
    qputenv("HERALD_READ_TOKEN", readTokenVariable);
    const CommandLine line = parseCommandLine(QStringList{u"herald"_qs, u"--private"_qs} + arguments);
    qunsetenv("HERALD_TOKEN");
    qunsetenv("HERALD_READ_TOKEN");
    QCOMPARE(line.action, CommandLine::Action::Fail);
    QVERIFY2(line.error.contains(u"--read-token"_qs) && line.error.contains(u"differ"_qs), qPrintable(line.error));
    QVERIFY(!line.error.contains(u"same"_qs)); // it never repeats a token
    QVERIFY(!line.error.contains(u'\n'));
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
