#include "publishrequest.h"

#include "labels.h"

QString PublishRequest::validationError() const
{
    if (data.isEmpty())
        return QStringLiteral("no data: an event needs some text");
    for (const auto &[name, value] :
         {std::pair{QStringLiteral("event"), type}, std::pair{QStringLiteral("topic"), topic},
          std::pair{QStringLiteral("to"), target}}) {
        const QString error = labelError(name, value);
        if (!error.isEmpty())
            return error;
    }
    if (type.startsWith(QLatin1String("herald-")))
        return QStringLiteral("event types starting with \"herald-\" are reserved for Herald");
    if (topic.contains(u','))
        return QStringLiteral("topic must not contain a comma");
    return fields.validationError();
}
