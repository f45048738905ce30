#include "eventjournal.h"

#include "eventstreamencoder.h"
#include "foldersync.h"
#include "jsontext.h"
#include "logging.h"

#include <QDir>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QScopeGuard>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace {
constexpr int CompactionSlack = 64;
constexpr qint64 CompactionSlackBytes = 1024 * 1024;
/// A journal no larger than this is never rewritten: with small events, compacting at twice the
/// retained records would copy the whole history every thousand or so publishes, and sync it.
constexpr qint64 CompactionFloorBytes = 1024 * 1024;
constexpr qint64 CopyChunkBytes = 1024 * 1024;
/// The most room kept between writes for the records of the next (a batch of small events fits).
constexpr qsizetype KeptWriteRoomBytes = 256 * 1024;
const QString JournalFileName = QStringLiteral("history.jsonl");

/// The indexes of the longest run of \a ids that strictly increases in their order (a longest
/// increasing subsequence, in O(n log n)), ascending. Of the runs that long, the one ending in the
/// lowest id: a record appended later, with an id above all of these, extends the same run.
QList<qsizetype> longestIncreasingRun(const QList<quint64> &ids)
{
    QList<qsizetype> tails; ///< [k]: the index of the lowest id that ends a run of k + 1
    QList<qsizetype> previous; ///< [i]: the index before i in its longest run, or -1
    previous.reserve(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const auto place = std::lower_bound(tails.begin(), tails.end(), ids.at(i),
                                            [&ids](qsizetype tail, quint64 id) { return ids.at(tail) < id; });
        previous.append(place == tails.begin() ? -1 : *(place - 1));
        if (place == tails.end())
            tails.append(i);
        else
            *place = i;
    }
    QList<qsizetype> run(tails.size());
    qsizetype index = tails.isEmpty() ? -1 : tails.last();
    for (qsizetype k = run.size() - 1; k >= 0; --k, index = previous.at(index))
        run[k] = index;
    return run;
}

/// The bytes of \a text, a string of Latin-1 characters; nothing when it holds another character
/// (a damaged key is no key, and the event it came with stays).
QByteArray latin1Bytes(const QString &text)
{
    const bool isLatin1 = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() <= 0xFF; });
    return isLatin1 ? text.toLatin1() : QByteArray();
}

} // namespace

/// One readable record of the file, as open() found it: an event, a new version of one (its
/// revision is not 0), or a retraction.
struct EventJournal::ReadRecord
{
    int lineNumber;
    qint64 offset;
    qint64 length;
    EventPointer event; ///< null for a retraction
    quint64 retracted = 0; ///< the event a retraction takes out
    QByteArray idempotencyKey; ///< the event's, if it was published with one
};

/// What open() found in the file.
struct EventJournal::Reading
{
    QList<ReadRecord> records; ///< in file order
    bool lastLineComplete = true;
};

EventJournal::~EventJournal()
{
    close();
}

