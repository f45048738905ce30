#include "certificateauthority.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;

// What the authority may vouch for: the addresses and names of a LAN, never a public site.
constexpr char PermittedAddresses[] = "permitted;IP:10.0.0.0/255.0.0.0,"
                                      "permitted;IP:172.16.0.0/255.240.0.0,"
                                      "permitted;IP:192.168.0.0/255.255.0.0,"
                                      "permitted;IP:100.64.0.0/255.192.0.0," // carrier-grade NAT, VPNs
                                      "permitted;IP:127.0.0.0/255.0.0.0,"
                                      "permitted;IP:169.254.0.0/255.255.0.0,"
                                      "permitted;IP:fc00::/fe00::,"
                                      "permitted;IP:fe80::/ffc0::,"
                                      "permitted;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
const QStringList PermittedDomains{QStringLiteral("localhost"), QStringLiteral("local"), QStringLiteral("lan"),
                                   QStringLiteral("home.arpa"), QStringLiteral("internal")};

Key noKey()
{
    return Key(nullptr, &EVP_PKEY_free);
}

Certificate noCertificate()
{
    return Certificate(nullptr, &X509_free);
}

Key readKey(const QString &path)
{
    BIO *file = BIO_new_file(QFile::encodeName(path).constData(), "r");
    if (!file)
        return noKey();
    Key key(PEM_read_bio_PrivateKey(file, nullptr, nullptr, nullptr), &EVP_PKEY_free);
    BIO_free(file);
    ERR_clear_error();
    return key;
}

Certificate readCertificate(const QString &path)
{
    BIO *file = BIO_new_file(QFile::encodeName(path).constData(), "r");
    if (!file)
        return noCertificate();
    Certificate certificate(PEM_read_bio_X509(file, nullptr, nullptr, nullptr), &X509_free);
    BIO_free(file);
    ERR_clear_error();
    return certificate;
}

/// Writes \a pem to \a path in one step, readable by its owner only when \a secret.
bool writeFile(const QString &path, const QByteArray &pem, bool secret, QString *errorMessage)
{
    QSaveFile file(path);
    const bool written = file.open(QIODevice::WriteOnly)
        && (!secret || file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        && file.write(pem) == pem.size() && file.commit();
    if (!written)
        *errorMessage = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return written;
}

QByteArray pemOf(EVP_PKEY *key)
{
    BIO *memory = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(memory, key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long length = BIO_get_mem_data(memory, &data);
    QByteArray pem(data, int(length));
    BIO_free(memory);
    return pem;
}

QByteArray pemOf(X509 *certificate)
{
    BIO *memory = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(memory, certificate);
    char *data = nullptr;
    const long length = BIO_get_mem_data(memory, &data);
    QByteArray pem(data, int(length));
    BIO_free(memory);
    return pem;
}

bool addExtension(X509 *certificate, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData());
    if (!extension)
        return false;
    const bool added = X509_add_ext(certificate, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

/// A certificate for \a key named \a commonName, signed by \a issuerKey as \a issuer (itself when
/// null), valid from an hour before \a now for \a days, with \a extensions (nid, value).
Certificate issue(EVP_PKEY *key, const QString &commonName, X509 *issuer, EVP_PKEY *issuerKey, const QDateTime &now,
                  int days, const QList<QPair<int, QByteArray>> &extensions)
{
    Certificate certificate(X509_new(), &X509_free);
    X509_set_version(certificate.get(), 2); // v3
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    BIGNUM *number = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get()));
    BN_free(number);
    time_t start = time_t(now.toSecsSinceEpoch()) - 3600; // clocks of devices differ a little
    X509_time_adj_ex(X509_getm_notBefore(certificate.get()), 0, 0, &start);
    X509_time_adj_ex(X509_getm_notAfter(certificate.get()), days, 3600, &start);
    X509_NAME *name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("Herald"), -1, -1, 0);
    const QByteArray common = commonName.toUtf8().left(64);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(common.constData()),
                               -1, -1, 0);
    X509_set_issuer_name(certificate.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509_set_pubkey(certificate.get(), key);
    for (const auto &[nid, value] : extensions) {
        if (!addExtension(certificate.get(), issuer ? issuer : certificate.get(), nid, value))
            return noCertificate();
    }
    if (X509_sign(certificate.get(), issuerKey, EVP_sha256()) <= 0)
        return noCertificate();
    return certificate;
}

/// The DNS names a name constraint or a subjectAltName can hold (no spaces, commas or colons).
QStringList validNames(const QStringList &names)
{
    QStringList valid;
    for (const QString &name : names) {
        const QString lower = name.trimmed().toLower();
        static const QRegularExpression dnsName(
            QStringLiteral("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"));
        if (!lower.isEmpty() && dnsName.match(lower).hasMatch() && !valid.contains(lower))
            valid.append(lower);
    }
    return valid;
}

