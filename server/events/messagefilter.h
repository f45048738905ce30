#pragma once

#include "streamformat.h"

#include <QList>
#include <QString>
#include <QStringList>

class Event;

/// The filters an ntfy subscriber may give (docs.ntfy.sh, "Filter messages"): a message passes
/// when its priority is one of \a priorities, it has every one of \a tags, and its title and text
/// are exactly \a title and \a message. What is not given lets every message pass.
struct MessageFilter
{
    QList<int> priorities; ///< any of them; empty: any priority
    QStringList tags; ///< all of them
    QString title; ///< null: any title
    QString message; ///< null: any text

    bool isEmpty() const { return priorities.isEmpty() && tags.isEmpty() && title.isNull() && message.isNull(); }
    bool matches(const Event &event) const;
};

/// Whether a stream of \a format for \a clientId and \a topics, with ntfy's \a filter (null for
/// none), sees \a event: Herald's routing rule for the format (Event::isVisibleTo()), then the filter.
bool streamSees(const Event &event, const QString &clientId, const QStringList &topics, StreamFormat format,
                const MessageFilter *filter);
