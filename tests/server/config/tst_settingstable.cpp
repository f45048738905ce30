#include "settingstable.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <algorithm>

/// The settings table as a whole: each setting is one row, and each row says when a new value
/// applies, as the README documents it.
class tst_SettingsTable : public QObject
{
    Q_OBJECT

private slots:
    void eachFlagAndKeyBelongsToOneRow();
    void eachRowCanBeReadFromWhereItComes();
    void helpShowsEachDefault();
    void eachRowCopiesItsValueExactly();
    void theDocumentedSettingsRestartTheService_data();
    void theDocumentedSettingsRestartTheService();
    void aChangeRestartsTheServiceOnlyWhenItMust();
    void aRunningServiceTakesWhatDoesNotRestartIt();
};

namespace {

/// A row's name in test output: its flag, or its key when it has no flag.
const char *nameOf(const Setting &setting)
{
    return setting.flag ? setting.flag : setting.settingsKey;
}

/// A configuration with every setting of the table away from its default.
ServiceConfig everySettingChanged()
{
    ServiceConfig config;
    config.port = 65535;
    config.bindAddress = QHostAddress(u"::1"_qs);
    config.tlsCertificateFile = u"/etc/herald/cert.pem"_qs;
    config.tlsKeyFile = u"/etc/herald/key.pem"_qs;
    config.tlsPort = 9443;
    config.tlsOnly = true;
    config.token = u"t0ken"_qs;
    config.readToken = u"reader"_qs;
    config.history.maxEvents = 7;
    config.history.maxBytes = (qint64(1) << 36) - 1; // past 32 bits, and not a whole KiB
    config.pageHistory = 3;
    config.durability = Durability::Disk;
    config.heartbeatSeconds = 5;
    config.retryMilliseconds = 250;
    config.dataDirectory = u"/elsewhere"_qs;
    config.corsOrigin = QString();
    config.maxBodyBytes = 4097;
    config.maxBatchLines = 25;
    config.attachmentMaxBytes = 5000;
    config.attachmentTotalBytes = 70000;
    config.attachmentExpirySeconds = 600;
    config.streamBufferBytes = 2048;
    config.streamThreads = 3;
    config.maxStreams = 50;
    config.requestTimeoutSeconds = 4;
    config.maxTopics = 3;
    config.privateStreams = true;
    config.trustedOrigins = QStringList{u"https://a.example"_qs, u"http://b.example:8000"_qs};
    config.hostNames = QStringList{u"herald.lan"_qs};
    config.clusterUrl = u"redis://127.0.0.1:6390/2"_qs;
    config.clusterPassword = "p@ss word";
    config.clusterPrefix = u"site-b"_qs;
    config.trustedProxies = {QHostAddress(u"10.0.0.1"_qs), QHostAddress(u"fd00::1"_qs)};
    return config;
}

} // namespace

void tst_SettingsTable::eachFlagAndKeyBelongsToOneRow()
{
    QSet<QString> flags;
    QSet<QString> keys;
    for (const Setting *setting : SettingsTable::All) {
        QVERIFY2(setting->flag || setting->settingsKey, "a row with neither a flag nor a key sets nothing");
        if (setting->flag) {
            QVERIFY2(!flags.contains(setting->name()), setting->flag);
            flags.insert(setting->name());
        }
        if (setting->settingsKey) {
            const QString key = QLatin1String(setting->settingsKey);
            QVERIFY2(!keys.contains(key), setting->settingsKey);
            keys.insert(key);
        }
    }
    QCOMPARE(SettingsTable::flags().size(), flags.size());
}

void tst_SettingsTable::eachRowCanBeReadFromWhereItComes()
{
    for (const Setting *setting : SettingsTable::All) {
        if (!setting->inServiceConfig())
            continue; // --headless
        QVERIFY2(setting->get && setting->set && setting->same, nameOf(*setting));
        if (setting->flag)
            QVERIFY2(setting->kind->fromFlag, nameOf(*setting));
        if (setting->settingsKey)
            QVERIFY2(setting->kind->toSaved && setting->kind->fromSaved, nameOf(*setting));
        if (setting->isInteger())
            QVERIFY2(setting->range.minimum < setting->range.maximum, nameOf(*setting));
    }
}

void tst_SettingsTable::helpShowsEachDefault()
{
    // "(default )" or "(default ;" would be a default the row could not show.
    static const QRegularExpression emptyDefault(QStringLiteral("default:? *[;,.)]"));
    for (const Setting *setting : SettingsTable::All) {
        if (!setting->flag)
            continue;
        const QString help = setting->helpText();
        QVERIFY2(!help.isEmpty() && !help.contains(u'%') && !emptyDefault.match(help).hasMatch(), qPrintable(help));
    }
}

void tst_SettingsTable::eachRowCopiesItsValueExactly()
{
    // The command line's merge over saved settings and takeLiveSettings() copy through the rows.
    const ServiceConfig changed = everySettingChanged();
    for (const Setting *setting : SettingsTable::All) {
        if (!setting->inServiceConfig())
            continue;
        QVERIFY2(!setting->same(ServiceConfig(), changed), nameOf(*setting));
        ServiceConfig copy;
        setting->copy(changed, copy);
        QVERIFY2(setting->same(changed, copy), nameOf(*setting));
    }
}

