#include "event.h"
#include "messagefields.h"

#include <QJsonObject>
#include <QTest>

/// A message's fields besides its text: ntfy's names for priorities, the bounds, and the JSON an
/// event's stream, journal record and cluster entry carry them in.
class tst_MessageFields : public QObject
{
    Q_OBJECT

private slots:
    void prioritiesByNumberAndByNtfysNames_data();
    void prioritiesByNumberAndByNtfysNames();
    void aPlainMessageAddsNothing();
    void fieldsComeBackFromTheirJson();
    void aJsonStreamCarriesTheFieldsThatAreSet();
    void titlesAndTagsAreCountedInCharacters();
};

void tst_MessageFields::prioritiesByNumberAndByNtfysNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("priority");
    // ntfy's documentation: 1 min, 2 low, 3 default, 4 high, 5 max or urgent.
    const QList<std::pair<QString, int>> rows{
        {u"1"_qs, 1},   {u"2"_qs, 2},    {u"3"_qs, 3},       {u"4"_qs, 4},    {u"5"_qs, 5},
        {u"min"_qs, 1}, {u"low"_qs, 2},  {u"default"_qs, 3}, {u"high"_qs, 4}, {u"urgent"_qs, 5},
        {u"max"_qs, 5}, {u"HIGH"_qs, 4}, {u" low "_qs, 2},   {u"0"_qs, 0},    {u"6"_qs, 0},
        {u"-1"_qs, 0},  {u"loud"_qs, 0}, {u""_qs, 0},        {u"4.0"_qs, 0},  {u"１"_qs, 0},
    };
    for (const auto &[text, priority] : rows)
        QTest::newRow(qPrintable(u'"' + text + u'"')) << text << priority;
}

void tst_MessageFields::prioritiesByNumberAndByNtfysNames()
{
    QFETCH(QString, text);
    QTEST(MessageFields::priorityFrom(text), "priority");
}

void tst_MessageFields::aPlainMessageAddsNothing()
{
    const MessageFields plain;
    QVERIFY(plain.isPlain());
    QVERIFY(plain.validationError().isEmpty());
    QJsonObject object{{u"data"_qs, u"x"_qs}};
    plain.addTo(object);
    QCOMPARE(object, (QJsonObject{{u"data"_qs, u"x"_qs}}));
}

void tst_MessageFields::fieldsComeBackFromTheirJson()
{
    MessageFields fields;
    fields.title = u"Hall B \u2014 \U0001F389"_qs;
    fields.priority = 1;
    fields.tags = {u"warning"_qs, u"two words"_qs};
    fields.click = u"https://example.com/a?b=c#d"_qs;
    fields.markdown = true;
    QVERIFY(!fields.isPlain());
    QVERIFY(fields.validationError().isEmpty());
    QJsonObject object;
    fields.addTo(object);
    QCOMPARE(MessageFields::from(object), fields);

    MessageFields onlyPriority;
    onlyPriority.priority = 5;
    object = {};
    onlyPriority.addTo(object);
    QCOMPARE(object, (QJsonObject{{u"priority"_qs, 5}}));
    QCOMPARE(MessageFields::from(object), onlyPriority);
}

void tst_MessageFields::aJsonStreamCarriesTheFieldsThatAreSet()
{
    MessageFields fields;
    fields.title = u"Lunch"_qs;
    fields.tags = {u"pizza"_qs};
    const EventPointer event = Event::create(7, QString(), QString(), QString(), "Pizza", 1'700'000'000'000, fields);
    event->prepare({StreamFormat::Plain, StreamFormat::Json});
    const QByteArray json = event->encodedFor(StreamFormat::Json);
    QVERIFY(json.contains(R"("title":"Lunch")"));
    QVERIFY(json.contains(R"("tags":["pizza"])"));
    QVERIFY(!json.contains("priority")); // 3, the default, is not written
    QVERIFY(!json.contains("markdown"));
    QCOMPARE(event->encodedFor(StreamFormat::Plain), QByteArray("id: 7\ndata: Pizza\n\n"));
    QCOMPARE(event->data(), QByteArray("Pizza")); // the text comes back from the envelope
}

void tst_MessageFields::titlesAndTagsAreCountedInCharacters()
{
    MessageFields fields;
    fields.title = QString(255, u'a') + u"\U0001F389"_qs; // 257 UTF-16 units, 256 characters
    QVERIFY(fields.validationError().isEmpty());
    fields.title += u'a';
    QVERIFY(fields.validationError().contains(u"title"_qs));
    fields.title.clear();
    fields.tags = {QString(63, u'a') + u"\U0001F355"_qs};
    QVERIFY(fields.validationError().isEmpty());
    fields.tags.first() += u'a';
    QVERIFY(fields.validationError().contains(u"tag"_qs));
}

QTEST_APPLESS_MAIN(tst_MessageFields)
#include "tst_messagefields.moc"
