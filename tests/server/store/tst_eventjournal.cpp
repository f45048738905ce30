#include "eventids.h"
#include "eventjournal.h"
#include "filesizelimit.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>

namespace {
EventPointer makeEvent(quint64 id)
{
    return Event::create(id, u"type"_qs, u"topic"_qs, u"to"_qs, QByteArray("line one\nline ") + QByteArray::number(id),
                         1700000000000 + qint64(id));
}

/// The record of event \a id, as the journal writes it, without its newline.
QByteArray recordOf(quint64 id)
{
    return EventJournal::encodeRecord(*makeEvent(id)).trimmed();
}

/// The record of event \a id with its id changed to \a damagedId, as a flipped bit on the disk
/// would leave it: the rest of the record is still event \a id's.
QByteArray damagedRecordOf(quint64 id, quint64 damagedId)
{
    return recordOf(id).replace("\"id\":\"" + QByteArray::number(id) + '"',
                                "\"id\":\"" + QByteArray::number(damagedId) + '"');
}

} // namespace

class tst_EventJournal : public QObject
{
    Q_OBJECT

private slots:
    void eventsSurviveAReopen();
    void anEditTakesTheEventsPlaceAcrossAReopenAndCompaction();
    void aRecordKeepsTheMessageFields();
    void aTornLastRecordIsSkippedAndWritingGoesOn();
    void aDamagedRecordCostsOnlyItself_data();
    void aDamagedRecordCostsOnlyItself();
    void compactionKeepsWhatIsRetained();
    void aSmallJournalIsNotRewritten();
    void idempotencyKeysSurviveAReopenAndCompaction();
    void anUnusableFolderIsReported();
    void damagedTimesDoNotBreakReading();
    void aRefusedWriteLeavesNothingBehind();
    void aTextStartingWithUFeffComesBackWhole();
};

void tst_EventJournal::eventsSurviveAReopen()
{
    QTemporaryDir dir;
    QString error;
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        QVERIFY(contents.events.isEmpty());
        for (quint64 id = 1; id <= 3; ++id)
            QVERIFY(journal.append(*makeEvent(id), &error));
    }
    EventJournal journal;
    EventJournal::Contents contents;
    QVERIFY(journal.open(dir.path(), &contents, &error));
    QCOMPARE(contents.events.size(), 3);
    QCOMPARE(contents.lastId, 3u);
    QCOMPARE(contents.skippedRecords, 0);
    const EventPointer original = makeEvent(2);
    const Event &restored = *contents.events.at(1);
    QCOMPARE(restored.id, original->id);
    QCOMPARE(restored.type, original->type);
    QCOMPARE(restored.topic, original->topic);
    QCOMPARE(restored.target, original->target);
    QCOMPARE(restored.data(), original->data());
    QCOMPARE(restored.publishedAtMs, original->publishedAtMs);
    restored.prepare(StreamFormat::Plain);
    original->prepare(StreamFormat::Plain);
    QCOMPARE(restored.encodedFor(StreamFormat::Plain), original->encodedFor(StreamFormat::Plain));
}

void tst_EventJournal::aRecordKeepsTheMessageFields()
{
    MessageFields fields;
    fields.title = u"Hall B"_qs;
    fields.priority = 5;
    fields.tags = {u"warning"_qs, u"tada"_qs};
    fields.click = u"mailto:desk@example.com"_qs;
    fields.markdown = true;
    const EventPointer event
        = Event::create(4, u"alert"_qs, u"t"_qs, QString(), "Doors *open*", 1'700'000'000'000, fields);
    const EventPointer restored = EventJournal::decodeRecord(EventJournal::encodeRecord(*event).trimmed());
    QVERIFY(restored);
    QCOMPARE(restored->fields, fields);
    QCOMPARE(restored->data(), event->data());

    // A record whose fields break the rules is damaged, and costs only itself.
    QByteArray damaged = EventJournal::encodeRecord(*event).trimmed();
    damaged.replace(R"("priority":5)", R"("priority":9)");
    QVERIFY(!EventJournal::decodeRecord(damaged));
}

void tst_EventJournal::aTornLastRecordIsSkippedAndWritingGoesOn()
{
    QTemporaryDir dir;
    QString error;
    QString fileName;
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        QVERIFY(journal.append(*makeEvent(1), &error));
        QVERIFY(journal.append(*makeEvent(2), &error));
        fileName = journal.fileName();
    }
    // A crash in the middle of writing record 3.
    QFile file(fileName);
    QVERIFY(file.open(QIODevice::Append));
    file.write(EventJournal::encodeRecord(*makeEvent(3)).left(20));
    file.close();

    {
        EventJournal journal;
        EventJournal::Contents contents;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"skipped an unreadable record"_qs));
        QVERIFY(journal.open(dir.path(), &contents, &error));
        QCOMPARE(contents.events.size(), 2);
        QCOMPARE(contents.skippedRecords, 1);
        QCOMPARE(contents.lastId, 2u);
        QVERIFY(journal.append(*makeEvent(3), &error));
    }
    EventJournal journal;
    EventJournal::Contents contents;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"skipped an unreadable record"_qs));
    QVERIFY(journal.open(dir.path(), &contents, &error));
    QCOMPARE(contents.events.size(), 3);
    QCOMPARE(contents.lastId, 3u);
}

