#include "requestfields.h"

#include "eventstreamencoder.h"

QUrlQuery formQuery(const QString &encodedQuery)
{
    QString query = encodedQuery;
    query.replace(u'+', QLatin1String("%20"));
    return QUrlQuery(query);
}

QString formQueryValue(const QUrlQuery &query, const QString &key)
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

QString labelError(const QString &name, const QString &value)
{
    if (value.size() > MaxLabelLength)
        return QStringLiteral("%1 is longer than %2 characters").arg(name).arg(MaxLabelLength);
    if (!EventStreamEncoder::isValidFieldValue(value))
        return QStringLiteral("%1 must not contain CR, LF or NUL").arg(name);
    return {};
}
