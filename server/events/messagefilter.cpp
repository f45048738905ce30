#include "messagefilter.h"

#include "event.h"

#include <algorithm>

bool streamSees(const Event &event, const QString &clientId, const QStringList &topics, StreamFormat format,
                const MessageFilter *filter)
{
    return event.isVisibleTo(clientId, topics, format) && (!filter || filter->matches(event));
}

bool MessageFilter::matches(const Event &event) const
{
    const MessageFields &fields = event.fields;
    if (!priorities.isEmpty() && !priorities.contains(fields.priority))
        return false;
    if (!std::all_of(tags.cbegin(), tags.cend(), [&fields](const QString &tag) { return fields.tags.contains(tag); }))
        return false;
    if (!title.isNull() && fields.title != title)
        return false;
    return message.isNull() || Event::textOf(event.data()) == message;
}
