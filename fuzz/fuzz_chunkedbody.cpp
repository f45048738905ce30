/// Feeds arbitrary bytes to the decoder of bodies sent in chunks, which reads a stranger's bytes
/// right after the request head, and checks that what it decides does not depend on the pieces
/// the bytes arrive in, that a body stays within its bound, and that it ends where it says.
#include "chunkedbody.h"
#include "fuzzcheck.h"

#include <QByteArray>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    // The first byte picks the bound and the size of the pieces; the rest is the encoding.
    const qint64 maxBody = qint64(data[0] & 0x1f) * 64;
    const qsizetype step = 1 + data[0] / 32;
    const QByteArrayView encoded(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    ChunkedBody whole(maxBody);
    const ChunkedBody::Result result = whole.decode(encoded);
    require((result == ChunkedBody::Result::Malformed) == !whole.error().isEmpty());

    // In pieces: every prefix says Incomplete until the answer, then the same answer.
    ChunkedBody pieces(maxBody);
    ChunkedBody::Result piecewise = ChunkedBody::Result::Incomplete;
    for (qsizetype arrived = 0; piecewise == ChunkedBody::Result::Incomplete; arrived += step) {
        piecewise = pieces.decode(encoded.first(std::min(arrived, encoded.size())));
        if (arrived >= encoded.size())
            break;
    }
    require(piecewise == result);

    // As the gate feeds it, letting go of what it has decoded after each piece.
    ChunkedBody releasing(maxBody);
    QByteArray held;
    ChunkedBody::Result released = ChunkedBody::Result::Incomplete;
    for (qsizetype at = 0; at < encoded.size() && released == ChunkedBody::Result::Incomplete; at += step) {
        held += encoded.sliced(at, std::min(step, encoded.size() - at)).toByteArray();
        released = releasing.decode(held);
        if (released == ChunkedBody::Result::Incomplete)
            held.remove(0, releasing.release());
    }
    require(released == result);

    if (result != ChunkedBody::Result::Complete)
        return 0;
    const QByteArray body = whole.takeBody();
    require(body.size() <= maxBody);
    require(whole.encodedSize() > 0 && whole.encodedSize() <= encoded.size());
    require(pieces.encodedSize() == whole.encodedSize() && pieces.takeBody() == body);
    require(releasing.released() + releasing.encodedSize() == whole.encodedSize() && releasing.takeBody() == body);
    // The encoding alone decodes to the same body; one byte less is still waiting.
    ChunkedBody exact(maxBody);
    require(exact.decode(encoded.first(whole.encodedSize())) == ChunkedBody::Result::Complete);
    require(exact.takeBody() == body);
    ChunkedBody oneShort(maxBody);
    require(oneShort.decode(encoded.first(whole.encodedSize() - 1)) == ChunkedBody::Result::Incomplete);
    return 0;
}