void tst_EventJournal::aDamagedRecordCostsOnlyItself_data()
{
    QTest::addColumn<QByteArrayList>("lines");
    QTest::addColumn<QList<quint64>>("kept");
    QTest::addColumn<QList<int>>("skippedLines");
    QTest::addColumn<quint64>("lastId");

    QTest::newRow("id 3 raised to 300000")
        << QByteArrayList{recordOf(1), recordOf(2), damagedRecordOf(3, 300000), recordOf(4), recordOf(5)}
        << QList<quint64>{1, 2, 4, 5} << QList<int>{3} << quint64(300000); // no id in the file comes again
    QTest::newRow("id 4 lowered to 1") << QByteArrayList{recordOf(1), recordOf(2), recordOf(3), damagedRecordOf(4, 1),
                                                         recordOf(5)}
                                       << QList<quint64>{1, 2, 3, 5} << QList<int>{4} << quint64(5);
    QTest::newRow("the first id raised") << QByteArrayList{damagedRecordOf(1, 900), recordOf(2), recordOf(3),
                                                           recordOf(4)}
                                         << QList<quint64>{2, 3, 4} << QList<int>{1} << quint64(900);
    QTest::newRow("a record cut short in the middle")
        << QByteArrayList{recordOf(1), recordOf(2).left(20), recordOf(3), recordOf(4)} << QList<quint64>{1, 3, 4}
        << QList<int>{2} << quint64(4);
    QTest::newRow("a torn last line") << QByteArrayList{recordOf(1), recordOf(2), recordOf(3).left(30)}
                                      << QList<quint64>{1, 2} << QList<int>{3} << quint64(2);
    // A retraction still takes out the event it names, behind a damaged record too.
    QTest::newRow("a retraction after a damaged id")
        << QByteArrayList{recordOf(1), damagedRecordOf(2, 300000), recordOf(3),
                          EventJournal::encodeRetraction(3).trimmed(), recordOf(4)}
        << QList<quint64>{1, 4} << QList<int>{2} << quint64(300000);
}

void tst_EventJournal::aDamagedRecordCostsOnlyItself()
{
    QFETCH(QByteArrayList, lines);
    QFETCH(QList<quint64>, kept);
    QFETCH(QList<int>, skippedLines);
    QFETCH(quint64, lastId);
    QTemporaryDir dir;
    {
        QFile file(dir.filePath(u"history.jsonl"_qs));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(lines.join('\n')); // the last line has no newline, as a crash would leave it
    }
    // Each skipped record is named by its line.
    for (int line : skippedLines)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"skipped .*\\(line %1\\b"_qs.arg(line)));
    QString error;
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        QCOMPARE(idsOf(contents.events), kept);
        QCOMPARE(contents.skippedRecords, int(skippedLines.size()));
        QCOMPARE(contents.skippedLines, skippedLines);
        QCOMPARE(contents.lastId, lastId);
        QVERIFY(journal.append(*makeEvent(lastId + 1), &error));
    }
    // Writing goes on after the damage, and the next start keeps what this one kept.
    for (int line : skippedLines)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"skipped .*\\(line %1\\b"_qs.arg(line)));
    EventJournal journal;
    EventJournal::Contents contents;
    QVERIFY(journal.open(dir.path(), &contents, &error));
    QCOMPARE(idsOf(contents.events), kept + QList<quint64>{lastId + 1});
    QCOMPARE(contents.lastId, lastId + 1);
    QCOMPARE(contents.events.at(0)->data(), makeEvent(kept.first())->data());
}