bool EventJournal::open(const QString &directory, Contents *contents, QString *errorMessage)
{
    close();
    if (!QDir().mkpath(directory)) {
        *errorMessage = QStringLiteral("cannot create the data folder %1").arg(directory);
        return false;
    }
    m_file.setFileName(QDir(directory).filePath(JournalFileName));
    // Unbuffered: what is not written yet is this class's own (m_unwritten), so a write the
    // system refuses can be taken back whole.
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append | QIODevice::Unbuffered)) {
        *errorMessage = QStringLiteral("cannot open %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    QFile reader(m_file.fileName());
    if (!reader.open(QIODevice::ReadOnly)) {
        *errorMessage = QStringLiteral("cannot read %1: %2").arg(reader.fileName(), reader.errorString());
        m_file.close();
        return false;
    }

    m_records.clear();
    m_edits.clear();
    m_unwritten.clear();
    // Every readable record first; then the events whose ids run in order are kept, so that a
    // record whose id was damaged costs itself alone, whatever that id says.
    const Reading reading = readRecords(reader, contents);
    keepInOrder(reading.records, contents);
    // A record torn by a crash has no newline; start the next one on a fresh line.
    if (!reading.lastLineComplete) {
        const qint64 end = m_file.size();
        m_file.write("\n");
        if (!m_records.empty() && m_records.back().offset + m_records.back().length == end)
            ++m_records.back().length; // a whole record whose newline was lost
    }
    m_size = m_file.size();
    return true;
}

EventJournal::Reading EventJournal::readRecords(QFile &reader, Contents *contents)
{
    Reading reading;
    int lineNumber = 0;
    while (!reader.atEnd()) {
        const qint64 offset = reader.pos();
        const QByteArray line = reader.readLine();
        reading.lastLineComplete = line.endsWith('\n');
        const QByteArray trimmed = line.trimmed();
        ++lineNumber;
        if (trimmed.isEmpty())
            continue;
        if (const quint64 retracted = decodeRetraction(trimmed)) {
            reading.records.append({lineNumber, offset, line.size(), nullptr, retracted, {}});
        } else if (QByteArray key; EventPointer event = decodeRecord(trimmed, &key)) {
            reading.records.append({lineNumber, offset, line.size(), std::move(event), 0, std::move(key)});
        } else {
            ++contents->skippedRecords;
            contents->skippedLines.append(lineNumber);
            qCWarning(lcJournal, "skipped an unreadable record in %s (line %d)", qPrintable(reader.fileName()),
                      lineNumber);
        }
    }
    return reading;
}

void EventJournal::keepInOrder(const QList<ReadRecord> &records, Contents *contents)
{
    QList<quint64> ids;
    for (const ReadRecord &record : records) {
        if (record.event && !record.event->revision)
            ids.append(record.event->id);
    }
    const QList<qsizetype> inOrder = longestIncreasingRun(ids);
    // No id in the file is handed out again, not even a skipped record's.
    if (!ids.isEmpty())
        contents->lastId = *std::max_element(ids.cbegin(), ids.cend());

    QList<EventPointer> kept;
    QHash<quint64, qsizetype> keptAt; ///< id -> its place in kept, while no retraction has named it
    QHash<QByteArray, quint64> keys; ///< as the store had them: a key reused later names the later event
    qsizetype eventIndex = 0;
    auto nextInOrder = inOrder.cbegin();
    for (const ReadRecord &record : records) {
        if (!record.event) {
            // It takes out an event kept before it; compaction keeps neither that event nor this record.
            ++contents->retractionRecords;
            if (const auto found = keptAt.constFind(record.retracted); found != keptAt.cend()) {
                kept[*found] = nullptr;
                keptAt.erase(found);
                ++contents->retractedEvents;
            }
            continue;
        }
        const quint64 id = record.event->id;
        if (record.event->revision) {
            // A new version of an event kept before it takes its place; of one that is not, nothing.
            ++contents->editRecords;
            if (const auto found = keptAt.constFind(id); found != keptAt.cend()) {
                kept[*found] = record.event;
                m_edits.push_back({id, record.offset, record.length});
            }
            continue;
        }
        const bool isInOrder = nextInOrder != inOrder.cend() && *nextInOrder == eventIndex++;
        if (!isInOrder) {
            ++contents->skippedRecords;
            contents->skippedLines.append(record.lineNumber);
            qCWarning(lcJournal, "skipped a record out of order in %s (line %d, id %llu)",
                      qPrintable(m_file.fileName()), record.lineNumber, id);
            continue;
        }
        ++nextInOrder;
        m_records.push_back({id, record.offset, record.length});
        keptAt.insert(id, kept.size());
        kept.append(record.event);
        if (!record.idempotencyKey.isEmpty())
            keys.insert(record.idempotencyKey, id);
    }
    for (EventPointer &event : kept) {
        if (event)
            contents->events.append(std::move(event));
    }
    for (auto key = keys.cbegin(); key != keys.cend(); ++key) {
        if (keptAt.contains(key.value()))
            contents->idempotencyKeys.insert(key.key(), key.value());
    }
    std::sort(contents->skippedLines.begin(), contents->skippedLines.end());
}

bool EventJournal::append(const Event &event, const QByteArray &idempotencyKey, QString *errorMessage, bool flush)
{
    return writeRecord(event, idempotencyKey, m_records, errorMessage, flush);
}

bool EventJournal::appendRetraction(quint64 id, QString *errorMessage, bool flush)
{
    return write(encodeRetraction(id), errorMessage, flush);
}

bool EventJournal::appendEdit(const Event &edited, QString *errorMessage, bool flush)
{
    return writeRecord(edited, {}, m_edits, errorMessage, flush);
}

bool EventJournal::writeRecord(const Event &event, QByteArrayView idempotencyKey, std::deque<Record> &index,
                               QString *errorMessage, bool flush)
{
    if (!m_file.isOpen())
        return false;
    // Straight into what is kept for the next write: a record of its own would cost a copy. A
    // refused write forgets it from \a index with the others (forgetRecordsFrom()).
    const qsizetype start = m_unwritten.size();
    appendRecord(m_unwritten, event, idempotencyKey);
    const qint64 length = m_unwritten.size() - start;
    m_size += length;
    index.push_back({event.id, m_size - length, length});
    return !flush || this->flush(errorMessage);
}

bool EventJournal::write(const QByteArray &record, QString *errorMessage, bool flush)
{
    if (!m_file.isOpen())
        return false;
    m_unwritten += record;
    m_size += record.size();
    return !flush || this->flush(errorMessage);
}

bool EventJournal::flush(QString *errorMessage)
{
    if (!m_file.isOpen())
        return false;
    if (m_unwritten.isEmpty())
        return true;
    // Emptied whatever happens, keeping its room for the next records unless a large write made it
    // large: a burst of big events does not hold its memory for good.
    const auto emptied = qScopeGuard([this] {
        if (m_unwritten.capacity() > KeptWriteRoomBytes)
            m_unwritten.clear();
        else
            m_unwritten.resize(0);
    });
    const QByteArrayView unwritten = m_unwritten;
    const qint64 start = m_size - unwritten.size();
    if (!cutTornBytes(start, errorMessage)) {
        forgetRecordsFrom(start);
        return false;
    }
    errno = 0;
    if (m_file.write(unwritten.data(), unwritten.size()) == unwritten.size())
        return true;
    // QFile names no error when the system took part of the bytes; errno says why it took no more.
    const QString why = m_file.error() != QFileDevice::NoError || errno == 0 ? m_file.errorString()
                                                                             : QString::fromLocal8Bit(strerror(errno));
    *errorMessage = QStringLiteral("cannot write to %1: %2").arg(m_file.fileName(), why);
    // None of these records is kept. What reached the file of them is cut off, so that it cannot
    // come back at the next start, and the next record begins on a line of its own.
    forgetRecordsFrom(start);
    m_hasTornBytes = true;
    QString cutError;
    if (!cutTornBytes(start, &cutError))
        qCWarning(lcJournal, "%s", qPrintable(cutError));
    return false;
}

bool EventJournal::cutTornBytes(qint64 end, QString *errorMessage)
{
    if (!m_hasTornBytes)
        return true;
    if (!m_file.resize(end)) {
        *errorMessage = QStringLiteral("cannot cut %1 back to its last whole record: %2")
                            .arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    m_hasTornBytes = false;
    return true;
}

void EventJournal::discardUnwritten()
{
    forgetRecordsFrom(m_size - m_unwritten.size());
    m_unwritten.clear();
}

void EventJournal::forgetRecordsFrom(qint64 offset)
{
    m_size = offset;
    while (!m_records.empty() && m_records.back().offset >= m_size)
        m_records.pop_back();
    while (!m_edits.empty() && m_edits.back().offset >= m_size)
        m_edits.pop_back();
}

bool EventJournal::needsCompaction(int retainedEvents, qint64 retainedBytes) const
{
    return m_file.isOpen() && m_size > CompactionFloorBytes
        && (qint64(m_records.size()) > 2 * qint64(retainedEvents) + CompactionSlack
            || m_size > 2 * retainedBytes + CompactionSlackBytes);
}

bool EventJournal::compact(const QList<quint64> &retainedIds, bool durable, QString *errorMessage)
{
    if (!flush(errorMessage)) // the copy reads the records from the file
        return false;
    const QString fileName = m_file.fileName();
    auto fail = [&](const QString &why) {
        *errorMessage = QStringLiteral("cannot compact %1: %2").arg(fileName, why);
        return false;
    };
    QFile source(fileName);
    if (!source.open(QIODevice::ReadOnly))
        return fail(source.errorString());
    QSaveFile compacted(fileName);
    if (!compacted.open(QIODevice::WriteOnly))
        return fail(compacted.errorString());

    // The retained records are copied as they are, runs of neighbours at a time.
    std::deque<Record> kept;
    qint64 written = 0;
    auto record = m_records.cbegin();
    for (auto id = retainedIds.cbegin(); id != retainedIds.cend();) {
        while (record != m_records.cend() && record->id < *id)
            ++record;
        if (record == m_records.cend())
            break;
        if (record->id != *id) {
            ++id;
            continue;
        }
        const qint64 runStart = record->offset;
        qint64 runEnd = runStart;
        while (id != retainedIds.cend() && record != m_records.cend() && record->id == *id
               && record->offset == runEnd) {
            kept.push_back({record->id, written + (record->offset - runStart), record->length});
            runEnd += record->length;
            ++record;
            ++id;
        }
        if (!source.seek(runStart))
            return fail(source.errorString());
        for (qint64 left = runEnd - runStart; left > 0;) {
            const QByteArray chunk = source.read(qMin(left, CopyChunkBytes));
            if (chunk.isEmpty() || compacted.write(chunk) != chunk.size())
                return fail(chunk.isEmpty() ? source.errorString() : compacted.errorString());
            left -= chunk.size();
        }
        written += runEnd - runStart;
    }
    // Then the newest version of each retained event that was edited, which reading puts in its place.
    QHash<quint64, Record> newestEdits;
    for (const Record &edit : m_edits)
        newestEdits.insert(edit.id, edit);
    std::deque<Record> keptEdits;
    for (const quint64 id : retainedIds) {
        const auto edit = newestEdits.constFind(id);
        if (edit == newestEdits.cend())
            continue;
        if (!source.seek(edit->offset))
            return fail(source.errorString());
        const QByteArray record = source.read(edit->length);
        if (record.size() != edit->length || compacted.write(record) != record.size())
            return fail(record.size() != edit->length ? source.errorString() : compacted.errorString());
        keptEdits.push_back({id, written, edit->length});
        written += edit->length;
    }
    // QSaveFile syncs the new file before it takes the old one's name.
    if (!compacted.commit())
        return fail(compacted.errorString());

    // From here on the old file has no name: whatever happens next, nothing is written to it.
    m_file.close();
    m_file.setFileName(fileName);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append | QIODevice::Unbuffered)) {
        *errorMessage = QStringLiteral("cannot reopen %1: %2").arg(fileName, m_file.errorString());
        return false;
    }
    m_records = std::move(kept);
    m_edits = std::move(keptEdits);
    m_size = written;
    m_hasTornBytes = false;
    if (durable) {
        // A rename inside the folder is durable once the folder's entry is on the disk too.
        if (const std::string why = syncFolder(QFile(QFileInfo(fileName).absolutePath()).filesystemFileName());
            !why.empty())
            return fail(QStringLiteral("the folder could not be synced: %1").arg(QString::fromLocal8Bit(why)));
    }
    return true;
}

