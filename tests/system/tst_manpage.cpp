#include "heraldprocess.h"
#include "settingstable.h"

#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

/// herald(1), the man page, as man shows it to a reader, against the settings table and what
/// herald --help prints.
class tst_ManPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rendersWithoutWarnings();
    void namesEveryFlagThatHelpPrints();
    void describesOnlyFlagsHeraldHas();
    void namesEveryFlagOfTheSettingsTable();
    void describesOnlyFlagsOfTheSettingsTableAndQt();
    void namesEachValueAsTheSettingsTableDoes();

private:
    QString m_page;
    QString m_warnings;
    QStringList m_documentedFlags; ///< the flags the OPTIONS section describes
    QHash<QString, QString> m_documentedValues; ///< what it calls each flag's value: "N" for "--port N"
    QStringList m_helpFlags;
};

void tst_ManPage::initTestCase()
{
    // groff is the typesetter man runs; no line breaks and no hyphenation, so a flag stays whole.
    QProcess groff;
    groff.start(u"groff"_qs,
                {u"-man"_qs, u"-ww"_qs, u"-rLL=1000n"_qs, u"-rHY=0"_qs, u"-Tascii"_qs, u"-P-cbou"_qs,
                 QStringLiteral(HERALD_MAN_PAGE)});
    QVERIFY2(groff.waitForFinished(-1), "groff does not run: install groff-base");
    QCOMPARE(groff.exitCode(), 0);
    m_page = QString::fromUtf8(groff.readAllStandardOutput());
    m_warnings = QString::fromUtf8(groff.readAllStandardError());

    const qsizetype options = m_page.indexOf(u"\nOPTIONS\n"_qs);
    QVERIFY2(options >= 0, "the man page has no OPTIONS section");
    static const QRegularExpression nextSection(QStringLiteral("\n[A-Z][A-Z ]+\n"));
    const QString section = m_page.mid(options + 1, m_page.indexOf(nextSection, options + 1) - options);
    // Each option is a paragraph tag: "       -h, --help" or "       --port N".
    static const QRegularExpression tag(QStringLiteral("^       (-[^\\s,]+)(?:, (-[^\\s,]+))?(?: (\\S+))?"),
                                        QRegularExpression::MultilineOption);
    auto tags = tag.globalMatch(section);
    while (tags.hasNext()) {
        const QRegularExpressionMatch match = tags.next();
        m_documentedFlags.append(match.captured(1));
        if (!match.captured(2).isEmpty())
            m_documentedFlags.append(match.captured(2));
        m_documentedValues.insert(m_documentedFlags.constLast(), match.captured(3));
    }

    for (const HelpFlag &flag : helpFlags(QStringLiteral(HERALD_BINARY)))
        m_helpFlags += flag.names;
    QVERIFY2(m_helpFlags.contains(u"--port"_qs), "herald --help lists no flags");
}

void tst_ManPage::rendersWithoutWarnings()
{
    QVERIFY2(m_warnings.isEmpty(), qPrintable(m_warnings));
}

void tst_ManPage::namesEveryFlagThatHelpPrints()
{
    for (const QString &flag : std::as_const(m_helpFlags))
        QVERIFY2(m_documentedFlags.contains(flag), qPrintable(flag + u" is missing from the OPTIONS section"_qs));
}

void tst_ManPage::describesOnlyFlagsHeraldHas()
{
    for (const QString &flag : std::as_const(m_documentedFlags))
        QVERIFY2(m_helpFlags.contains(flag),
                 qPrintable(flag + u" is described, but herald --help does not list it"_qs));
}

void tst_ManPage::namesEveryFlagOfTheSettingsTable()
{
    for (const QString &flag : SettingsTable::flags())
        QVERIFY2(m_documentedFlags.contains(flag), qPrintable(flag + u" is missing from the OPTIONS section"_qs));
}

void tst_ManPage::describesOnlyFlagsOfTheSettingsTableAndQt()
{
    const QStringList qtsOwn{u"-h"_qs, u"--help"_qs, u"--help-all"_qs, u"-v"_qs, u"--version"_qs};
    const QStringList table = SettingsTable::flags();
    for (const QString &flag : std::as_const(m_documentedFlags)) {
        QVERIFY2(table.contains(flag) || qtsOwn.contains(flag),
                 qPrintable(flag + u" is described, but the settings table has no such flag"_qs));
    }
}

void tst_ManPage::namesEachValueAsTheSettingsTableDoes()
{
    for (const Setting *setting : SettingsTable::All) {
        if (!setting->flag)
            continue;
        const QString flag = u"--"_qs + setting->name();
        QCOMPARE(flag + u' ' + m_documentedValues.value(flag), flag + u' ' + QLatin1String(setting->valueName));
    }
}

QTEST_GUILESS_MAIN(tst_ManPage)
#include "tst_manpage.moc"
