/// Reads arbitrary times as a scheduled publish gives them (Delay, At, In) and checks that a time
/// taken lies between the least delay and three days from now, that a refusal says why, and that
/// the same text at the same moment gives the same time.
#include "deliverytime.h"
#include "fuzzcheck.h"

#include <QTimeZone>

// Input: a selector byte (the time zone), then the text.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const QTimeZone zones[]
        = {QTimeZone("Europe/Berlin"), QTimeZone("Asia/Tokyo"), QTimeZone("America/New_York"), QTimeZone::utc()};
    const QDateTime now = QDateTime(QDate(2026, 3, 28), QTime(23, 30), zones[data[0] % 4]);
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    constexpr qint64 Minimum = 10'000;
    const DeliveryTime::Parsed parsed = DeliveryTime::parse(text, now, Minimum);
    if (parsed.isValid()) {
        const qint64 ahead = parsed.atMs - now.toMSecsSinceEpoch();
        require(ahead >= Minimum && ahead <= DeliveryTime::MaximumMs);
    } else {
        require(!parsed.error.isEmpty());
    }
    const DeliveryTime::Parsed again = DeliveryTime::parse(text, now, Minimum);
    require(again.atMs == parsed.atMs && again.error == parsed.error);
    return 0;
}