void EventJournal::close()
{
    if (m_file.isOpen()) {
        QString error;
        if (!flush(&error))
            qCWarning(lcJournal, "%s", qPrintable(error));
        m_file.close();
    }
}

QByteArray EventJournal::encodeRecord(const Event &event, const QByteArray &idempotencyKey)
{
    QByteArray record;
    appendRecord(record, event, idempotencyKey);
    return record;
}

void EventJournal::appendRecord(QByteArray &into, const Event &event, const QByteArrayView idempotencyKey)
{
    // Written for every publish, so written directly, with no bytes of its own; the message's
    // fields, which most events do not have, through QJsonObject.
    if (into.isEmpty()) // appended to more records, it grows as a QByteArray grows
        into.reserve(96 + event.data().size());
    into += "{\"id\":\"";
    JsonText::appendNumber(into, event.id);
    into += "\",\"time\":";
    JsonText::appendNumber(into, event.publishedAtMs);
    into += ",\"data\":";
    JsonText::appendString(into, event.data());
    const auto appendText = [&into](const char *name, const QString &text) {
        if (text.isEmpty())
            return;
        into += ",\"";
        into += name;
        into += "\":";
        JsonText::appendText(into, text);
    };
    appendText("event", event.type);
    appendText("topic", event.topic);
    appendText("to", event.target);
    if (!idempotencyKey.isEmpty())
        appendText("key", QString::fromLatin1(idempotencyKey));
    if (event.revision) {
        into += ",\"revision\":";
        JsonText::appendNumber(into, quint64(event.revision));
    }
    QJsonObject fields;
    event.fields.addTo(fields);
    if (!fields.isEmpty()) {
        const QByteArray members = Event::compactJson(fields);
        into += ',';
        into += QByteArrayView(members).sliced(1, members.size() - 2); // without its braces
    }
    into += "}\n";
}

