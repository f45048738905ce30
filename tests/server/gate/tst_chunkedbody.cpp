#include "chunkedbody.h"

#include <QTest>

using Result = ChunkedBody::Result;

/// The decoder of bodies sent in chunks (RFC 9112, 7.1), as ntfy's client and `curl -T -` send a
/// file: what it takes, in whatever pieces it arrives, what it refuses, and where the request ends.
class tst_ChunkedBody : public QObject
{
    Q_OBJECT

private slots:
    void decodesChunksExtensionsAndTrailers();
    void givesTheSameBodyWhateverPiecesItArrivesIn();
    void endsWhereTheNextRequestBegins();
    void refusesFramingTwoReadersCouldReadTwoWays_data();
    void refusesFramingTwoReadersCouldReadTwoWays();
    void aBodyPastItsBoundIsTooLargeBeforeItsDataComes();
    void aLineThatNeverEndsIsRefused();

private:
    /// \a encoded in chunks of the sizes given, ending with the last chunk and no trailer.
    static QByteArray encode(const QByteArray &body, const QList<int> &sizes);
};

QByteArray tst_ChunkedBody::encode(const QByteArray &body, const QList<int> &sizes)
{
    QByteArray encoded;
    qsizetype at = 0;
    for (int size : sizes) {
        encoded += QByteArray::number(size, 16) + "\r\n" + body.mid(at, size) + "\r\n";
        at += size;
    }
    return encoded + "0\r\n\r\n";
}

void tst_ChunkedBody::decodesChunksExtensionsAndTrailers()
{
    ChunkedBody plain(1000);
    const QByteArray encoded = encode("Backup of /home finished", {6, 12, 6});
    QCOMPARE(plain.decode(encoded), Result::Complete);
    QCOMPARE(plain.takeBody(), QByteArray("Backup of /home finished"));
    QCOMPARE(plain.encodedSize(), encoded.size());

    // Sizes in either case, extensions (ignored, after optional spaces), trailer fields (read past).
    ChunkedBody dressed(1000);
    QCOMPARE(dressed.decode("A ;name=value;other\r\n0123456789\r\nf; q = \"a \\\"quoted\\\" ;value\"\r\n"
                            "abcdefghijklmno\r\n0;last\r\nChecksum: 1234\r\nX-Note: done\r\n\r\n"),
             Result::Complete);
    QCOMPARE(dressed.takeBody(), QByteArray("0123456789abcdefghijklmno"));

    // An empty body is a last chunk alone.
    ChunkedBody empty(1000);
    QCOMPARE(empty.decode("0\r\n\r\n"), Result::Complete);
    QVERIFY(empty.takeBody().isEmpty());
    QCOMPARE(empty.encodedSize(), 5);
}

