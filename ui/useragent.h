#pragma once

#include <QString>

/// The longest description describeUserAgent() gives, in characters.
constexpr qsizetype MaxUserAgentDescription = 60;

/// A short, human description of a browser from its User-Agent header, such as
/// "Chrome 120 on Android" or "Safari 17 on iOS". Unknown agents give their first word. Any
/// client chooses its header, so the description is always one printable line, never empty, and
/// at most MaxUserAgentDescription characters long.
QString describeUserAgent(const QString &userAgent);