/// Whether \a name is within the DNS subtree \a base: the name itself, or a name under it.
bool isWithin(const QString &name, QString base)
{
    if (base.startsWith(u'.'))
        base.remove(0, 1);
    return name == base || name.endsWith(u'.' + base);
}

/// The names and addresses of \a names and \a addresses that \a authority may vouch for: a
/// certificate naming any other would not be trusted at all.
std::pair<QStringList, QList<QHostAddress>> permitted(X509 *authority, const QStringList &names,
                                                      const QList<QHostAddress> &addresses)
{
    auto *constraints
        = static_cast<NAME_CONSTRAINTS *>(X509_get_ext_d2i(authority, NID_name_constraints, nullptr, nullptr));
    if (!constraints)
        return {names, addresses};
    QStringList domains;
    QList<QByteArray> networks; // each an address followed by its mask, in network order
    for (int i = 0; i < sk_GENERAL_SUBTREE_num(constraints->permittedSubtrees); ++i) {
        const GENERAL_NAME *base = sk_GENERAL_SUBTREE_value(constraints->permittedSubtrees, i)->base;
        if (base->type == GEN_DNS) {
            domains.append(QString::fromLatin1(reinterpret_cast<const char *>(ASN1_STRING_get0_data(base->d.dNSName)),
                                               ASN1_STRING_length(base->d.dNSName)));
        } else if (base->type == GEN_IPADD) {
            networks.append(QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(base->d.iPAddress)),
                                       ASN1_STRING_length(base->d.iPAddress)));
        }
    }
    NAME_CONSTRAINTS_free(constraints);
    std::pair<QStringList, QList<QHostAddress>> within;
    for (const QString &name : names) {
        if (std::any_of(domains.cbegin(), domains.cend(), [&](const QString &base) { return isWithin(name, base); }))
            within.first.append(name);
    }
    for (const QHostAddress &address : addresses) {
        QByteArray bytes;
        if (address.protocol() == QAbstractSocket::IPv4Protocol) {
            const quint32 v4 = address.toIPv4Address();
            bytes = QByteArray(1, char(v4 >> 24)) + char(v4 >> 16) + char(v4 >> 8) + char(v4);
        } else {
            const Q_IPV6ADDR v6 = address.toIPv6Address();
            bytes = QByteArray(reinterpret_cast<const char *>(v6.c), 16);
        }
        const bool inside = std::any_of(networks.cbegin(), networks.cend(), [&](const QByteArray &network) {
            if (network.size() != 2 * bytes.size())
                return false;
            for (qsizetype i = 0; i < bytes.size(); ++i) {
                const char mask = network.at(bytes.size() + i);
                if ((bytes.at(i) & mask) != (network.at(i) & mask))
                    return false;
            }
            return true;
        });
        if (inside)
            within.second.append(address);
    }
    return within;
}

QString fingerprintOf(X509 *certificate)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    X509_digest(certificate, EVP_sha256(), digest, &length);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex(':').toUpper());
}

} // namespace

CertificateAuthority::CertificateAuthority(const QString &folder)
    : m_folder(folder)
{}

QString CertificateAuthority::authorityFile() const
{
    return m_folder + QStringLiteral("/herald-ca.crt");
}

QString CertificateAuthority::authorityKeyFile() const
{
    return m_folder + QStringLiteral("/herald-ca.key");
}

QString CertificateAuthority::certificateFile() const
{
    return m_folder + QStringLiteral("/herald.crt");
}

QString CertificateAuthority::keyFile() const
{
    return m_folder + QStringLiteral("/herald.key");
}

