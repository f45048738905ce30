#include "heraldprocess.h"
#include "settingstable.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString BashCompletion = QStringLiteral("/usr/share/bash-completion/bash_completion");

/// What bash offers for the command line "herald WORD..." with the cursor after the last word,
/// the way bash-completion runs herald's completion when a person presses Tab.
QStringList complete(const QStringList &words, const QString &workingDirectory = QDir::currentPath())
{
    static const QString script = QStringLiteral(R"(
source "$BASH_COMPLETION"
source "$HERALD_COMPLETION"
[[ $(complete -p herald) =~ -F\ ([^ ]+) ]] || exit 3
COMP_WORDS=(herald "$@")
COMP_CWORD=$#
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
"${BASH_REMATCH[1]}" herald "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
)");
    QProcess bash;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"BASH_COMPLETION"_qs, BashCompletion);
    environment.insert(u"HERALD_COMPLETION"_qs, QStringLiteral(HERALD_COMPLETION));
    environment.insert(u"PATH"_qs,
                       QFileInfo(QStringLiteral(HERALD_BINARY)).absolutePath() + u':' + environment.value(u"PATH"_qs));
    bash.setProcessEnvironment(environment);
    bash.setWorkingDirectory(workingDirectory);
    bash.start(u"bash"_qs, QStringList{u"-c"_qs, script, u"bash"_qs} + words);
    if (!bash.waitForFinished(-1) || bash.exitCode() != 0)
        return {u"(completion failed: "_qs + QString::fromUtf8(bash.readAllStandardError()) + u')'};
    QStringList offered = QString::fromUtf8(bash.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    offered.sort();
    return offered;
}

} // namespace

/// Bash completion for herald, loaded as bash-completion loads it, against the settings table and
/// what herald --help prints.
class tst_BashCompletion : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void offersEveryFlagThatHelpPrints();
    void offersEveryFlagOfTheSettingsTableAndNoOther();
    void offersFoldersForTheDataFolder();
    void offersTheBindChoices();
    void offersFilesForTheCertificateAndKey();
    void offersTheChoicesOrNothingWhereAValueBelongs();

private:
    QList<HelpFlag> m_flags;
};

void tst_BashCompletion::initTestCase()
{
    QVERIFY2(QFile::exists(BashCompletion), "bash-completion is not installed: run tools/setup");
    m_flags = helpFlags(QStringLiteral(HERALD_BINARY));
    QVERIFY2(!m_flags.isEmpty(), "herald --help lists no flags");
}

void tst_BashCompletion::offersEveryFlagThatHelpPrints()
{
    QStringList longFlags;
    for (const HelpFlag &flag : std::as_const(m_flags))
        longFlags.append(flag.names.constLast());
    longFlags.sort();
    QCOMPARE(complete({u"--"_qs}), longFlags);
    QCOMPARE(complete({u"--he"_qs}),
             QStringList({u"--headless"_qs, u"--heartbeat"_qs, u"--help"_qs, u"--help-all"_qs}));
}

void tst_BashCompletion::offersEveryFlagOfTheSettingsTableAndNoOther()
{
    QStringList flags = SettingsTable::flags() + QStringList{u"--help"_qs, u"--help-all"_qs, u"--version"_qs};
    flags.sort();
    QCOMPARE(complete({u"--"_qs}), flags);
}

void tst_BashCompletion::offersFoldersForTheDataFolder()
{
    QTemporaryDir place;
    QVERIFY(QDir(place.path()).mkdir(u"history"_qs));
    QFile file(place.filePath(u"notes.txt"_qs));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(complete({u"--data-dir"_qs, QString()}, place.path()), QStringList({u"history"_qs}));
}

void tst_BashCompletion::offersFilesForTheCertificateAndKey()
{
    QTemporaryDir place;
    QVERIFY(QDir(place.path()).mkdir(u"certs"_qs));
    QFile file(place.filePath(u"herald.pem"_qs));
    QVERIFY(file.open(QIODevice::WriteOnly));
    for (const QString &flag : {u"--tls-cert"_qs, u"--tls-key"_qs})
        QCOMPARE(complete({flag, QString()}, place.path()), QStringList({u"certs"_qs, u"herald.pem"_qs}));
}

void tst_BashCompletion::offersTheBindChoices()
{
    QCOMPARE(complete({u"--bind"_qs, QString()}), QStringList({u"all"_qs, u"localhost"_qs}));
}

void tst_BashCompletion::offersTheChoicesOrNothingWhereAValueBelongs()
{
    int checked = 0;
    for (const HelpFlag &flag : std::as_const(m_flags)) {
        const QString name = flag.names.constLast();
        if (flag.valueName.isEmpty() || name == u"--data-dir"_qs || name == u"--bind"_qs || name == u"--tls-cert"_qs
            || name == u"--tls-key"_qs)
            continue;
        // "--durability <process|disk>" offers process and disk; "--port <N>" offers nothing.
        QStringList choices = flag.valueName.contains(u'|') ? flag.valueName.split(u'|') : QStringList();
        choices.sort();
        const QStringList offered = complete({name, QString()});
        QVERIFY2(offered == choices, qPrintable(name + u" <"_qs + flag.valueName + u"> gets "_qs + offered.join(u' ')));
        ++checked;
    }
    QVERIFY(checked > 0);
}

QTEST_GUILESS_MAIN(tst_BashCompletion)
#include "tst_bashcompletion.moc"
