#include "testcertificates.h"
#include "tlscontext.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

/// The operator's certificate files, as the openssl command makes them: what loads, what each
/// bad file says, and what Herald reports of a good one.
class TestTlsContext : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void ecAndRsaCertificatesLoad_data();
    void ecAndRsaCertificatesLoad();
    void aChainFileLoads();
    void theFingerprintIsTheCertificatesSha256();
    void aBadFileIsAnErrorNamingIt_data();
    void aBadFileIsAnErrorNamingIt();

private:
    /// What the openssl command says is the SHA-256 fingerprint of \a certificateFile.
    static QString opensslFingerprint(const QString &certificateFile);

    std::unique_ptr<TestCertificates> m_certificates;
};

void TestTlsContext::initTestCase()
{
    m_certificates = std::make_unique<TestCertificates>();
    QVERIFY2(m_certificates->isValid(), qPrintable(m_certificates->error()));
}

void TestTlsContext::ecAndRsaCertificatesLoad_data()
{
    QTest::addColumn<QString>("keyType");
    QTest::newRow("EC P-256") << QStringLiteral("ec");
    QTest::newRow("RSA 2048") << QStringLiteral("rsa");
}

void TestTlsContext::ecAndRsaCertificatesLoad()
{
    QFETCH(QString, keyType);
    TestCertificates::Request request;
    request.keyType = keyType;
    request.notAfter = QDateTime::currentDateTimeUtc().addDays(30);
    request.notAfter.setTime(QTime(request.notAfter.time().hour(), request.notAfter.time().minute(), 0));
    const TestCertificates::Issued issued = m_certificates->issue(request);
    QVERIFY2(!issued.certificateFile.isEmpty(), qPrintable(m_certificates->error()));

    QString error;
    const auto context = TlsContext::load(issued.certificateFile, issued.keyFile, &error);
    QVERIFY2(context, qPrintable(error));
    QCOMPARE(context->expiresAt(), request.notAfter);
    QCOMPARE(context->certificateFile(), issued.certificateFile);
}

void TestTlsContext::aChainFileLoads()
{
    const TestCertificates::Issued issued = m_certificates->issue();
    QString error;
    const auto context = TlsContext::load(issued.chainFile, issued.keyFile, &error);
    QVERIFY2(context, qPrintable(error));
    // The fingerprint is the server's own certificate's, the first in the chain.
    QCOMPARE(context->fingerprint(), opensslFingerprint(issued.certificateFile));
}

QString TestTlsContext::opensslFingerprint(const QString &certificateFile)
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-fingerprint"),
                   QStringLiteral("-sha256"), QStringLiteral("-in"), certificateFile});
    if (!openssl.waitForFinished(30'000))
        return QString();
    // "sha256 Fingerprint=AB:CD:..."
    const QString output = QString::fromLatin1(openssl.readAllStandardOutput()).trimmed();
    return output.mid(output.indexOf(u'=') + 1);
}

void TestTlsContext::theFingerprintIsTheCertificatesSha256()
{
    const TestCertificates::Issued issued = m_certificates->issue();
    QString error;
    const auto context = TlsContext::load(issued.certificateFile, issued.keyFile, &error);
    QVERIFY2(context, qPrintable(error));
    const QString expected = opensslFingerprint(issued.certificateFile);
    QVERIFY(QRegularExpression(QStringLiteral("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")).match(expected).hasMatch());
    QCOMPARE(context->fingerprint(), expected);
}

void TestTlsContext::aBadFileIsAnErrorNamingIt_data()
{
    QTest::addColumn<QString>("certificateFile");
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<QString>("namedFile");
    QTest::addColumn<QString>("what");

    TestCertificates::Request expired;
    expired.notBefore = QDateTime::currentDateTimeUtc().addDays(-30);
    expired.notAfter = QDateTime::currentDateTimeUtc().addDays(-1);
    TestCertificates::Request notYetValid;
    notYetValid.notBefore = QDateTime::currentDateTimeUtc().addDays(2);
    notYetValid.notAfter = QDateTime::currentDateTimeUtc().addDays(30);
    const TestCertificates::Issued good = m_certificates->issue();
    const TestCertificates::Issued other = m_certificates->issue();
    const TestCertificates::Issued old = m_certificates->issue(expired);
    const TestCertificates::Issued early = m_certificates->issue(notYetValid);
    QVERIFY2(!old.certificateFile.isEmpty() && !early.certificateFile.isEmpty(), qPrintable(m_certificates->error()));
    const QString folder = m_certificates->folder();
    const QString missing = folder + QStringLiteral("/missing.pem");
    const QString garbage = folder + QStringLiteral("/garbage.pem");
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a certificate\n");
    file.close();

    QTest::newRow("missing certificate") << missing << good.keyFile << missing << "cannot read";
    QTest::newRow("missing key") << good.certificateFile << missing << missing << "cannot read";
    QTest::newRow("a folder for a file") << folder << good.keyFile << folder << "cannot read";
    QTest::newRow("not a certificate") << garbage << good.keyFile << garbage << "no PEM certificate";
    QTest::newRow("not a key") << good.certificateFile << garbage << garbage << "no PEM private key";
    QTest::newRow("a certificate for a key")
        << good.certificateFile << good.certificateFile << good.certificateFile << "no PEM private key";
    QTest::newRow("the key of another") << good.certificateFile << other.keyFile << other.keyFile << "does not match";
    QTest::newRow("expired") << old.certificateFile << old.keyFile << old.certificateFile << "expired";
    QTest::newRow("not valid yet") << early.certificateFile << early.keyFile << early.certificateFile
                                   << "not valid before";
}

void TestTlsContext::aBadFileIsAnErrorNamingIt()
{
    QFETCH(QString, certificateFile);
    QFETCH(QString, keyFile);
    QFETCH(QString, namedFile);
    QFETCH(QString, what);
    QString error;
    QVERIFY(!TlsContext::load(certificateFile, keyFile, &error));
    QVERIFY2(error.contains(namedFile), qPrintable(error));
    QVERIFY2(error.contains(what), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestTlsContext)
#include "tst_tlscontext.moc"
