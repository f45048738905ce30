/// Decodes arbitrary bodies of POST /message as Gotify's clients send them and checks that a publish
/// taken has a message, a priority within 1 to 5 mapped from Gotify's 0 to 10, and fields within
/// their rules; that a refusal says why; and that the answer carries what was taken.
#include "fuzzcheck.h"
#include "gotifypublish.h"

#include <QByteArray>

// Input: one selector byte (its content type), then the body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const QByteArray contentTypes[]
        = {"application/json", "application/x-www-form-urlencoded", "",
           "text/plain",       "multipart/form-data; boundary=b",   "multipart/form-data; boundary=\"b\""};
    const QByteArray &contentType = contentTypes[data[0] % 6];
    const QByteArray body(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);

    const GotifyDecoding gotify = decodeGotifyPublish(contentType, body, 4096);
    const PublishDecoding &decoding = gotify.decoding;
    require(decoding.isValid() == decoding.error.isEmpty());
    if (decoding.isValid()) {
        const PublishRequest &request = decoding.request;
        require(!request.data.isEmpty());
        require(request.validationError().isEmpty());
        require(gotify.gotifyPriority >= -1 && gotify.gotifyPriority <= 10);
        require(gotify.gotifyPriority < 0 || request.fields.priority == priorityOfGotify(gotify.gotifyPriority));
        const QJsonObject message = gotifyMessage(1, 0, request, gotify.gotifyPriority);
        require(message.value(QStringLiteral("message")).toString().toUtf8() == request.data);
    }
    return 0;
}
