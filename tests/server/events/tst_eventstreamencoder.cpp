#include "eventstreamencoder.h"
#include "eventstreamparser.h"

#include <QTest>

/// The encoder is checked by reading its output back with a spec parser, as a browser would.
class tst_EventStreamEncoder : public QObject
{
    Q_OBJECT

private slots:
    void roundTripsTextAsTheBrowserSeesIt_data();
    void roundTripsTextAsTheBrowserSeesIt();
    void publishedTextCannotInjectFields();
    void eventTypeAndIdReachTheBrowser();
    void noticeLeavesTheLastEventIdAlone();
    void commentsAndRetryAreWellFormed();
    void fieldValuesWithLineBreaksOrNulAreRefused();
    void bytesSplitAnywhereGiveTheSameEvents();
};

void tst_EventStreamEncoder::roundTripsTextAsTheBrowserSeesIt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // the browser joins lines with LF

    QTest::newRow("one line") << u"hello"_qs << u"hello"_qs;
    QTest::newRow("LF lines") << u"one\ntwo\nthree"_qs << u"one\ntwo\nthree"_qs;
    QTest::newRow("CRLF lines") << u"one\r\ntwo"_qs << u"one\ntwo"_qs;
    QTest::newRow("bare CR lines") << u"one\rtwo"_qs << u"one\ntwo"_qs;
    QTest::newRow("mixed breaks") << u"a\rb\r\nc\nd"_qs << u"a\nb\nc\nd"_qs;
    QTest::newRow("CR then LF stays one break") << u"a\r\n\r\nb"_qs << u"a\n\nb"_qs;
    QTest::newRow("empty lines inside") << u"a\n\n\nb"_qs << u"a\n\n\nb"_qs;
    QTest::newRow("trailing newline") << u"a\n"_qs << u"a\n"_qs;
    QTest::newRow("leading spaces kept") << u"  indented"_qs << u"  indented"_qs;
    QTest::newRow("colon in text") << u"data: not a field"_qs << u"data: not a field"_qs;
    QTest::newRow("unicode") << u"héllo 你好 🎉"_qs << u"héllo 你好 🎉"_qs;
    QTest::newRow("html stays text") << u"<img src=x onerror=alert(1)>"_qs << u"<img src=x onerror=alert(1)>"_qs;
}

void tst_EventStreamEncoder::roundTripsTextAsTheBrowserSeesIt()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);

    EventStreamParser parser;
    const auto events = parser.feed(EventStreamEncoder::encodeEvent(7, QString(), text.toUtf8()));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().data, expected);
    QCOMPARE(events.first().type, u"message"_qs);
    QCOMPARE(events.first().lastEventId, u"7"_qs);
}

void tst_EventStreamEncoder::publishedTextCannotInjectFields()
{
    const QString hostile = u"x\r\nevent: evil\rid: 999\nretry: 1\n\ndata: second"_qs;
    EventStreamParser parser;
    const auto events = parser.feed(EventStreamEncoder::encodeEvent(3, QString(), hostile.toUtf8()));
    QCOMPARE(events.size(), 1); // the blank line inside the text did not end the event
    QCOMPARE(events.first().type, u"message"_qs);
    QCOMPARE(events.first().lastEventId, u"3"_qs);
    QCOMPARE(parser.retry(), -1);
    QCOMPARE(events.first().data, u"x\nevent: evil\nid: 999\nretry: 1\n\ndata: second"_qs);
}

void tst_EventStreamEncoder::eventTypeAndIdReachTheBrowser()
{
    EventStreamParser parser;
    auto events = parser.feed(EventStreamEncoder::encodeEvent(41, u"alert"_qs, "fire"));
    events += parser.feed(EventStreamEncoder::encodeEvent(42, QString(), "calm"));
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0].type, u"alert"_qs);
    QCOMPARE(events[0].lastEventId, u"41"_qs);
    QCOMPARE(events[1].type, u"message"_qs); // the type does not leak into the next event
    QCOMPARE(events[1].lastEventId, u"42"_qs);
}

void tst_EventStreamEncoder::noticeLeavesTheLastEventIdAlone()
{
    EventStreamParser parser;
    auto events = parser.feed(EventStreamEncoder::encodeEvent(5, QString(), "real"));
    events += parser.feed(EventStreamEncoder::encodeNotice(u"herald-gap"_qs, u"{}"_qs));
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[1].type, u"herald-gap"_qs);
    QCOMPARE(events[1].lastEventId, u"5"_qs);
}

void tst_EventStreamEncoder::commentsAndRetryAreWellFormed()
{
    EventStreamParser parser;
    const auto events
        = parser.feed(EventStreamEncoder::encodeRetry(2500) + EventStreamEncoder::encodeComment("heart\nbeat"));
    QVERIFY(events.isEmpty());
    QCOMPARE(parser.retry(), 2500);
    QCOMPARE(parser.comments(), 1);
}

void tst_EventStreamEncoder::fieldValuesWithLineBreaksOrNulAreRefused()
{
    QVERIFY(EventStreamEncoder::isValidFieldValue(u"news-1"_qs));
    QVERIFY(EventStreamEncoder::isValidFieldValue(QString()));
    QVERIFY(!EventStreamEncoder::isValidFieldValue(u"a\nb"_qs));
    QVERIFY(!EventStreamEncoder::isValidFieldValue(u"a\rb"_qs));
    QVERIFY(!EventStreamEncoder::isValidFieldValue(QStringLiteral("a") + QChar(QChar::Null)));
}

void tst_EventStreamEncoder::bytesSplitAnywhereGiveTheSameEvents()
{
    const QByteArray stream
        = EventStreamEncoder::encodeEvent(1, u"t"_qs, "a\r\nb") + EventStreamEncoder::encodeEvent(2, QString(), "c\rd");
    for (int cut = 0; cut <= stream.size(); ++cut) {
        EventStreamParser parser;
        auto events = parser.feed(stream.left(cut));
        events += parser.feed(stream.mid(cut));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].data, u"a\nb"_qs);
        QCOMPARE(events[1].data, u"c\nd"_qs);
    }
}

QTEST_APPLESS_MAIN(tst_EventStreamEncoder)
#include "tst_eventstreamencoder.moc"
