#include "certificateauthority.h"
#include "tlscontext.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

/// Herald's own certificate authority (--tls-cert auto), checked with the openssl command, as a
/// device checks what it is served: the chain, the names, the constraints, renewal, the files.
class TestCertificateAuthority : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void itIssuesACertificateDevicesCanVerify();
    void theKeysAreTheOwnersOnly();
    void aCertificateThatStillCoversIsKept();
    void aNewAddressGetsANewCertificateFromTheSameAuthority();
    void theCertificateIsRenewedBeforeItExpires();
    void theAuthorityCannotVouchForOtherSites();
    void anUnreadableAuthorityIsAnErrorAndIsKept();
    void aPublicAddressCountsOnlyWhenTheAuthorityWasMadeWithIt();

private:
    /// Runs openssl with \a arguments in the authority's folder; its output, and whether it succeeded.
    static bool openssl(const QStringList &arguments, const QString &folder, QByteArray *output = nullptr);
    static QByteArray contents(const QString &path);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_folder;
    const QStringList m_names{u"herald-box"_s, u"herald.lan"_s, u"localhost"_s};
    const QList<QHostAddress> m_addresses{QHostAddress(u"127.0.0.1"_s), QHostAddress(u"192.168.1.20"_s),
                                          QHostAddress(u"::1"_s)};
    const QDateTime m_now = QDateTime::currentDateTimeUtc();
};

void TestCertificateAuthority::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_folder = m_dir->filePath(u"tls"_s);
}

