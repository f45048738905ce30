#pragma once

#include <QString>

/// A short, human description of a browser from its User-Agent header, such as
/// "Chrome 120 on Android" or "Safari 17 on iOS". Unknown agents give their first word.
QString describeUserAgent(const QString &userAgent);
