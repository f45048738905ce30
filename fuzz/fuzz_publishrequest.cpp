/// Decodes arbitrary publish requests (content type, query, headers and body) and checks that every
/// answer is one of the documented refusals, with an error exactly when the request is refused, and
/// that the message fields of a publish it takes keep the rules and come back from their JSON.
#include "fuzzcheck.h"
#include "fuzzinput.h"
#include "publishdecoding.h"
#include "requestfields.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

// Input: one selector byte, [content type NUL] when the selector asks for one, query NUL,
// [headers NUL] when the selector's bit 6 is set, body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const QByteArray contentTypes[] = {
        "text/plain",
        "application/json",
        "text/plain; charset=utf-8",
        "",
        " Application/JSON ; charset=\"UTF-8\"",
        "text/html",
        "text/plain; charset=latin1",
    };
    constexpr qsizetype contentTypeCount = sizeof(contentTypes) / sizeof(contentTypes[0]);
    static const qint64 bodyLimits[] = {1 << 20, 64, 1, 0};

    const uchar selector = data[0];
    QByteArrayView rest(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const qsizetype typeIndex = selector % (contentTypeCount + 1);
    const QByteArrayView contentType
        = typeIndex == contentTypeCount ? takeUntilNul(&rest) : QByteArrayView(contentTypes[typeIndex]);
    const QString query = QString::fromUtf8(takeUntilNul(&rest));
    const HeaderLookup headers = (selector & 0x40) ? headersOfLines(takeUntilNul(&rest)) : HeaderLookup();
    const QByteArray body = rest.toByteArray();
    const qint64 maxBody = bodyLimits[(selector >> 4) % 4];

    const PublishDecoding decoding = decodePublishRequest(contentType, body, formQuery(query), maxBody, headers);

    require((decoding.refusal == PublishRefusal::TooLarge) == (body.size() > maxBody));
    require(decoding.isValid() == decoding.error.isEmpty());
    if (decoding.isValid()) {
        require(decoding.request.validationError().isEmpty());
        require(!decoding.request.data.isEmpty());
        const MessageFields &fields = decoding.request.fields;
        require(fields.validationError().isEmpty());
        QJsonObject written;
        fields.addTo(written);
        require(MessageFields::from(written) == fields);
        // JSON number data is the text the publisher wrote for it: the same number, as JSON reads it.
        const bool isJson = contentType.toByteArray().trimmed().toLower().startsWith("application/json");
        const QJsonValue number = QJsonDocument::fromJson(body).object().value(QStringLiteral("data"));
        if (isJson && number.isDouble()) {
            const QJsonValue again = QJsonDocument::fromJson('[' + decoding.request.data + ']').array().first();
            require(again.isDouble() && again.toDouble() == number.toDouble());
            require(body.contains(decoding.request.data));
        }
    }

    const PublishDecoding again = decodePublishRequest(contentType, body, formQuery(query), maxBody, headers);
    require(again.refusal == decoding.refusal && again.error == decoding.error
            && again.request.data == decoding.request.data && again.request.fields == decoding.request.fields);
    return 0;
}
