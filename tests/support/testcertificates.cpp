#include "testcertificates.h"

#include <QFile>
#include <QProcess>

namespace {

QString opensslTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMddHHmmss")) + u'Z';
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

TestCertificates::TestCertificates()
{
    // "openssl ca" is the one that takes any validity period, in the past too.
    const QByteArray config = "[ca]\ndefault_ca = test\n"
                              "[test]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n"
                              "default_md = sha256\npolicy = any\ncopy_extensions = copy\nunique_subject = no\n"
                              "[any]\ncommonName = supplied\n";
    if (!m_dir.isValid() || !writeFile(m_dir.filePath(QStringLiteral("ca.cnf")), config)
        || !writeFile(m_dir.filePath(QStringLiteral("index.txt")), QByteArray())
        || !writeFile(m_dir.filePath(QStringLiteral("serial")), "1000\n")) {
        m_error = QStringLiteral("cannot write the authority's files");
        return;
    }
    openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
             QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
             QStringLiteral("-keyout"), QStringLiteral("authority.key"), QStringLiteral("-out"),
             QStringLiteral("authority.crt"), QStringLiteral("-days"), QStringLiteral("3"), QStringLiteral("-subj"),
             QStringLiteral("/CN=Herald Test Authority")});
}

bool TestCertificates::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(60'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1 failed: %2")
                      .arg(arguments.join(u' '), QString::fromLocal8Bit(process.readAll()));
        return false;
    }
    return true;
}

TestCertificates::Issued TestCertificates::issue(const Request &request)
{
    const QString base = QStringLiteral("issued-%1").arg(++m_issued);
    QStringList names;
    for (const QString &name : request.dnsNames)
        names.append(QStringLiteral("DNS:") + name);
    for (const QString &address : request.addresses)
        names.append(QStringLiteral("IP:") + address);
    QStringList key = request.keyType == QLatin1String("rsa")
        ? QStringList{QStringLiteral("-newkey"), QStringLiteral("rsa:2048")}
        : QStringList{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                      QStringLiteral("ec_paramgen_curve:P-256")};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime notBefore = request.notBefore.isValid() ? request.notBefore : now.addSecs(-3600);
    const QDateTime notAfter = request.notAfter.isValid() ? request.notAfter : now.addDays(2);
    Issued issued;
    const bool made
        = openssl(QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-nodes")} + key
                  + QStringList{QStringLiteral("-keyout"), base + QStringLiteral(".key"), QStringLiteral("-out"),
                                base + QStringLiteral(".csr"), QStringLiteral("-subj"),
                                QStringLiteral("/CN=") + request.name, QStringLiteral("-addext"),
                                QStringLiteral("subjectAltName=") + names.join(u',')})
        && openssl({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"), QStringLiteral("ca.cnf"),
                    QStringLiteral("-cert"), QStringLiteral("authority.crt"), QStringLiteral("-keyfile"),
                    QStringLiteral("authority.key"), QStringLiteral("-in"), base + QStringLiteral(".csr"),
                    QStringLiteral("-out"), base + QStringLiteral(".crt"), QStringLiteral("-notext"),
                    QStringLiteral("-startdate"), opensslTime(notBefore), QStringLiteral("-enddate"),
                    opensslTime(notAfter)});
    if (!made)
        return issued;
    issued.certificateFile = m_dir.filePath(base + QStringLiteral(".crt"));
    issued.keyFile = m_dir.filePath(base + QStringLiteral(".key"));
    issued.chainFile = m_dir.filePath(base + QStringLiteral("-chain.crt"));
    writeFile(issued.chainFile, readFile(issued.certificateFile) + authority());
    return issued;
}

QByteArray TestCertificates::authority() const
{
    return readFile(authorityFile());
}
