#include "commandline.h"
#include "heraldsettings.h"
#include "settingsdialog.h"
#include "settingstable.h"

#include <QApplication>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

/// Each integer setting takes the same values wherever it is set: on the command line, in the
/// saved settings and in the Settings dialog.
class tst_SettingRanges : public QObject
{
    Q_OBJECT

private slots:
    void theCommandLineTakesExactlyTheRange_data();
    void theCommandLineTakesExactlyTheRange();
    void savedSettingsOutOfRangeFallBackToTheDefault_data();
    void savedSettingsOutOfRangeFallBackToTheDefault();
    void theDialogOffersExactlyTheRange_data();
    void theDialogOffersExactlyTheRange();

private:
    static void addSettings(bool savedOnly);
};

void tst_SettingRanges::addSettings(bool savedOnly)
{
    QTest::addColumn<const Setting *>("setting");
    for (const Setting *setting : SettingsTable::All) {
        if (setting->isInteger() && (!savedOnly || setting->settingsKey))
            QTest::newRow(setting->flag) << setting;
    }
}

void tst_SettingRanges::theCommandLineTakesExactlyTheRange_data()
{
    addSettings(false);
}

void tst_SettingRanges::theCommandLineTakesExactlyTheRange()
{
    QFETCH(const Setting *, setting);
    const QString flag = u"--"_qs + setting->name();
    const SettingRange &range = setting->range;
    for (const qint64 value : {range.minimum, range.maximum}) {
        const CommandLine line = parseCommandLine({u"herald"_qs, flag, QString::number(value)});
        QVERIFY2(line.action == CommandLine::Action::Run, qPrintable(line.error));
    }
    for (const qint64 value : {range.minimum - 1, range.maximum + 1}) {
        const CommandLine line = parseCommandLine({u"herald"_qs, flag, QString::number(value)});
        QCOMPARE(line.action, CommandLine::Action::Fail);
        QVERIFY2(line.error.contains(flag) && line.error.contains(QString::number(range.maximum)),
                 qPrintable(line.error));
    }
}

void tst_SettingRanges::savedSettingsOutOfRangeFallBackToTheDefault_data()
{
    addSettings(true);
}

void tst_SettingRanges::savedSettingsOutOfRangeFallBackToTheDefault()
{
    QFETCH(const Setting *, setting);
    const SettingRange &range = setting->range;
    QTemporaryDir dir;
    const QString key = QLatin1String(setting->settingsKey);
    // What a saved value loads as, seen by saving it again.
    const auto roundTrip = [&](const QVariant &saved) {
        QSettings store(dir.filePath(u"in.ini"_qs), QSettings::IniFormat);
        store.clear();
        if (saved.isValid())
            store.setValue(key, saved);
        QSettings out(dir.filePath(u"out.ini"_qs), QSettings::IniFormat);
        out.clear();
        HeraldSettings::load(store).save(out);
        return out.value(key).toLongLong();
    };
    const qint64 byDefault = roundTrip(QVariant());
    QCOMPARE(roundTrip(range.savedMinimum()), range.savedMinimum());
    QCOMPARE(roundTrip(range.savedMaximum()), range.savedMaximum());
    QCOMPARE(roundTrip(range.savedMinimum() - 1), byDefault);
    QCOMPARE(roundTrip(range.savedMaximum() + 1), byDefault);
    QCOMPARE(roundTrip(u"lots"_qs), byDefault);
}

void tst_SettingRanges::theDialogOffersExactlyTheRange_data()
{
    addSettings(true);
}

void tst_SettingRanges::theDialogOffersExactlyTheRange()
{
    QFETCH(const Setting *, setting);
    SettingsDialog dialog{HeraldSettings()};
    auto *field = dialog.findChild<QSpinBox *>(setting->name());
    QVERIFY2(field, setting->flag);
    QCOMPARE(field->minimum(), setting->range.savedMinimum());
    QCOMPARE(field->maximum(), setting->range.savedMaximum());
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    tst_SettingRanges test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_settingranges.moc"