QByteArray EventJournal::encodeRetraction(quint64 id)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("retract"), QString::number(id)}}).toJson(QJsonDocument::Compact)
        + '\n';
}

quint64 EventJournal::decodeRetraction(QByteArrayView line)
{
    if (!line.startsWith("{\"retract\""))
        return 0;
    const QJsonObject record = QJsonDocument::fromJson(line.toByteArray()).object();
    if (record.size() != 1)
        return 0;
    return record.value(QStringLiteral("retract")).toString().toULongLong();
}

EventPointer EventJournal::decodeRecord(QByteArrayView line, QByteArray *idempotencyKey)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return {};
    const QJsonObject record = document.object();

    bool idOk = false;
    const quint64 id = record.value(QStringLiteral("id")).toString().toULongLong(&idOk);
    const QJsonValue data = record.value(QStringLiteral("data"));
    const QString type = record.value(QStringLiteral("event")).toString();
    const QString topic = record.value(QStringLiteral("topic")).toString();
    const QString target = record.value(QStringLiteral("to")).toString();
    const MessageFields fields = MessageFields::from(record);
    if (!fields.validationError().isEmpty())
        return {};
    if (!idOk || id == 0 || !data.isString() || !EventStreamEncoder::isValidFieldValue(type)
        || !EventStreamEncoder::isValidFieldValue(topic) || !EventStreamEncoder::isValidFieldValue(target))
        return {};
    // A time out of range (a damaged record) must not overflow the conversion.
    const double time = record.value(QStringLiteral("time")).toDouble();
    const qint64 publishedAtMs = time >= 0 && time < 9.0e15 ? qint64(time) : 0;
    const double revision = record.value(QStringLiteral("revision")).toDouble(0);
    if (revision < 0 || revision > 4e9 || revision != quint32(revision))
        return {};
    if (idempotencyKey)
        *idempotencyKey = latin1Bytes(record.value(QStringLiteral("key")).toString());
    auto event = std::const_pointer_cast<Event>(
        Event::create(id, type, topic, target, data.toString().toUtf8(), publishedAtMs, fields));
    event->revision = quint32(revision);
    return event;
}
