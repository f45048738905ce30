#include "textrules.h"

#include <QRandomGenerator>

#include <algorithm>

qsizetype characterCount(QStringView text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!(text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()))
            ++count;
    }
    return count;
}

bool hasControlCharacter(QStringView text)
{
    return std::any_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

bool hasDirectionControl(QStringView text)
{
    return std::any_of(text.begin(), text.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return u == 0x200e || u == 0x200f || u == 0x061c || (u >= 0x202a && u <= 0x202e)
            || (u >= 0x2066 && u <= 0x2069);
    });
}

QString randomLettersAndDigits(qsizetype length)
{
    static const char Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id(length, Qt::Uninitialized);
    for (QChar &c : id)
        c = QLatin1Char(Alphabet[QRandomGenerator::system()->bounded(int(sizeof Alphabet - 1))]);
    return id;
}
