#include "useragent.h"

#include <QCoreApplication>

namespace {

/// The digits right after "token/", e.g. "120" for "Chrome" in "... Chrome/120.0.6099 ...".
QString majorVersionAfter(const QString &userAgent, QLatin1String token)
{
    qsizetype from = 0;
    while ((from = userAgent.indexOf(token, from)) >= 0) {
        const qsizetype slash = from + token.size();
        const bool wholeWord = from == 0 || !userAgent.at(from - 1).isLetter();
        if (wholeWord && slash < userAgent.size() && userAgent.at(slash) == u'/') {
            qsizetype end = slash + 1;
            while (end < userAgent.size() && userAgent.at(end).isDigit())
                ++end;
            if (end > slash + 1)
                return userAgent.mid(slash + 1, end - slash - 1);
        }
        from = slash;
    }
    return {};
}

QString browserOf(const QString &ua)
{
    struct Rule
    {
        const char *token;
        const char *name;
    };
    // Order matters: Edge and Opera also say Chrome; Chrome also says Safari.
    static const Rule rules[] = {
        {"QtWebEngine", "QtWebEngine"},
        {"Edg", "Edge"},
        {"EdgA", "Edge"},
        {"OPR", "Opera"},
        {"SamsungBrowser", "Samsung Internet"},
        {"Firefox", "Firefox"},
        {"FxiOS", "Firefox"},
        {"CriOS", "Chrome"},
        {"Chrome", "Chrome"},
        {"curl", "curl"},
        {"Wget", "Wget"},
    };
    for (const Rule &rule : rules) {
        const QString version = majorVersionAfter(ua, QLatin1String(rule.token));
        if (!version.isEmpty())
            return QStringLiteral("%1 %2").arg(QLatin1String(rule.name), version);
    }
    if (ua.contains(QLatin1String("Safari/"))) {
        const QString version = majorVersionAfter(ua, QLatin1String("Version"));
        return version.isEmpty() ? QStringLiteral("Safari") : QStringLiteral("Safari %1").arg(version);
    }
    return {};
}

QString systemOf(const QString &ua)
{
    if (ua.contains(QLatin1String("Android")))
        return QStringLiteral("Android");
    if (ua.contains(QLatin1String("iPhone")) || ua.contains(QLatin1String("iPad"))
        || ua.contains(QLatin1String("iPod")))
        return QStringLiteral("iOS");
    if (ua.contains(QLatin1String("CrOS")))
        return QStringLiteral("ChromeOS");
    if (ua.contains(QLatin1String("Windows")))
        return QStringLiteral("Windows");
    if (ua.contains(QLatin1String("Mac OS X")) || ua.contains(QLatin1String("Macintosh")))
        return QStringLiteral("macOS");
    if (ua.contains(QLatin1String("Linux")) || ua.contains(QLatin1String("X11")))
        return QStringLiteral("Linux");
    return {};
}

} // namespace

QString describeUserAgent(const QString &userAgent)
{
    QString ua = userAgent;
    for (QChar &c : ua) {
        if (!c.isPrint() && !c.isSurrogate()) // a pair of surrogates is one printable character
            c = u' ';
    }
    ua = ua.simplified();
    QString description;
    if (const QString browser = browserOf(ua); !browser.isEmpty()) {
        const QString system = systemOf(ua);
        description
            = system.isEmpty() ? browser : QCoreApplication::translate("UserAgent", "%1 on %2").arg(browser, system);
    } else {
        const QString word = ua.section(u' ', 0, 0);
        const QString name = word.section(u'/', 0, 0);
        description = name.isEmpty() ? word : name;
    }
    if (description.isEmpty())
        return QCoreApplication::translate("UserAgent", "Unknown");
    if (description.size() > MaxUserAgentDescription)
        description = description.left(MaxUserAgentDescription - 1) + QChar(0x2026); // …
    return description;
}
