#pragma once

#include "publishrequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QUrlQuery>

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

    bool isValid() const { return refusal == PublishRefusal::None; }
};

/// Decodes a publish request from its Content-Type, body and query, as the README documents:
/// a text/plain body is the data (with ?event=, ?topic= and ?to=), and an application/json
/// body is {"data": string or any JSON value, "event"?, "topic"?, "to"?}.
PublishDecoding decodePublishRequest(QByteArrayView contentType, const QByteArray &body, const QUrlQuery &query,
                                     qint64 maxBodyBytes);