void tst_EventJournal::compactionKeepsWhatIsRetained()
{
    QTemporaryDir dir;
    QString error;
    QList<EventPointer> all;
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        const int capacity = 5;
        // 8 KiB events: a journal is rewritten only once it is past 1 MiB.
        for (quint64 id = 1; id <= 200; ++id) {
            all.append(Event::create(id, {}, {}, {}, QByteArray(8 * 1024, 'x') + QByteArray::number(id),
                                     1700000000000 + qint64(id)));
            QVERIFY(journal.append(*all.last(), &error));
            if (journal.needsCompaction(capacity, 0)) {
                QVERIFY(journal.compact(idsOf(all.mid(all.size() - capacity)), false, &error));
            }
        }
    }
    EventJournal journal;
    EventJournal::Contents contents;
    QVERIFY(journal.open(dir.path(), &contents, &error));
    QCOMPARE(contents.lastId, 200u);
    QVERIFY(contents.events.size() >= 5);
    QVERIFY(contents.events.size() < 200); // it did compact
    QCOMPARE(contents.events.last()->id, 200u);
    for (qsizetype i = 1; i < contents.events.size(); ++i)
        QCOMPARE(contents.events.at(i)->id, contents.events.at(i - 1)->id + 1);
}

void tst_EventJournal::aSmallJournalIsNotRewritten()
{
    // Thousands of small records stay until the file passes 1 MiB, however few are retained;
    // then the journal asks to be compacted, and after that it is small again.
    QTemporaryDir dir;
    QString error;
    EventJournal journal;
    EventJournal::Contents contents;
    QVERIFY(journal.open(dir.path(), &contents, &error));
    const int capacity = 5;
    QList<quint64> ids;
    quint64 id = 0;
    while (QFileInfo(journal.fileName()).size() <= 1024 * 1024) {
        QVERIFY2(!journal.needsCompaction(capacity, 0), qPrintable(u"asked at %1 records"_qs.arg(id)));
        QVERIFY(journal.append(*makeEvent(++id), &error));
        ids.append(id);
    }
    QVERIFY(id > 10000); // far more than twice what is retained
    QVERIFY(journal.needsCompaction(capacity, 0));
    QVERIFY(journal.compact(ids.mid(ids.size() - capacity), false, &error));
    QVERIFY(QFileInfo(journal.fileName()).size() < 4096);
    QVERIFY(!journal.needsCompaction(capacity, 0));
}

void tst_EventJournal::idempotencyKeysSurviveAReopenAndCompaction()
{
    // A key is whatever bytes the header held, up to 200 of them.
    static const char rawBytes[] = "order \x01\x7f\x80\xff \"quoted\" \\ \0 end";
    const QByteArray rawKey(rawBytes, sizeof rawBytes - 1); // the NUL inside is part of the key
    const QByteArray longKey(200, '\xe9');
    QTemporaryDir dir;
    QString error;
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        QVERIFY(journal.append(*makeEvent(1), "order-1", &error));
        QVERIFY(journal.append(*makeEvent(2), rawKey, &error));
        QVERIFY(journal.append(*makeEvent(3), &error));
        QVERIFY(journal.append(*makeEvent(4), longKey, &error));
        QVERIFY(journal.append(*makeEvent(5), "retracted", &error));
        QVERIFY(journal.appendRetraction(5, &error));
    }
    const QHash<QByteArray, quint64> allKeys{{"order-1", 1}, {rawKey, 2}, {longKey, 4}};
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        QCOMPARE(idsOf(contents.events), (QList<quint64>{1, 2, 3, 4}));
        QCOMPARE(contents.idempotencyKeys, allKeys); // a retracted event's key is free again
        // Compaction copies the retained records as they are, keys and all.
        QVERIFY(journal.compact({2, 3, 4}, false, &error));
    }
    EventJournal journal;
    EventJournal::Contents contents;
    QVERIFY(journal.open(dir.path(), &contents, &error));
    QCOMPARE(idsOf(contents.events), (QList<quint64>{2, 3, 4}));
    QCOMPARE(contents.idempotencyKeys, (QHash<QByteArray, quint64>{{rawKey, 2}, {longKey, 4}}));
}

