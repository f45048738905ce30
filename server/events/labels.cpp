#include "labels.h"

#include "eventstreamencoder.h"

QString labelError(const QString &name, const QString &value)
{
    if (value.size() > MaxLabelLength)
        return QStringLiteral("%1 is longer than %2 characters").arg(name).arg(MaxLabelLength);
    if (!EventStreamEncoder::isValidFieldValue(value))
        return QStringLiteral("%1 must not contain CR, LF or NUL").arg(name);
    return {};
}
