#include "settingstable.h"

#include "redisendpoint.h"

#include <QHostAddress>
#include <QStandardPaths>
#include <QUrl>

namespace {

/// The usual complaint about a flag's value: "\"7x\" is not a port number".
QString isNot(const Setting &setting, const QString &text)
{
    return QStringLiteral("\"%1\" is not %2").arg(text, QLatin1String(setting.valueKind));
}

QVariant integerFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    const QString &text = texts.constLast();
    bool ok = false;
    const qint64 number = text.trimmed().toLongLong(&ok);
    if (ok && number >= setting.range.minimum && number <= setting.range.maximum)
        return number;
    *error = QStringLiteral("%1 (%2 to %3)")
                 .arg(isNot(setting, text), QString::number(setting.range.minimum),
                      QString::number(setting.range.maximum));
    return {};
}

QVariant integerToSaved(const Setting &setting, const QVariant &value)
{
    return value.toLongLong() / setting.range.savedUnit;
}

QVariant integerFromSaved(const Setting &setting, const QVariant &saved)
{
    bool ok = false;
    const qint64 number = saved.toLongLong(&ok);
    if (!ok || !setting.range.acceptsSaved(number))
        return {};
    return number * setting.range.savedUnit;
}

QString integerShown(const Setting &setting, const QVariant &value)
{
    const qint64 number = value.toLongLong();
    // A size saved in KiB is easier to read in MiB as well: "67108864, 64 MiB".
    constexpr qint64 MiB = 1024 * 1024;
    if (setting.range.savedUnit == 1024 && number >= MiB && number % MiB == 0)
        return QStringLiteral("%1, %2 MiB").arg(number).arg(number / MiB);
    return QString::number(number);
}

QVariant switchFromFlag(const Setting &, const QStringList &, QString *)
{
    return true;
}

QVariant savedAsItIs(const Setting &, const QVariant &value)
{
    return value;
}

QVariant switchFromSaved(const Setting &, const QVariant &saved)
{
    return saved.toBool();
}

QString shownAsText(const Setting &, const QVariant &value)
{
    return value.toString();
}

QString shownAsNothing(const Setting &, const QVariant &)
{
    return {};
}

QVariant textFromSaved(const Setting &, const QVariant &saved)
{
    return saved.toString();
}

QVariant nonEmptyTextFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    const QString &text = texts.constLast();
    if (text.trimmed().isEmpty()) {
        *error = QStringLiteral("%1 must not be empty").arg(QLatin1String(setting.valueKind));
        return {};
    }
    return text;
}

QVariant corsOriginFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    const QString origin = texts.constLast().trimmed();
    // It is sent as a header: a line break would let a flag write headers of its own.
    if (origin.isEmpty() || origin.contains(u'\r') || origin.contains(u'\n')) {
        *error = QStringLiteral("give %1").arg(QLatin1String(setting.valueKind));
        return {};
    }
    return origin == QLatin1String("none") ? QString() : origin;
}

QVariant redisUrlFromFlag(const Setting &, const QStringList &texts, QString *error)
{
    const QString &url = texts.constLast();
    RedisEndpoint::fromUrl(url, error);
    if (!error->isEmpty())
        return {};
    return url.trimmed();
}

QVariant keyPrefixFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    const QString prefix = texts.constLast().trimmed();
    if (ServiceConfig::isClusterPrefix(prefix))
        return prefix;
    *error = isNot(setting, prefix);
    return {};
}

QVariant keyPrefixFromSaved(const Setting &, const QVariant &saved)
{
    const QString prefix = saved.toString();
    return ServiceConfig::isClusterPrefix(prefix) ? QVariant(prefix) : QVariant();
}

bool parseBindAddress(const QString &text, QHostAddress *address)
{
    const QString value = text.trimmed().toLower();
    if (value == QLatin1String("all") || value == QLatin1String("any") || value == QLatin1String("*")) {
        *address = QHostAddress::Any;
        return true;
    }
    if (value == QLatin1String("localhost")) {
        *address = QHostAddress::LocalHost;
        return true;
    }
    return address->setAddress(value);
}

QVariant bindAddressFromText(const QString &text)
{
    QHostAddress address;
    return parseBindAddress(text, &address) ? QVariant::fromValue(address) : QVariant();
}

QVariant bindAddressFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    const QVariant address = bindAddressFromText(texts.constLast());
    if (!address.isValid())
        *error = isNot(setting, texts.constLast());
    return address;
}

QVariant bindAddressToSaved(const Setting &, const QVariant &value)
{
    const QHostAddress address = value.value<QHostAddress>();
    if (address == QHostAddress(QHostAddress::Any))
        return QStringLiteral("all");
    if (address == QHostAddress(QHostAddress::LocalHost))
        return QStringLiteral("localhost");
    return address.toString();
}

QVariant bindAddressFromSaved(const Setting &, const QVariant &saved)
{
    return bindAddressFromText(saved.toString());
}