void tst_SettingsTable::theDocumentedSettingsRestartTheService_data()
{
    // The README: a new port, address, certificate, durability, Redis URL, password or key prefix
    // restarts the service, and so do private mode and a new reader token while private, whose
    // links change.
    // The data folder, the stream threads and the trusted proxies come from the command line only,
    // and stay as the service was started.
    const QStringList restart{
        u"port"_qs,     u"bind"_qs,           u"tls-cert"_qs,     u"tls-key"_qs,          u"tls-port"_qs,
        u"tls-only"_qs, u"durability"_qs,     u"cluster"_qs,      u"cluster/password"_qs, u"cluster-prefix"_qs,
        u"data-dir"_qs, u"stream-threads"_qs, u"trusted-proxy"_qs};
    const QStringList restartWhilePrivate{u"private"_qs, u"read-token"_qs};
    QTest::addColumn<const Setting *>("setting");
    QTest::addColumn<Applies>("applies");
    for (const Setting *setting : SettingsTable::All) {
        if (!setting->inServiceConfig())
            continue;
        const QString name = QLatin1String(nameOf(*setting));
        const Applies applies = restart.contains(name) ? Applies::Restart
            : restartWhilePrivate.contains(name)       ? Applies::RestartWhilePrivate
                                                       : Applies::Live;
        QTest::newRow(nameOf(*setting)) << setting << applies;
    }
}

void tst_SettingsTable::theDocumentedSettingsRestartTheService()
{
    QFETCH(const Setting *, setting);
    QFETCH(Applies, applies);
    QCOMPARE(setting->applies, applies);
}

void tst_SettingsTable::aChangeRestartsTheServiceOnlyWhenItMust()
{
    const auto restarts = [](const ServiceConfig &now, const ServiceConfig &next) {
        return std::any_of(std::cbegin(SettingsTable::All), std::cend(SettingsTable::All),
                           [&](const Setting *setting) { return setting->restartsService(now, next); });
    };
    const ServiceConfig now;
    QVERIFY(!restarts(now, now));
    ServiceConfig next;
    next.port = 9191;
    QVERIFY(restarts(now, next));
    next = now;
    next.clusterPassword = "s3cret";
    QVERIFY(restarts(now, next));
    next = now;
    next.heartbeatSeconds = 5;
    next.history.maxBytes = 4096;
    next.token = u"t0ken"_qs;
    next.trustedOrigins = QStringList{u"https://a.example"_qs};
    QVERIFY(!restarts(now, next));

    // The reader token is in the links only while private.
    next = now;
    next.readToken = u"reader"_qs;
    QVERIFY(!restarts(now, next));
    ServiceConfig privateNow;
    privateNow.token = u"t0ken"_qs;
    privateNow.privateStreams = true;
    privateNow.readToken = u"reader"_qs;
    next = privateNow;
    next.readToken = u"another reader"_qs;
    QVERIFY(restarts(privateNow, next));
    next = privateNow;
    next.privateStreams = false;
    QVERIFY(restarts(privateNow, next));
    QVERIFY(restarts(next, privateNow));
}

void tst_SettingsTable::aRunningServiceTakesWhatDoesNotRestartIt()
{
    const ServiceConfig next = everySettingChanged();
    ServiceConfig running;
    running.takeLiveSettings(next);
    QCOMPARE(running.token, next.token);
    QCOMPARE(running.readToken, next.readToken);
    QCOMPARE(running.history.maxEvents, next.history.maxEvents);
    QCOMPARE(running.history.maxBytes, next.history.maxBytes);
    QCOMPARE(running.pageHistory, next.pageHistory);
    QCOMPARE(running.heartbeatSeconds, next.heartbeatSeconds);
    QCOMPARE(running.retryMilliseconds, next.retryMilliseconds);
    QCOMPARE(running.corsOrigin, next.corsOrigin);
    QCOMPARE(running.maxBodyBytes, next.maxBodyBytes);
    QCOMPARE(running.maxBatchLines, next.maxBatchLines);
    QCOMPARE(running.attachmentMaxBytes, next.attachmentMaxBytes);
    QCOMPARE(running.attachmentTotalBytes, next.attachmentTotalBytes);
    QCOMPARE(running.attachmentExpirySeconds, next.attachmentExpirySeconds);
    QCOMPARE(running.streamBufferBytes, next.streamBufferBytes);
    QCOMPARE(running.maxStreams, next.maxStreams);
    QCOMPARE(running.requestTimeoutSeconds, next.requestTimeoutSeconds);
    QCOMPARE(running.maxTopics, next.maxTopics);
    QCOMPARE(running.privateStreams, next.privateStreams);
    QCOMPARE(running.trustedOrigins, next.trustedOrigins);
    QCOMPARE(running.hostNames, next.hostNames);
    // As it was started.
    const ServiceConfig started;
    QCOMPARE(running.port, started.port);
    QCOMPARE(running.bindAddress, started.bindAddress);
    QCOMPARE(running.durability, started.durability);
    QCOMPARE(running.dataDirectory, started.dataDirectory);
    QCOMPARE(running.streamThreads, started.streamThreads);
    QCOMPARE(running.clusterUrl, started.clusterUrl);
    QCOMPARE(running.clusterPassword, started.clusterPassword);
    QCOMPARE(running.clusterPrefix, started.clusterPrefix);
    QCOMPARE(running.trustedProxies, started.trustedProxies);
}

QTEST_APPLESS_MAIN(tst_SettingsTable)
#include "tst_settingstable.moc"
