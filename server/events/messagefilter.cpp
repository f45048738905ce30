#include "messagefilter.h"

#include "event.h"

#include <algorithm>

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