void tst_ChunkedBody::givesTheSameBodyWhateverPiecesItArrivesIn()
{
    QByteArray body;
    for (int i = 0; i < 3000; ++i)
        body += char('a' + i % 26);
    const QByteArray encoded = encode(body, {1, 100, 1024, 7, 1868});
    // Every prefix is Incomplete until the whole encoding has come: fed one byte more each time.
    ChunkedBody decoder(10'000);
    for (qsizetype arrived = 0; arrived < encoded.size(); ++arrived)
        QCOMPARE(decoder.decode(QByteArrayView(encoded).first(arrived)), Result::Incomplete);
    QCOMPARE(decoder.decode(encoded), Result::Complete);
    QCOMPARE(decoder.takeBody(), body);
    QCOMPARE(decoder.encodedSize(), encoded.size());

    // As the gate feeds it: what it has decoded is let go after each piece, and only the rest is
    // given again with the next bytes.
    ChunkedBody releasing(10'000);
    QByteArray held;
    Result result = Result::Incomplete;
    for (qsizetype at = 0; at < encoded.size(); at += 37) {
        held += encoded.mid(at, 37);
        result = releasing.decode(held);
        if (result != Result::Incomplete)
            break;
        held.remove(0, releasing.release());
        QVERIFY(held.size() <= 37 + 5); // what is left is at most part of a line and the new piece
    }
    QCOMPARE(result, Result::Complete);
    QCOMPARE(releasing.takeBody(), body);
    QCOMPARE(releasing.released() + releasing.encodedSize(), encoded.size());
}

void tst_ChunkedBody::endsWhereTheNextRequestBegins()
{
    const QByteArray first = encode("first", {5});
    const QByteArray pipelined = first + "POST /publish HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi";
    ChunkedBody decoder(100);
    QCOMPARE(decoder.decode(pipelined), Result::Complete);
    QCOMPARE(decoder.takeBody(), QByteArray("first"));
    QCOMPARE(decoder.encodedSize(), first.size());
}

void tst_ChunkedBody::refusesFramingTwoReadersCouldReadTwoWays_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("no size") << QByteArray("\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("a size that is not hexadecimal") << QByteArray("x5\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("a negative size") << QByteArray("-5\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("something after the size") << QByteArray("5 five\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("a bare LF ends the size line") << QByteArray("5\nhello\r\n0\r\n\r\n");
    QTest::newRow("a bare CR in the size line") << QByteArray("5\r;x\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("data longer than its size") << QByteArray("3\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("data ended by a bare LF") << QByteArray("5\r\nhello\n0\r\n\r\n");
    QTest::newRow("a size of 16 digits") << QByteArray("0000000000000005\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("blanks after the size and no extension") << QByteArray("5 \r\nhello\r\n0\r\n\r\n");
    QTest::newRow("an extension without a name") << QByteArray("5;=x\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("a control character in an extension") << QByteArray("5;a=\x01\r\nhello\r\n0\r\n\r\n");
    // A reader that let a quoted string run past the line's end would take the rest as one body.
    QTest::newRow("an open quote in an extension")
        << QByteArray("1;a=\"\r\nX\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n\"\r\n");
    QTest::newRow("a trailer that is not a field") << QByteArray("5\r\nhello\r\n0\r\nnot a field\r\n\r\n");
    QTest::newRow("a trailer with no name") << QByteArray("5\r\nhello\r\n0\r\n: value\r\n\r\n");
    QTest::newRow("a request line as a trailer")
        << QByteArray("5\r\nhello\r\n0\r\nGET http://h:1/admin HTTP/1.1\r\nHost: h\r\n\r\n");
    QTest::newRow("a folded trailer") << QByteArray("5\r\nhello\r\n0\r\nX-A: 1\r\n folded: x\r\n\r\n");
    QTest::newRow("a space before a trailer's colon") << QByteArray("5\r\nhello\r\n0\r\nX-A : 1\r\n\r\n");
}

void tst_ChunkedBody::refusesFramingTwoReadersCouldReadTwoWays()
{
    QFETCH(QByteArray, encoded);
    ChunkedBody decoder(1000);
    QCOMPARE(decoder.decode(encoded), Result::Malformed);
    QVERIFY(!decoder.error().isEmpty());
    // And it stays refused, whatever comes after.
    QCOMPARE(decoder.decode(encoded + "5\r\nhello\r\n0\r\n\r\n"), Result::Malformed);
}

void tst_ChunkedBody::aBodyPastItsBoundIsTooLargeBeforeItsDataComes()
{
    // One chunk that says it is larger: refused on its size line, before its data.
    ChunkedBody oneChunk(1000);
    QCOMPARE(oneChunk.decode("3e9\r\n"), Result::TooLarge); // 1,001
    // Several that add up to more: refused at the one that crosses the bound.
    ChunkedBody several(1000);
    const QByteArray fiveHundred(500, 'x');
    QCOMPARE(several.decode("1f4\r\n" + fiveHundred + "\r\n1f4\r\n" + fiveHundred + "\r\n"), Result::Incomplete);
    QCOMPARE(several.decode("1f4\r\n" + fiveHundred + "\r\n1f4\r\n" + fiveHundred + "\r\n1\r\n"), Result::TooLarge);
    // Exactly the bound is taken.
    ChunkedBody exactly(1000);
    QCOMPARE(exactly.decode(encode(QByteArray(1000, 'y'), {1000})), Result::Complete);
    // A size of 15 hex digits is only too large, not an overflow.
    ChunkedBody huge(1000);
    QCOMPARE(huge.decode("fffffffffffffff\r\n"), Result::TooLarge);
}

void tst_ChunkedBody::aLineThatNeverEndsIsRefused()
{
    // A line of exactly MaxLine bytes is taken, whether or not its CR came without its LF first.
    const QByteArray longest = "5;" + QByteArray(ChunkedBody::MaxLine - 2, 'e') + "\r\nhello\r\n0\r\n\r\n";
    ChunkedBody whole(1000);
    QCOMPARE(whole.decode(longest), Result::Complete);
    ChunkedBody split(1000);
    QCOMPARE(split.decode(QByteArrayView(longest).first(ChunkedBody::MaxLine + 1)), Result::Incomplete);
    QCOMPARE(split.decode(longest), Result::Complete);

    // Without its CRLF a size line, or a trailer field, may not grow for ever.
    ChunkedBody sizeLine(1000);
    QCOMPARE(sizeLine.decode("5;" + QByteArray(ChunkedBody::MaxLine - 2, 'e')), Result::Incomplete);
    QCOMPARE(sizeLine.decode("5;" + QByteArray(ChunkedBody::MaxLine, 'e')), Result::Malformed);
    ChunkedBody trailer(1000);
    QCOMPARE(trailer.decode("0\r\nX-Long: " + QByteArray(ChunkedBody::MaxLine, 't')), Result::Malformed);
    // Nor may many short trailer fields add up to more than MaxTrailer.
    QByteArray fields = "0\r\n";
    while (fields.size() < ChunkedBody::MaxTrailer + 100)
        fields += "X-Field: value\r\n";
    ChunkedBody manyFields(1000);
    QCOMPARE(manyFields.decode(fields), Result::Malformed);
}

QTEST_APPLESS_MAIN(tst_ChunkedBody)
#include "tst_chunkedbody.moc"
