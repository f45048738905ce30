#pragma once

#include <QLocale>

/// Installs Herald's translation for \a locale (English or Simplified Chinese, compiled into
/// the program), and Qt's own where it is installed. Falls back to English. Returns whether a
/// Herald translation was installed.
bool installTranslations(const QLocale &locale = QLocale());