void tst_EventJournal::anEditTakesTheEventsPlaceAcrossAReopenAndCompaction()
{
    MessageFields urgent;
    urgent.priority = 5;
    urgent.title = u"Now"_qs;
    QTemporaryDir dir;
    QString error;
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        for (quint64 id = 1; id <= 4; ++id)
            QVERIFY(journal.append(*makeEvent(id), &error));
        const EventPointer first = Event::edited(*makeEvent(2), "second text", {});
        QVERIFY(journal.appendEdit(*first, &error));
        QVERIFY(journal.appendEdit(*Event::edited(*first, "third text", urgent), &error));
        QVERIFY(journal.appendEdit(*Event::edited(*makeEvent(3), "retracted after", {}), &error));
        QVERIFY(journal.appendRetraction(3, &error));
        QVERIFY(journal.append(*makeEvent(5), &error)); // ids go on after the edits
    }
    const auto check = [](const EventJournal::Contents &contents) {
        QCOMPARE(idsOf(contents.events), (QList<quint64>{1, 2, 4, 5}));
        const EventPointer edited = contents.events.at(1);
        QCOMPARE(edited->data(), QByteArray("third text"));
        QCOMPARE(edited->revision, 2u);
        QCOMPARE(edited->fields.priority, 5);
        QCOMPARE(edited->fields.title, u"Now"_qs);
        // What an edit keeps of the event: its type, topic, target and time.
        const EventPointer original = makeEvent(2);
        QCOMPARE(edited->type, original->type);
        QCOMPARE(edited->topic, original->topic);
        QCOMPARE(edited->target, original->target);
        QCOMPARE(edited->publishedAtMs, original->publishedAtMs);
        QCOMPARE(contents.events.at(0)->revision, 0u);
    };
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        check(contents);
        QCOMPARE(contents.editRecords, 3);
        QCOMPARE(contents.lastId, 5u);
        QVERIFY(journal.compact({1, 2, 4, 5}, false, &error));
    }
    EventJournal journal;
    EventJournal::Contents contents;
    QVERIFY(journal.open(dir.path(), &contents, &error));
    check(contents);
    QCOMPARE(contents.editRecords, 1); // compaction kept the newest version alone
    QVERIFY(journal.compact({4, 5}, false, &error)); // and none of an event let go
    EventJournal::Contents after;
    EventJournal reopened;
    journal.close();
    QVERIFY(reopened.open(dir.path(), &after, &error));
    QCOMPARE(idsOf(after.events), (QList<quint64>{4, 5}));
    QCOMPARE(after.editRecords, 0);
}

void tst_EventJournal::damagedTimesDoNotBreakReading()
{
    // Found by fuzz_journal: a time past what qint64 holds.
    for (const QByteArray &line :
         {QByteArray(R"({"id":"1","time":1e19,"data":"x"})"), QByteArray(R"({"id":"1","time":-1e300,"data":"x"})"),
          QByteArray(R"({"id":"1","time":"soon","data":"x"})")}) {
        const EventPointer event = EventJournal::decodeRecord(line);
        QVERIFY(event);
        QCOMPARE(event->data(), QByteArray("x"));
        QCOMPARE(event->publishedAtMs, 0);
    }
}

void tst_EventJournal::anUnusableFolderIsReported()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"not-a-folder"_qs));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    EventJournal journal;
    EventJournal::Contents contents;
    QString error;
    QVERIFY(!journal.open(blocker.fileName(), &contents, &error));
    QVERIFY(error.contains(blocker.fileName()));
    QVERIFY(!journal.isOpen());
}

QTEST_APPLESS_MAIN(tst_EventJournal)
void tst_EventJournal::aRefusedWriteLeavesNothingBehind()
{
    QTemporaryDir dir;
    QString error;
    const QString path = dir.filePath(u"history.jsonl"_qs);
    {
        EventJournal journal;
        EventJournal::Contents contents;
        QVERIFY(journal.open(dir.path(), &contents, &error));
        for (quint64 id = 1; id <= 3; ++id)
            QVERIFY(journal.append(*makeEvent(id), &error));
        const qint64 kept = QFileInfo(path).size();
        {
            // Room for part of a record only: the system takes some bytes, then refuses.
            FileSizeLimit limit(kept + 10);
            QVERIFY(limit.isSet());
            QVERIFY(!journal.append(*makeEvent(4), &error));
            // It names the file and the system's reason (EFBIG), whatever part was taken.
            QVERIFY2(error.contains(path) && error.contains(QString::fromLocal8Bit(strerror(EFBIG))),
                     qPrintable(error));
            // A batch fails whole too.
            QVERIFY(journal.append(*makeEvent(5), &error, false));
            QVERIFY(journal.append(*makeEvent(6), &error, false));
            QVERIFY(!journal.flush(&error));
        }
        // Nothing of the refused records is in the file, nor waits to be written at close.
        QCOMPARE(QFileInfo(path).size(), kept);
        QVERIFY(journal.append(*makeEvent(7), &error));
        journal.close();
    }
    EventJournal journal;
    EventJournal::Contents contents;
    QVERIFY(journal.open(dir.path(), &contents, &error));
    QCOMPARE(idsOf(contents.events), (QList<quint64>{1, 2, 3, 7}));
    QCOMPARE(contents.skippedRecords, 0); // the record after the refusal is whole
}

void tst_EventJournal::aTextStartingWithUFeffComesBackWhole()
{
    // Qt's JSON reader drops a U+FEFF that starts a string; the record must not lose it.
    const QByteArray text("\xEF\xBB\xBF\xEF\xBB\xBFmarked");
    const EventPointer event = Event::create(1, QString(), QString(), QString(), text, 1700000000000);
    QCOMPARE(EventJournal::decodeRecord(EventJournal::encodeRecord(*event).trimmed())->data(), text);
}

#include "tst_eventjournal.moc"
