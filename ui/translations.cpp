#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

bool installTranslations(const QLocale &locale)
{
    QCoreApplication *app = QCoreApplication::instance();
    auto *herald = new QTranslator(app);
    const bool loaded = herald->load(locale, QStringLiteral("herald"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || herald->load(QStringLiteral("herald_en"), QStringLiteral(":/i18n"));
    if (loaded)
        QCoreApplication::installTranslator(herald);
    else
        delete herald;

    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return loaded;
}
