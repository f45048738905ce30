#include "event.h"
#include "eventstreamparser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

/// An event holds its text once: inside the encodings of the stream formats in use, and on its
/// own only until an encoding can give it back exactly.
class tst_Event : public QObject
{
    Q_OBJECT

private slots:
    void theTextComesBackExactly_data();
    void theTextComesBackExactly();
    void eachFormatReachesTheBrowserAsDocumented();
    void anEncodedEventHoldsItsTextOnce();
    void aTextWithCarriageReturnsIsKeptBesideThePlainEncoding();
    void aCommentIsTheSameInEveryFormat();
};

void tst_Event::theTextComesBackExactly_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("one line") << QByteArray("hello");
    QTest::newRow("lines") << QByteArray("first\nsecond\n\nfourth\n");
    QTest::newRow("CRLF and CR") << QByteArray("a\r\nb\rc");
    QTest::newRow("quotes and backslashes") << QByteArray(R"(say "hi" \ \n)");
    QTest::newRow("non-ASCII") << QByteArray("你好, Ünïcödé 🎉");
    QTest::newRow("looks like fields") << QByteArray("data: x\nid: 9\nevent: y");
    QTest::newRow("only a line break") << QByteArray("\n");
    // U+FEFF is a character inside a text, not a byte-order mark to drop.
    QTest::newRow("leading U+FEFF") << QByteArray("\xEF\xBB\xBF\xEF\xBB\xBFtwo marks");
    QTest::newRow("only U+FEFF") << QByteArray("\xEF\xBB\xBF");
}

void tst_Event::theTextComesBackExactly()
{
    QFETCH(QByteArray, text);
    for (const StreamFormat first : {StreamFormat::Plain, StreamFormat::Json}) {
        const EventPointer event = Event::create(5, u"note"_qs, u"news"_qs, QString(), text, 1700000000000);
        QCOMPARE(event->data(), text);
        event->prepare(first);
        QCOMPARE(event->data(), text);
        event->prepare(first == StreamFormat::Plain ? StreamFormat::Json : StreamFormat::Plain);
        QCOMPARE(event->data(), text);
        QCOMPARE(event->dataSize(), text.size());
    }
}

void tst_Event::eachFormatReachesTheBrowserAsDocumented()
{
    const EventPointer event = Event::create(42, u"alert"_qs, u"staff"_qs, u"desk"_qs, "fire\ndrill", 1700000000123);
    event->prepare(StreamFormat::Plain);
    event->prepare(StreamFormat::Json);

    EventStreamParser plain;
    const auto plainEvents = plain.feed(event->encodedFor(StreamFormat::Plain));
    QCOMPARE(plainEvents.size(), 1);
    QCOMPARE(plainEvents.first().type, u"alert"_qs);
    QCOMPARE(plainEvents.first().data, u"fire\ndrill"_qs);
    QCOMPARE(plainEvents.first().lastEventId, u"42"_qs);

    EventStreamParser json;
    const auto jsonEvents = json.feed(event->encodedFor(StreamFormat::Json));
    QCOMPARE(jsonEvents.size(), 1);
    QCOMPARE(jsonEvents.first().type, u"message"_qs);
    QCOMPARE(jsonEvents.first().lastEventId, u"42"_qs);
    const QJsonObject envelope = QJsonDocument::fromJson(jsonEvents.first().data.toUtf8()).object();
    QCOMPARE(envelope.value(u"data"_qs).toString(), u"fire\ndrill"_qs);
    QCOMPARE(envelope.value(u"type"_qs).toString(), u"alert"_qs);
    QCOMPARE(envelope.value(u"topic"_qs).toString(), u"staff"_qs);
    QCOMPARE(envelope.value(u"to"_qs).toString(), u"desk"_qs);
    QCOMPARE(envelope.value(u"time"_qs).toDouble(), 1700000000123.0);
}

void tst_Event::anEncodedEventHoldsItsTextOnce()
{
    const QByteArray text(100 * 1024, 'x');
    const EventPointer plainOnly = Event::create(1, QString(), QString(), QString(), text, 0);
    QVERIFY(plainOnly->heldBytes() >= text.size()); // before any encoding, the text itself
    plainOnly->prepare(StreamFormat::Plain);
    QVERIFY(plainOnly->heldBytes() < text.size() + 64);

    const EventPointer both = Event::create(2, QString(), QString(), QString(), text, 0);
    both->prepare(StreamFormat::Json);
    QVERIFY(both->heldBytes() < text.size() + 128);
    both->prepare(StreamFormat::Plain);
    QVERIFY(both->heldBytes() < 2 * text.size() + 192);
}

void tst_Event::aTextWithCarriageReturnsIsKeptBesideThePlainEncoding()
{
    // The plain encoding splits lines on CR too, so it cannot tell "a\rb" from "a\nb".
    const EventPointer event = Event::create(1, QString(), QString(), QString(), "a\rb", 0);
    event->prepare(StreamFormat::Plain);
    QCOMPARE(event->data(), QByteArray("a\rb"));
    QVERIFY(event->heldBytes() > event->encodedFor(StreamFormat::Plain).size());
    // The JSON envelope keeps it, so then the text need not be kept.
    event->prepare(StreamFormat::Json);
    QCOMPARE(event->heldBytes(),
             event->encodedFor(StreamFormat::Plain).size() + event->encodedFor(StreamFormat::Json).size());
    QCOMPARE(event->data(), QByteArray("a\rb"));
}

void tst_Event::aCommentIsTheSameInEveryFormat()
{
    const EventPointer comment = Event::comment(": heartbeat\n\n");
    QCOMPARE(comment->id, 0u);
    QCOMPARE(comment->encodedFor(StreamFormat::Plain), QByteArray(": heartbeat\n\n"));
    QCOMPARE(comment->encodedFor(StreamFormat::Json), QByteArray(": heartbeat\n\n"));
}

QTEST_APPLESS_MAIN(tst_Event)
#include "tst_event.moc"
