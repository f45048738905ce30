#pragma once

#include "messagefields.h"
#include "streamformat.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <memory>

/// One published event, shared read-only by history, journal and every stream.
///
/// Its text is held once, as UTF-8: inside the wire encoding of each stream format in use, and
/// on its own only while no encoding can give it back exactly. prepare() makes an encoding; the
/// service calls it on its own thread before any stream of that format can reach the event, so
/// the stream threads only ever read encodings that are already made.
class Event
{
public:
    quint64 id = 0; ///< 0 marks a comment (a heartbeat), which is never counted as an event
    QString type; ///< the SSE event type; empty means the default "message"
    QString topic; ///< empty: for every client
    QString target; ///< a client id; empty: for every client
    qint64 publishedAtMs = 0; ///< milliseconds since the Unix epoch, UTC
    MessageFields fields; ///< title, priority, tags, click, markdown
    quint32 revision = 0; ///< how many times it was edited: 0 as published

    /// An event holding \a data (UTF-8), with no encoding made yet.
    static std::shared_ptr<const Event> create(quint64 id, const QString &type, const QString &topic,
                                               const QString &target, const QByteArray &data, qint64 publishedAtMs,
                                               const MessageFields &fields = {});
    /// A new version of \a event with \a data and \a fields: the same id, type, topic, target and
    /// time, one more revision, and no encoding made yet.
    static std::shared_ptr<const Event> edited(const Event &event, const QByteArray &data, const MessageFields &fields);
    /// The heartbeat of \a timeMs: a comment line in Herald's formats. ntfy's streams get a keepalive
    /// event of their own from their stream thread (it names their topics), so nothing from it.
    static std::shared_ptr<const Event> heartbeat(qint64 timeMs);
    /// One of Herald's own events, already \a encoded for Herald's formats, with no id, for the
    /// streams that may see an event of \a topic for \a target. ntfy's streams get \a ntfyEvent
    /// (ntfy's JSON for it), or nothing when it is empty; a notice about a message carries its
    /// \a fields, which ntfy's filters look at.
    static std::shared_ptr<const Event> notice(const QByteArray &encoded, const QString &topic, const QString &target,
                                               const QJsonObject &ntfyEvent = {}, const MessageFields &fields = {});

    /// The event's text as UTF-8, taken back from an encoding when it is not held on its own.
    QByteArray data() const;
    /// \a utf8, an event's text, as a QString with every character kept. QString::fromUtf8()
    /// drops a leading U+FEFF, taking it for a byte-order mark; in an event's text it is a character.
    static QString textOf(QByteArrayView utf8);
    /// \a object as compact JSON, with every U+FEFF written as \ufeff: Qt's JSON reader drops one
    /// that starts a string, and a journal record or a json-format event must give its text back.
    static QByteArray compactJson(const QJsonObject &object);
    /// The size of that text in bytes, which is what history limits count.
    qsizetype dataSize() const { return m_dataSize; }

    /// The JSON envelope the json format sends: {"data", "type"?, "topic"?, "to"?, "time"}, the
    /// message fields that are set, and "revision" once edited.
    QJsonObject envelope() const;

    /// Makes the encoding for \a format if it is missing. Call it on the service thread only.
    void prepare(StreamFormat format) const { prepare({format}); }
    /// Makes the encodings for \a formats that are missing, all from the text as it was given.
    void prepare(std::initializer_list<StreamFormat> formats) const;
    bool isPrepared(StreamFormat format) const { return !m_encoded[int(format)].isNull(); }
    /// The bytes a stream of \a format receives; prepare() must have made them.
    const QByteArray &encodedFor(StreamFormat format) const { return m_encoded[int(format)]; }
    /// Bytes held for this event: its encodings, and its text when held on its own.
    qsizetype heldBytes() const;

    bool isHeartbeat() const { return m_heartbeat; }
    /// Whether ntfy's streams may see it: published to a topic, for everyone (not to one client).
    bool isForNtfyStreams() const { return !topic.isEmpty() && target.isEmpty(); }

    /// Herald's routing rule: whether a client with this id and topic filter may see the event.
    bool isVisibleTo(const QString &clientId, const QStringList &clientTopics) const;
    /// The rule for a stream of \a format: ntfy's streams see only events published to one of
    /// their topics for everyone, as an ntfy subscription does.
    bool isVisibleTo(const QString &clientId, const QStringList &clientTopics, StreamFormat format) const;

private:
    QByteArray encode(StreamFormat format) const;
    QJsonObject envelopeWith(const QByteArray &text) const;
    /// Whether data() can be rebuilt exactly from the encodings already made.
    bool canRebuildData() const;

    mutable QByteArray m_encoded[StreamFormatCount];
    mutable QByteArray m_data; ///< null once an encoding can give the text back
    qsizetype m_dataSize = 0;
    bool m_dataHasCarriageReturn = false; ///< the plain encoding splits lines on CR too, so it cannot give them back
    bool m_heartbeat = false;
};

using EventPointer = std::shared_ptr<const Event>;
