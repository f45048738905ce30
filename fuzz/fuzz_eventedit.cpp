/// Decodes arbitrary bodies of PUT /api/events/<id> against an event with fields and checks that an
/// edit taken has a text and fields within their rules, that what it left out is what the event
/// had, that a refusal says why, and that the new version keeps the event's id, labels and time.
#include "event.h"
#include "fuzzcheck.h"
#include "publishdecoding.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    MessageFields current;
    current.title = QStringLiteral("Hall B");
    current.priority = 4;
    current.tags = {QStringLiteral("door")};
    const QByteArray currentData = "Doors open at 9";

    const PublishDecoding decoding = decodeEventEdit("application/json", body, 4096, currentData, current);
    require(decoding.isValid() == decoding.error.isEmpty());
    if (!decoding.isValid())
        return 0;
    const PublishRequest &request = decoding.request;
    require(!request.data.isEmpty());
    require(request.fields.validationError().isEmpty());
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    require(!object.isEmpty());
    if (!object.contains(QStringLiteral("data")))
        require(request.data == currentData);
    if (!object.contains(QStringLiteral("title")) || object.value(QStringLiteral("title")).isNull())
        require(request.fields.title == current.title);
    if (!object.contains(QStringLiteral("tags")) || object.value(QStringLiteral("tags")).isNull())
        require(request.fields.tags == current.tags);

    const EventPointer event = Event::create(7, QStringLiteral("alert"), QStringLiteral("hall"), QString(), currentData,
                                             1'700'000'000'000, current);
    const EventPointer edited = Event::edited(*event, request.data, request.fields);
    require(edited->id == event->id && edited->type == event->type && edited->topic == event->topic
            && edited->target == event->target && edited->publishedAtMs == event->publishedAtMs
            && edited->revision == 1);
    require(edited->data() == request.data);
    return 0;
}