QString bindAddressShown(const Setting &setting, const QVariant &value)
{
    return bindAddressToSaved(setting, value).toString();
}

QVariant durabilityFromText(const QString &text)
{
    const std::optional<Durability> durability = durabilityFromName(text);
    return durability ? QVariant::fromValue(*durability) : QVariant();
}

QVariant durabilityFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    const QVariant durability = durabilityFromText(texts.constLast());
    if (!durability.isValid())
        *error = isNot(setting, texts.constLast());
    return durability;
}

QVariant durabilityToSaved(const Setting &, const QVariant &value)
{
    return durabilityName(value.value<Durability>());
}

QVariant durabilityFromSaved(const Setting &, const QVariant &saved)
{
    return durabilityFromText(saved.toString());
}

QString durabilityShown(const Setting &, const QVariant &value)
{
    return durabilityName(value.value<Durability>());
}

/// Each of a repeatable flag's \a texts, as \a read reads it; invalid at the first it refuses.
template<typename List, typename Read>
QVariant eachOf(const Setting &setting, const QStringList &texts, QString *error, Read read)
{
    List values;
    for (const QString &text : texts) {
        const std::optional<typename List::value_type> value = read(text);
        if (!value) {
            *error = isNot(setting, text);
            return {};
        }
        values.append(*value);
    }
    return QVariant::fromValue(values);
}

QVariant originsFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    return eachOf<QStringList>(setting, texts, error, [](const QString &origin) -> std::optional<QString> {
        const QUrl url(origin.trimmed());
        if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.path().isEmpty())
            return std::nullopt;
        return origin.trimmed();
    });
}

QVariant hostNamesFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    return eachOf<QStringList>(setting, texts, error, [](const QString &name) -> std::optional<QString> {
        if (name.trimmed().isEmpty() || name.contains(u' ') || name.contains(u'/'))
            return std::nullopt;
        return name.trimmed();
    });
}

QVariant addressesFromFlag(const Setting &setting, const QStringList &texts, QString *error)
{
    return eachOf<QList<QHostAddress>>(setting, texts, error, [](const QString &text) -> std::optional<QHostAddress> {
        const QHostAddress address(text.trimmed());
        if (address.isNull())
            return std::nullopt;
        return address;
    });
}

QVariant secretFromSaved(const Setting &, const QVariant &saved)
{
    return saved.toByteArray();
}

} // namespace

namespace SettingKinds {
const SettingKind Integer{&integerFromFlag, &integerToSaved, &integerFromSaved, &integerShown};
const SettingKind Switch{&switchFromFlag, &savedAsItIs, &switchFromSaved, &shownAsNothing};
const SettingKind NonEmptyText{&nonEmptyTextFromFlag, &savedAsItIs, &textFromSaved, &shownAsText};
const SettingKind CorsOrigin{&corsOriginFromFlag, &savedAsItIs, &textFromSaved, &shownAsText};
const SettingKind RedisUrl{&redisUrlFromFlag, &savedAsItIs, &textFromSaved, &shownAsText};
const SettingKind KeyPrefix{&keyPrefixFromFlag, &savedAsItIs, &keyPrefixFromSaved, &shownAsText};
const SettingKind BindAddress{&bindAddressFromFlag, &bindAddressToSaved, &bindAddressFromSaved, &bindAddressShown};
const SettingKind DurabilityMode{&durabilityFromFlag, &durabilityToSaved, &durabilityFromSaved, &durabilityShown};
const SettingKind Origins{&originsFromFlag, nullptr, nullptr, &shownAsNothing};
const SettingKind HostNames{&hostNamesFromFlag, nullptr, nullptr, &shownAsNothing};
const SettingKind Addresses{&addressesFromFlag, nullptr, nullptr, &shownAsNothing};
const SettingKind Secret{nullptr, &savedAsItIs, &secretFromSaved, &shownAsNothing};
} // namespace SettingKinds

QString Setting::helpText() const
{
    QString text = QLatin1String(help);
    if (text.contains(QLatin1String("%1")))
        text = text.arg(fallback ? fallback() : kind->shown(*this, get(ServiceConfig())));
    if (environmentVariable)
        text += QStringLiteral(" Also read from %1.").arg(QLatin1String(environmentVariable));
    return text;
}

void Setting::load(const QVariant &saved, ServiceConfig &config) const
{
    if (!saved.isValid())
        return; // not in the file
    const QVariant value = kind->fromSaved(*this, saved);
    if (value.isValid())
        set(config, value);
}

bool Setting::restartsService(const ServiceConfig &now, const ServiceConfig &next) const
{
    if (!inServiceConfig() || applies == Applies::Live || same(now, next))
        return false;
    return applies == Applies::Restart || now.privateStreams || next.privateStreams;
}

QString defaultDataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QStringList SettingsTable::flags()
{
    QStringList flags;
    for (const Setting *setting : All) {
        if (setting->flag)
            flags.append(QLatin1String("--") + setting->name());
    }
    return flags;
}