QByteArray CertificateAuthority::authorityPem() const
{
    QFile file(authorityFile());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString CertificateAuthority::authorityFingerprint() const
{
    const Certificate authority = readCertificate(authorityFile());
    return authority ? fingerprintOf(authority.get()) : QString();
}

bool CertificateAuthority::needsNewCertificate(const QStringList &names, const QList<QHostAddress> &addresses,
                                               const QDateTime &now) const
{
    const Certificate certificate = readCertificate(certificateFile());
    const Certificate authority = readCertificate(authorityFile());
    const Key key = readKey(keyFile());
    if (!certificate || !authority || !key || X509_check_private_key(certificate.get(), key.get()) != 1)
        return true;
    // What the authority cannot vouch for is never in its certificates, so it is not missing.
    const auto [coveredNames, coveredAddresses] = permitted(authority.get(), validNames(names), addresses);
    // Issued by this authority.
    EVP_PKEY *authorityKey = X509_get0_pubkey(authority.get());
    if (!authorityKey || X509_verify(certificate.get(), authorityKey) != 1)
        return true;
    time_t renewFrom = time_t(now.toSecsSinceEpoch()) + time_t(RenewBeforeDays) * 24 * 3600;
    if (X509_cmp_time(X509_get0_notAfter(certificate.get()), &renewFrom) < 0)
        return true;
    for (const QString &name : coveredNames) {
        const QByteArray host = name.toUtf8();
        if (X509_check_host(certificate.get(), host.constData(), size_t(host.size()), 0, nullptr) != 1)
            return true;
    }
    for (const QHostAddress &address : coveredAddresses) {
        const QByteArray text = address.toString().toLatin1();
        if (X509_check_ip_asc(certificate.get(), text.constData(), 0) != 1)
            return true;
    }
    ERR_clear_error();
    return false;
}

bool CertificateAuthority::ensure(const QStringList &names, const QList<QHostAddress> &addresses, const QDateTime &now,
                                  QString *errorMessage)
{
    if (!QDir().mkpath(m_folder)) {
        *errorMessage = QStringLiteral("cannot make the folder %1").arg(m_folder);
        return false;
    }
    QFile::setPermissions(m_folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QStringList dnsNames = validNames(names);
    const QString commonName = dnsNames.isEmpty() ? QStringLiteral("localhost") : dnsNames.first();

    Key authorityKey = noKey();
    Certificate authority = noCertificate();
    if (QFile::exists(authorityFile()) || QFile::exists(authorityKeyFile())) {
        // Devices trust it: never replaced behind the operator's back.
        authority = readCertificate(authorityFile());
        authorityKey = readKey(authorityKeyFile());
        if (!authority) {
            *errorMessage = QStringLiteral("cannot read Herald's certificate authority from %1; remove it and its key "
                                           "to make a new one, which devices must then trust again")
                                .arg(authorityFile());
            return false;
        }
        if (!authorityKey || X509_check_private_key(authority.get(), authorityKey.get()) != 1) {
            ERR_clear_error();
            *errorMessage = QStringLiteral("cannot read the key of Herald's certificate authority from %1; remove it "
                                           "and %2 to make a new one, which devices must then trust again")
                                .arg(authorityKeyFile(), authorityFile());
            return false;
        }
    } else {
        authorityKey = Key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
        // The LAN's addresses, and the machine's own even where they are not private ones.
        QByteArray constraints = "critical," + QByteArray(PermittedAddresses);
        for (const QHostAddress &address : addresses) {
            const bool v4 = address.protocol() == QAbstractSocket::IPv4Protocol;
            constraints += ",permitted;IP:" + address.toString().toLatin1()
                + (v4 ? "/255.255.255.255" : "/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        }
        for (const QString &domain : PermittedDomains + dnsNames)
            constraints += ",permitted;DNS:" + domain.toUtf8();
        authority = issue(authorityKey.get(), QStringLiteral("Herald on %1").arg(commonName), nullptr,
                          authorityKey.get(), now, AuthorityDays,
                          {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                           {NID_key_usage, "critical,keyCertSign,cRLSign"},
                           {NID_subject_key_identifier, "hash"},
                           {NID_name_constraints, constraints}});
        if (!authority) {
            *errorMessage = QStringLiteral("cannot make a certificate authority: %1")
                                .arg(QString::fromLatin1(ERR_reason_error_string(ERR_get_error())));
            return false;
        }
        if (!writeFile(authorityKeyFile(), pemOf(authorityKey.get()), true, errorMessage)
            || !writeFile(authorityFile(), pemOf(authority.get()), false, errorMessage))
            return false;
    }

    if (!needsNewCertificate(names, addresses, now))
        return true;
    // A name or an address outside the authority's constraints would spoil the whole certificate.
    const auto [coveredNames, coveredAddresses] = permitted(authority.get(), dnsNames, addresses);
    QStringList alternatives;
    for (const QString &name : coveredNames)
        alternatives.append(QStringLiteral("DNS:") + name);
    for (const QHostAddress &address : coveredAddresses)
        alternatives.append(QStringLiteral("IP:") + address.toString());
    if (alternatives.isEmpty())
        alternatives.append(QStringLiteral("DNS:localhost"));
    const Key key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
    const Certificate certificate
        = issue(key.get(), commonName, authority.get(), authorityKey.get(), now, CertificateDays,
                {{NID_basic_constraints, "critical,CA:FALSE"},
                 {NID_key_usage, "critical,digitalSignature"},
                 {NID_ext_key_usage, "serverAuth"},
                 {NID_subject_key_identifier, "hash"},
                 {NID_authority_key_identifier, "keyid:always"},
                 {NID_subject_alt_name, alternatives.join(u',').toUtf8()}});
    if (!certificate) {
        *errorMessage = QStringLiteral("cannot issue a certificate: %1")
                            .arg(QString::fromLatin1(ERR_reason_error_string(ERR_get_error())));
        return false;
    }
    return writeFile(keyFile(), pemOf(key.get()), true, errorMessage)
        && writeFile(certificateFile(), pemOf(certificate.get()), false, errorMessage);
}
