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
    void aHeartbeatIsACommentInHeraldsFormats();
    void ntfyStreamsGetTheirTopicsMessagesAsNtfyEncodesThem();
    void ntfyStreamsGetNothingOfBroadcastsTargetedEventsAndHeraldsNotices();
    void anEditedMessageNamesTheOneItReplacesForNtfy();
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

void tst_Event::aHeartbeatIsACommentInHeraldsFormats()
{
    const EventPointer heartbeat = Event::heartbeat(1'700'000'000'000);
    QVERIFY(heartbeat->isHeartbeat());
    QCOMPARE(heartbeat->id, 0u);
    for (StreamFormat format : {StreamFormat::Plain, StreamFormat::Json}) {
        EventStreamParser parser;
        QVERIFY2(parser.feed(heartbeat->encodedFor(format)).isEmpty(), "a comment dispatches no event");
        QCOMPARE(parser.comments(), 1);
    }
    // ntfy's streams make their own keepalive, naming their topics: nothing shared for them.
    for (StreamFormat format : {StreamFormat::NtfyJson, StreamFormat::NtfySse, StreamFormat::NtfyRaw}) {
        QVERIFY(heartbeat->isPrepared(format));
        QVERIFY(heartbeat->encodedFor(format).isEmpty());
    }
}

void tst_Event::ntfyStreamsGetTheirTopicsMessagesAsNtfyEncodesThem()
{
    MessageFields fields;
    fields.title = QStringLiteral("Lunch");
    fields.priority = 4;
    fields.tags = {QStringLiteral("pizza"), QStringLiteral("tada")};
    fields.click = QStringLiteral("https://example.org/menu");
    fields.markdown = true;
    const EventPointer event = Event::create(42, QString(), QStringLiteral("kitchen"), QString(), "Pizza\nis here",
                                             1'700'000'123'456, fields);
    event->prepare({StreamFormat::NtfyJson, StreamFormat::NtfySse, StreamFormat::NtfyRaw});

    // One JSON object on one line, with ntfy's names and types.
    const QByteArray line = event->encodedFor(StreamFormat::NtfyJson);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const QJsonObject message = QJsonDocument::fromJson(line).object();
    QCOMPARE(message.value(u"id").toString(), QStringLiteral("42"));
    QCOMPARE(message.value(u"time").toInteger(), 1'700'000'123);
    QCOMPARE(message.value(u"event").toString(), QStringLiteral("message"));
    QCOMPARE(message.value(u"topic").toString(), QStringLiteral("kitchen"));
    QCOMPARE(message.value(u"message").toString(), QStringLiteral("Pizza\nis here"));
    QCOMPARE(message.value(u"title").toString(), fields.title);
    QCOMPARE(message.value(u"priority").toInt(), 4);
    QCOMPARE(message.value(u"tags").toVariant().toStringList(), fields.tags);
    QCOMPARE(message.value(u"click").toString(), fields.click);
    QCOMPARE(message.value(u"content_type").toString(), QStringLiteral("text/markdown"));
    QVERIFY(!message.contains(u"sequence_id"));

    // The same object as the data of a server-sent "message" event, whose id resumes the stream.
    const QList<EventStreamParser::Event> parsed = EventStreamParser().feed(event->encodedFor(StreamFormat::NtfySse));
    QCOMPARE(parsed.size(), 1);
    QCOMPARE(parsed.first().type, QStringLiteral("message"));
    QCOMPARE(parsed.first().lastEventId, QStringLiteral("42"));
    QCOMPARE(QJsonDocument::fromJson(parsed.first().data.toUtf8()).object(), message);

    // Raw: the text alone, on one line.
    QCOMPARE(event->encodedFor(StreamFormat::NtfyRaw), QByteArray("Pizza is here\n"));
    // And the text is still whole for the formats made later.
    QCOMPARE(event->data(), QByteArray("Pizza\nis here"));
}

void tst_Event::ntfyStreamsGetNothingOfBroadcastsTargetedEventsAndHeraldsNotices()
{
    const EventPointer broadcast = Event::create(1, QString(), QString(), QString(), "for every page", 0);
    const EventPointer targeted
        = Event::create(2, QString(), QStringLiteral("kitchen"), QStringLiteral("tv-1"), "x", 0);
    const EventPointer notice = Event::notice("event: herald-gap\ndata: {}\n\n", {}, {});
    for (const EventPointer &event : {broadcast, targeted, notice}) {
        for (StreamFormat format : {StreamFormat::NtfyJson, StreamFormat::NtfySse, StreamFormat::NtfyRaw}) {
            event->prepare(format);
            QVERIFY(event->encodedFor(format).isEmpty());
            QVERIFY(!event->isVisibleTo(QStringLiteral("tv-1"), {QStringLiteral("kitchen")}, format));
        }
    }
    // ntfy's JSON for a notice reaches them: a retraction as ntfy's message_delete.
    const QJsonObject deleted{{u"id"_qs, u"abc"_qs},
                              {u"time"_qs, 1},
                              {u"event"_qs, u"message_delete"_qs},
                              {u"topic"_qs, u"kitchen"_qs},
                              {u"sequence_id"_qs, u"7"_qs}};
    const EventPointer retraction
        = Event::notice("event: herald-retract\ndata: {\"id\":7}\n\n", QStringLiteral("kitchen"), {}, deleted);
    QCOMPARE(QJsonDocument::fromJson(retraction->encodedFor(StreamFormat::NtfyJson)).object(), deleted);
    const QList<EventStreamParser::Event> parsed
        = EventStreamParser().feed(retraction->encodedFor(StreamFormat::NtfySse));
    QCOMPARE(parsed.size(), 1);
    QCOMPARE(parsed.first().type, QStringLiteral("message_delete"));
    QCOMPARE(parsed.first().lastEventId, QString()); // it does not move the reader's last event id
    QCOMPARE(retraction->encodedFor(StreamFormat::NtfyRaw), QByteArray("\n"));
    QCOMPARE(retraction->encodedFor(StreamFormat::Plain), QByteArray("event: herald-retract\ndata: {\"id\":7}\n\n"));
}

void tst_Event::anEditedMessageNamesTheOneItReplacesForNtfy()
{
    auto edited = std::const_pointer_cast<Event>(
        Event::create(42, QString(), QStringLiteral("kitchen"), QString(), "Pasta is here", 1'700'000'000'000));
    edited->revision = 2;
    edited->prepare(StreamFormat::NtfyJson);
    const QJsonObject message = QJsonDocument::fromJson(edited->encodedFor(StreamFormat::NtfyJson)).object();
    // A fresh id, so that ntfy's apps take it, and the id of the message it replaces.
    QCOMPARE(message.value(u"id").toString(), QStringLiteral("42-2"));
    QCOMPARE(message.value(u"sequence_id").toString(), QStringLiteral("42"));
}

QTEST_APPLESS_MAIN(tst_Event)
#include "tst_event.moc"
