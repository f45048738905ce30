#include "requestfields.h"

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
