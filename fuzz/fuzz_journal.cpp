/// Opens journals holding arbitrary (torn, corrupted, reordered) records and checks that reading
/// keeps only good records in id order, skipping a good one only when it is out of order with those
/// kept, and that writing goes on so the next start reads it back.
#include "eventjournal.h"
#include "eventstreamencoder.h"
#include "fuzzcheck.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <limits>

namespace {

bool sameEvent(const Event &a, const Event &b)
{
    a.prepare(StreamFormat::Plain);
    b.prepare(StreamFormat::Plain);
    return a.id == b.id && a.type == b.type && a.topic == b.topic && a.target == b.target && a.data() == b.data()
        && a.publishedAtMs == b.publishedAtMs && a.encodedFor(StreamFormat::Plain) == b.encodedFor(StreamFormat::Plain);
}

void requireRoundTrip(const Event &event, const QByteArray &idempotencyKey = {})
{
    require(event.id != 0);
    require(EventStreamEncoder::isValidFieldValue(event.type));
    require(EventStreamEncoder::isValidFieldValue(event.topic));
    require(EventStreamEncoder::isValidFieldValue(event.target));
    const QByteArray record = EventJournal::encodeRecord(event, idempotencyKey);
    require(record.endsWith('\n') && record.count('\n') == 1);
    QByteArray decodedKey;
    const EventPointer decoded = EventJournal::decodeRecord(record.trimmed(), &decodedKey);
    require(decoded && sameEvent(*decoded, event));
    require(decodedKey == idempotencyKey); // byte for byte
}

EventJournal::Contents openJournal(EventJournal *journal, const QString &directory)
{
    EventJournal::Contents contents;
    QString error;
    require(journal->open(directory, &contents, &error));
    require(contents.skippedRecords >= 0);
    quint64 previousId = 0;
    for (const EventPointer &event : std::as_const(contents.events)) {
        require(event && event->id > previousId);
        previousId = event->id;
    }
    require(contents.lastId >= previousId);
    return contents;
}

/// The length of the longest run of \a ids that strictly increases in their order, the plain
/// quadratic way, independent of the journal's own.
qsizetype longestIncreasingRunLength(const QList<quint64> &ids)
{
    QList<qsizetype> endingAt(ids.size(), 1);
    qsizetype longest = 0;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        for (qsizetype j = 0; j < i; ++j) {
            if (ids.at(j) < ids.at(i))
                endingAt[i] = qMax(endingAt.at(i), endingAt.at(j) + 1);
        }
        longest = qMax(longest, endingAt.at(i));
    }
    return longest;
}

/// The journal resynchronises after damage: the event records it kept have strictly increasing
/// ids, every unreadable record is skipped, a readable event record is skipped only when its id
/// does not fit between the kept records around it, and no longer run could have been kept.
void requireResynchronised(const QByteArrayList &lines, const EventJournal::Contents &contents)
{
    QList<quint64> keptIds; ///< in file order, retracted events included
    QList<quint64> readableIds; ///< of every readable event record, in file order
    QList<qsizetype> keptAfter; ///< for each line: how many kept records come before it
    quint64 highestId = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        keptAfter.append(keptIds.size());
        const QByteArray line = lines.at(i).trimmed();
        const bool skipped = contents.skippedLines.contains(int(i + 1));
        if (line.isEmpty() || EventJournal::decodeRetraction(line)) {
            require(!skipped);
            continue;
        }
        const EventPointer event = EventJournal::decodeRecord(line);
        require(event || skipped); // an unreadable record is never kept
        if (event) {
            highestId = qMax(highestId, event->id);
            readableIds.append(event->id);
        }
        if (event && !skipped)
            keptIds.append(event->id);
    }
    require(keptIds.size() == longestIncreasingRunLength(readableIds));
    for (qsizetype i = 1; i < keptIds.size(); ++i)
        require(keptIds.at(i - 1) < keptIds.at(i));
    for (int lineNumber : contents.skippedLines) {
        const EventPointer event = EventJournal::decodeRecord(lines.at(lineNumber - 1).trimmed());
        if (!event)
            continue;
        const qsizetype before = keptAfter.at(lineNumber - 1);
        const bool fitsAfter = before == 0 || keptIds.at(before - 1) < event->id;
        const bool fitsBefore = before == keptIds.size() || event->id < keptIds.at(before);
        require(!(fitsAfter && fitsBefore));
    }
    // No id in the file is handed out again, not even a skipped record's.
    require(contents.lastId == highestId);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    QLoggingCategory::setFilterRules(QStringLiteral("herald.journal.warning=false"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QTemporaryDir directory;
    require(directory.isValid());
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    qsizetype records = 0;
    const QByteArrayList lines = input.split('\n');
    for (const QByteArray &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        ++records;
        if (const quint64 retracted = EventJournal::decodeRetraction(line.trimmed()))
            require(EventJournal::decodeRetraction(EventJournal::encodeRetraction(retracted).trimmed()) == retracted);
        else if (QByteArray key; const EventPointer event = EventJournal::decodeRecord(line.trimmed(), &key))
            requireRoundTrip(*event, key);
    }

    {
        QFile file(QDir(directory.path()).filePath(QStringLiteral("history.jsonl")));
        require(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        require(file.write(input) == input.size());
    }

    EventJournal journal;
    const EventJournal::Contents before = openJournal(&journal, directory.path());
    // Every record is an event kept, an event a later record retracted, a retraction or unreadable.
    require(before.events.size() + before.retractedEvents + before.retractionRecords + before.skippedRecords
            == records);
    require(before.retractedEvents <= before.retractionRecords);
    require(before.skippedLines.size() == before.skippedRecords);
    requireResynchronised(lines, before);
    for (const EventPointer &event : before.events)
        requireRoundTrip(*event);
    if (before.lastId == std::numeric_limits<quint64>::max())
        return 0;

    const EventPointer appended = Event::create(before.lastId + 1, QStringLiteral("fuzz"), QString(), QString(),
                                                QString::fromUtf8(input.left(64)).toUtf8(), 1'700'000'000'000);
    QString error;
    require(journal.append(*appended, &error));
    journal.close();

    const EventJournal::Contents after = openJournal(&journal, directory.path());
    require(after.lastId == appended->id && after.lastId > before.lastId);
    require(after.skippedRecords == before.skippedRecords);
    require(after.retractedEvents == before.retractedEvents);
    require(after.events.size() == before.events.size() + 1);
    require(sameEvent(*after.events.last(), *appended));
    return 0;
}
