#pragma once

#include "messagefields.h"

#include <QByteArray>
#include <QString>

/// One event as a publisher asked for it, before it has an id.
struct PublishRequest
{
    QByteArray data; ///< UTF-8 text
    QString type; ///< the SSE event type; empty for the default "message"
    QString topic;
    QString target; ///< a client id
    MessageFields fields; ///< title, priority, tags, click, markdown
    QByteArray idempotencyKey; ///< the Idempotency-Key header: a retried publish makes no second event

    /// Why the request cannot be published, or an empty string when it can.
    /// The same rule holds for the HTTP API and for the control panel.
    QString validationError() const;
};
