#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

/// One published event, encoded once and shared read-only by history, journal and every stream.
struct Event
{
    quint64 id = 0; ///< 0 marks a comment (a heartbeat), which is never counted as an event
    QString type; ///< the SSE event type; empty means the default "message"
    QString topic; ///< empty: for every client
    QString target; ///< a client id; empty: for every client
    QString data;
    qint64 publishedAtMs = 0; ///< milliseconds since the Unix epoch, UTC
    QByteArray encoded; ///< the event-stream bytes every client receives
    /// The same event for streams opened with format=json: type "message", and data a JSON
    /// envelope {"type", "topic", "to", "time", "data"}, so one listener sees every event.
    QByteArray encodedJson;

    const QByteArray &encodedFor(bool json) const { return json ? encodedJson : encoded; }

    /// Herald's routing rule: whether a client with this id and topic filter may see the event.
    bool isVisibleTo(const QString &clientId, const QStringList &clientTopics) const;

    /// Builds an event and its wire encoding.
    static std::shared_ptr<const Event> create(quint64 id, const QString &type,
                                               const QString &topic, const QString &target,
                                               const QString &data, qint64 publishedAtMs);
};

using EventPointer = std::shared_ptr<const Event>;