bool TestCertificateAuthority::openssl(const QStringList &arguments, const QString &folder, QByteArray *output)
{
    QProcess process;
    process.setWorkingDirectory(folder);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(u"openssl"_s, arguments);
    const bool finished = process.waitForFinished(30'000);
    if (output)
        *output = process.readAll();
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

QByteArray TestCertificateAuthority::contents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestCertificateAuthority::itIssuesACertificateDevicesCanVerify()
{
    CertificateAuthority authority(m_folder);
    QString error;
    QVERIFY2(authority.ensure(m_names, m_addresses, m_now, &error), qPrintable(error));

    QByteArray output;
    QVERIFY2(
        openssl({u"verify"_s, u"-CAfile"_s, authority.authorityFile(), authority.certificateFile()}, m_folder, &output),
        output.constData());
    QVERIFY(openssl({u"x509"_s, u"-in"_s, authority.certificateFile(), u"-noout"_s, u"-ext"_s,
                     u"subjectAltName,basicConstraints,extendedKeyUsage"_s},
                    m_folder, &output));
    for (const QByteArray &expected : {QByteArray("DNS:herald-box"), QByteArray("DNS:herald.lan"),
                                       QByteArray("DNS:localhost"), QByteArray("IP Address:127.0.0.1"),
                                       QByteArray("IP Address:192.168.1.20"), QByteArray("IP Address:0:0:0:0:0:0:0:1"),
                                       QByteArray("CA:FALSE"), QByteArray("TLS Web Server Authentication")})
        QVERIFY2(output.contains(expected), output.constData());
    QVERIFY(openssl({u"x509"_s, u"-in"_s, authority.authorityFile(), u"-noout"_s, u"-ext"_s, u"basicConstraints"_s},
                    m_folder, &output));
    QVERIFY2(output.contains("CA:TRUE"), output.constData());

    // Herald serves it, and the fingerprint it shows is the authority's as openssl sees it.
    const auto context = TlsContext::load(authority.certificateFile(), authority.keyFile(), &error);
    QVERIFY2(context, qPrintable(error));
    QVERIFY(context->expiresAt() > m_now.addDays(CertificateAuthority::CertificateDays - 1));
    QVERIFY(openssl({u"x509"_s, u"-in"_s, authority.authorityFile(), u"-noout"_s, u"-fingerprint"_s, u"-sha256"_s},
                    m_folder, &output));
    QCOMPARE(QString::fromLatin1(output.trimmed().mid(output.indexOf('=') + 1)), authority.authorityFingerprint());
    QCOMPARE(authority.authorityPem(), contents(authority.authorityFile()));
    QVERIFY(authority.authorityPem().startsWith("-----BEGIN CERTIFICATE-----"));
}

void TestCertificateAuthority::theKeysAreTheOwnersOnly()
{
    CertificateAuthority authority(m_folder);
    QString error;
    QVERIFY2(authority.ensure(m_names, m_addresses, m_now, &error), qPrintable(error));
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    for (const QString &key : {authority.authorityKeyFile(), authority.keyFile()}) {
        const auto permissions = QFile::permissions(key) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser);
        QCOMPARE(permissions, ownerOnly);
    }
    QVERIFY(!(QFile::permissions(m_folder) & (QFileDevice::ReadOther | QFileDevice::ReadGroup)));
}

void TestCertificateAuthority::aCertificateThatStillCoversIsKept()
{
    CertificateAuthority authority(m_folder);
    QString error;
    QVERIFY2(authority.ensure(m_names, m_addresses, m_now, &error), qPrintable(error));
    const QByteArray certificate = contents(authority.certificateFile());
    QVERIFY(!authority.needsNewCertificate(m_names, m_addresses, m_now.addDays(10)));
    // Fewer names are covered too.
    QVERIFY(authority.ensure(m_names.mid(1), m_addresses.mid(1), m_now.addDays(10), &error));
    QCOMPARE(contents(authority.certificateFile()), certificate);
}

void TestCertificateAuthority::aNewAddressGetsANewCertificateFromTheSameAuthority()
{
    CertificateAuthority authority(m_folder);
    QString error;
    QVERIFY2(authority.ensure(m_names, m_addresses, m_now, &error), qPrintable(error));
    const QByteArray certificate = contents(authority.certificateFile());
    const QByteArray authorityPem = authority.authorityPem();
    const QList<QHostAddress> moved = m_addresses + QList<QHostAddress>{QHostAddress(u"10.0.0.5"_s)};
    QVERIFY(authority.needsNewCertificate(m_names, moved, m_now));
    QVERIFY(authority.ensure(m_names, moved, m_now, &error));
    QVERIFY(contents(authority.certificateFile()) != certificate);
    QCOMPARE(authority.authorityPem(), authorityPem);
    QByteArray output;
    QVERIFY(openssl({u"x509"_s, u"-in"_s, authority.certificateFile(), u"-noout"_s, u"-ext"_s, u"subjectAltName"_s},
                    m_folder, &output));
    QVERIFY2(output.contains("IP Address:10.0.0.5"), output.constData());
    QVERIFY(openssl({u"verify"_s, u"-CAfile"_s, authority.authorityFile(), authority.certificateFile()}, m_folder));
    // A new name too.
    QVERIFY(authority.needsNewCertificate(m_names + QStringList{u"kiosk.local"_s}, moved, m_now));
}

void TestCertificateAuthority::theCertificateIsRenewedBeforeItExpires()
{
    CertificateAuthority authority(m_folder);
    QString error;
    QVERIFY2(authority.ensure(m_names, m_addresses, m_now, &error), qPrintable(error));
    const QByteArray certificate = contents(authority.certificateFile());
    const int left = CertificateAuthority::CertificateDays - CertificateAuthority::RenewBeforeDays;
    QVERIFY(!authority.needsNewCertificate(m_names, m_addresses, m_now.addDays(left - 2)));
    QVERIFY(authority.needsNewCertificate(m_names, m_addresses, m_now.addDays(left + 1)));
    QVERIFY(authority.ensure(m_names, m_addresses, m_now.addDays(left + 1), &error));
    QVERIFY(contents(authority.certificateFile()) != certificate);
    QVERIFY(!authority.needsNewCertificate(m_names, m_addresses, m_now.addDays(left + 1)));
}

void TestCertificateAuthority::theAuthorityCannotVouchForOtherSites()
{
    CertificateAuthority authority(m_folder);
    QString error;
    QVERIFY2(authority.ensure(m_names, m_addresses, m_now, &error), qPrintable(error));
    // Whoever copies the authority's key and signs a certificate for a public site with it does
    // not fool a device that checks the constraints, as browsers do.
    const struct
    {
        QString name, alternative;
    } sites[] = {{u"example.com"_s, u"DNS:example.com"_s}, {u"public address"_s, u"IP:8.8.8.8"_s}};
    for (const auto &site : sites) {
        QVERIFY(openssl({u"req"_s, u"-new"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s,
                         u"-nodes"_s, u"-keyout"_s, u"forged.key"_s, u"-out"_s, u"forged.csr"_s, u"-subj"_s,
                         u"/CN=forged"_s, u"-addext"_s, u"subjectAltName="_s + site.alternative},
                        m_folder));
        QFile extensions(m_folder + u"/forged.ext"_s);
        QVERIFY(extensions.open(QIODevice::WriteOnly));
        extensions.write("subjectAltName=" + site.alternative.toUtf8() + "\n");
        extensions.close();
        QVERIFY(openssl({u"x509"_s, u"-req"_s, u"-in"_s, u"forged.csr"_s, u"-CA"_s, authority.authorityFile(),
                         u"-CAkey"_s, authority.authorityKeyFile(), u"-CAcreateserial"_s, u"-out"_s, u"forged.crt"_s,
                         u"-days"_s, u"2"_s, u"-extfile"_s, u"forged.ext"_s},
                        m_folder));
        QByteArray output;
        QVERIFY2(!openssl({u"verify"_s, u"-CAfile"_s, authority.authorityFile(), u"forged.crt"_s}, m_folder, &output),
                 qPrintable(site.name));
        QVERIFY2(output.contains("subtree violation"), output.constData());
    }
}

void TestCertificateAuthority::anUnreadableAuthorityIsAnErrorAndIsKept()
{
    CertificateAuthority authority(m_folder);
    QString error;
    QVERIFY2(authority.ensure(m_names, m_addresses, m_now, &error), qPrintable(error));
    QFile file(authority.authorityKeyFile());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("damaged\n");
    file.close();
    QVERIFY(!authority.ensure(m_names, m_addresses, m_now, &error));
    QVERIFY2(error.contains(authority.authorityKeyFile()), qPrintable(error));
    QCOMPARE(contents(authority.authorityKeyFile()), QByteArray("damaged\n"));
    // The authority's certificate, missing: the same.
    QVERIFY(QFile::remove(authority.authorityFile()));
    QVERIFY(!authority.ensure(m_names, m_addresses, m_now, &error));
    QVERIFY2(error.contains(authority.authorityFile()), qPrintable(error));
    QVERIFY(!QFile::exists(authority.authorityFile()));
}

void TestCertificateAuthority::aPublicAddressCountsOnlyWhenTheAuthorityWasMadeWithIt()
{
    // Some LANs use public addresses: the machine's own when the authority is made are covered.
    CertificateAuthority authority(m_folder);
    QString error;
    const QList<QHostAddress> atFirst = m_addresses + QList<QHostAddress>{QHostAddress(u"203.0.113.7"_s)};
    QVERIFY2(authority.ensure(m_names, atFirst, m_now, &error), qPrintable(error));
    QByteArray output;
    QVERIFY2(
        openssl({u"verify"_s, u"-CAfile"_s, authority.authorityFile(), authority.certificateFile()}, m_folder, &output),
        output.constData());
    QVERIFY(openssl({u"x509"_s, u"-in"_s, authority.certificateFile(), u"-noout"_s, u"-ext"_s, u"subjectAltName"_s},
                    m_folder, &output));
    QVERIFY2(output.contains("IP Address:203.0.113.7"), output.constData());

    // One that comes later cannot be: it is left out, so that the rest stays trusted, and its
    // absence does not have the certificate issued again and again.
    const QList<QHostAddress> later = atFirst + QList<QHostAddress>{QHostAddress(u"198.51.100.9"_s)};
    QVERIFY(!authority.needsNewCertificate(m_names, later, m_now));
    const QList<QHostAddress> moved = later + QList<QHostAddress>{QHostAddress(u"192.168.7.7"_s)};
    QVERIFY(authority.needsNewCertificate(m_names, moved, m_now));
    QVERIFY(authority.ensure(m_names, moved, m_now, &error));
    QVERIFY(openssl({u"verify"_s, u"-CAfile"_s, authority.authorityFile(), authority.certificateFile()}, m_folder));
    QVERIFY(openssl({u"x509"_s, u"-in"_s, authority.certificateFile(), u"-noout"_s, u"-ext"_s, u"subjectAltName"_s},
                    m_folder, &output));
    QVERIFY2(output.contains("IP Address:192.168.7.7") && !output.contains("198.51.100.9"), output.constData());
    QVERIFY(!authority.needsNewCertificate(m_names, moved, m_now));
}

QTEST_GUILESS_MAIN(TestCertificateAuthority)
#include "tst_certificateauthority.moc"
