#pragma once

#include "publishrequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

class QJsonObject;

#include <functional>

/// Why a publish request could not be decoded.
enum class PublishRefusal {
    None,
    Malformed, ///< bad JSON, no data, text that is not UTF-8, or a field that breaks a rule
    TooLarge, ///< the body is over the size limit
    UnsupportedMediaType, ///< neither text/plain nor application/json, or not UTF-8
};

/// The outcome of decoding a POST /publish request.
struct PublishDecoding
{
    PublishRequest request;
    PublishRefusal refusal = PublishRefusal::None;
    QString error;
    /// When the publish asks for it to go out (ntfy's Delay, At or In, or JSON's "delay"), as
    /// written; empty for now. DeliveryTime::parse reads it.
    QString delay;

    bool isValid() const { return refusal == PublishRefusal::None; }

    /// A publish refused for \a refusal, with \a error for its sender.
    static PublishDecoding refused(PublishRefusal refusal, const QString &error);
    /// A publish whose body is over \a maxBodyBytes.
    static PublishDecoding bodyTooLarge(qint64 maxBodyBytes);
};

/// Whether \a bytes are valid UTF-8.
bool isValidUtf8(QByteArrayView bytes);

/// How the decoder reads a request's header \a name (any case): its value, empty when missing.
using HeaderLookup = std::function<QByteArray(QByteArrayView name)>;

/// Decodes a publish request from its Content-Type, body, query and headers, as the README
/// documents: a text/plain (or text/markdown) body is the data, with ?event=, ?topic= and ?to=, and
/// the message fields as headers or query parameters by ntfy's names (Title, X-Title, t, ...); an
/// application/json body is {"data": string or any JSON value, "event"?, "topic"?, "to"?, "title"?,
/// "priority"?, "tags"?, "click"?, "markdown"?}, and any other member is refused.
/// A HeaderLookup over \a headers, as sent: the first of a name, in any case.
HeaderLookup headersFrom(const QList<QPair<QByteArray, QByteArray>> &headers);

/// Reads a text publish's message fields from its headers and query parameters, by ntfy's names
/// and aliases, into \a fields; an error naming the field, or an empty string.
QString readMessageFields(const HeaderLookup &header, const QUrlQuery &query, MessageFields *fields);

/// The message a publish names outside its body: the Message header (X-Message, m), or the
/// message query parameter (msg, m), as ntfy takes it; empty when none does.
QString messageOutsideTheBody(const HeaderLookup &header, const QUrlQuery &query);

/// The time a text publish asks to go out at, as written: a Delay, At or In header (with or
/// without X-), or a delay, at or in query parameter; empty when it asks for none.
QString deliveryTimeText(const HeaderLookup &header, const QUrlQuery &query);
/// The same of a JSON publish: its "delay" member, which must be a string; false in \a ok when it
/// is another type.
QString deliveryTimeText(const QJsonObject &object, bool *ok);

/// The name of the file a publish uploads as its body (a Filename header or query parameter, by
/// ntfy's names, without an Attach link); a null string when it uploads none.
QString uploadFileName(const HeaderLookup &header, const QUrlQuery &query);

/// Reads the message fields of a JSON publish, by their names, into \a fields; an error naming the
/// member, or an empty string.
QString readMessageFields(const QJsonObject &object, MessageFields *fields);

/// The member of \a object that is not one of \a known, or an empty string.
QString unknownMember(const QJsonObject &object, const QStringList &known);

/// Decodes the body of PUT /api/events/<id> (JSON, whatever \a contentType says, as curl -d sends
/// a form type): a JSON object with the members to change, of data
/// (a string), title, priority, tags, click and markdown, as a JSON publish takes them; any other
/// member is refused. The request it gives holds \a currentData and \a currentFields with those
/// changes made.
PublishDecoding decodeEventEdit(QByteArrayView contentType, const QByteArray &body, qint64 maxBodyBytes,
                                const QByteArray &currentData, const MessageFields &currentFields);

PublishDecoding decodePublishRequest(QByteArrayView contentType, const QByteArray &body, const QUrlQuery &query,
                                     qint64 maxBodyBytes, const HeaderLookup &header = {});

/// What a publish's query and headers give the events it makes: the type, topic and target of the
/// query, the message fields of both (\a markdown unless they say otherwise) and the delivery time;
/// refused when a field breaks a rule.
PublishDecoding decodePublishDefaults(const QUrlQuery &query, const HeaderLookup &headerOf, bool markdown);
/// A JSON publish's \a body, UTF-8 already, over \a defaults (decodePublishDefaults()): its members
/// win over them.
PublishDecoding decodeJsonPublish(const QByteArray &body, PublishDecoding defaults);
