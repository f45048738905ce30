#pragma once

#include <QString>

// Rules about text that a message's fields and its file's name share, and ids no one can guess.

/// Characters, as a reader counts them: a pair of UTF-16 surrogates is one.
qsizetype characterCount(QStringView text);
/// Whether \a text holds a control character (below U+0020, or U+007F).
bool hasControlCharacter(QStringView text);
/// Whether \a text holds a mark or override of writing direction (U+202E and its kind), with which
/// "gpj.exe" reads as "exe.jpg".
bool hasDirectionControl(QStringView text);
/// \a length letters and digits drawn from the system's source of randomness.
QString randomLettersAndDigits(qsizetype length);
