#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

/// A text/event-stream parser that follows the WHATWG HTML "interpret an event stream"
/// algorithm step by step, the way a browser does. Tests use it to read what Herald sends,
/// independently of Herald's own encoder.
class EventStreamParser
{
public:
    struct Event
    {
        QString type; ///< "message" when the stream named none
        QString data;
        QString lastEventId; ///< the stream's last event id when the event fired
    };

    /// Feeds bytes as they arrive (in any split) and returns the events they completed.
    QList<Event> feed(const QByteArray &bytes);

    QString lastEventId() const { return m_lastEventId; }
    int retry() const { return m_retry; } ///< -1 until a valid retry field arrived
    int comments() const { return m_comments; }

private:
    void processLine(const QString &line, QList<Event> *dispatched);

    QByteArray m_pending;
    bool m_skipLeadingLf = false;
    bool m_bomChecked = false;
    QString m_data;
    QString m_type;
    QString m_lastEventId;
    int m_retry = -1;
    int m_comments = 0;
};
