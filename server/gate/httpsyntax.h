#pragma once

#include <QByteArrayView>

/// The pieces of HTTP/1.1's grammar (RFC 9110, 5.6) that the gate's readers check bytes against.
namespace HttpSyntax {

inline bool isTokenCharacter(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

/// A header's name, a chunk extension's name: one or more token characters.
inline bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenCharacter(c))
            return false;
    }
    return true;
}

/// A visible character, a space, a tab or obs-text: never another control.
inline bool isFieldCharacter(char c)
{
    const uchar u = uchar(c);
    return (u >= 0x20 || u == '\t') && u != 0x7f;
}

/// Field values (and quoted strings) hold field characters only.
inline bool isFieldValue(QByteArrayView text)
{
    for (char c : text) {
        if (!isFieldCharacter(c))
            return false;
    }
    return true;
}

} // namespace HttpSyntax
