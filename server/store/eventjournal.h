#pragma once

#include "event.h"

#include <QFile>
#include <QHash>
#include <QList>
#include <QString>

#include <deque>

/// The append-only file in the data folder that keeps history and the id counter across
/// restarts. One JSON object per line; each record reaches the operating system before a
/// publish is answered, and the disk too when its owner syncs it (see JournalSyncer).
class EventJournal
{
public:
    EventJournal() = default;
    ~EventJournal();

    struct Contents
    {
        QList<EventPointer> events; ///< in id order
        quint64 lastId = 0; ///< the highest id of any readable event record, skipped ones included
        int skippedRecords = 0; ///< unreadable records (a write torn by a crash), and records out of order
        QList<int> skippedLines; ///< the line numbers of those, from 1, ascending
        int retractionRecords = 0; ///< records that retract an event
        int retractedEvents = 0; ///< events they took out, which are not in \a events
        int editRecords = 0; ///< records that hold a new version of an event, which \a events holds
        /// The Idempotency-Key of each event in \a events that was published with one -> its id.
        QHash<QByteArray, quint64> idempotencyKeys;
    };

    /// Opens (creating if needed) the journal in \a directory and reads what it holds.
    /// Returns false with \a errorMessage set when the folder or file cannot be used.
    /// A record that cannot be read is skipped, and so is one whose id is out of order with the
    /// others (a damaged id): of the readable events, the longest run whose ids increase in file
    /// order is kept. Either way each skip is logged with its line, and the records after it count.
    bool open(const QString &directory, Contents *contents, QString *errorMessage);
    bool isOpen() const { return m_file.isOpen(); }
    QString fileName() const { return m_file.fileName(); }
    /// The open file's descriptor, for syncing it; -1 when closed.
    int handle() const { return m_file.isOpen() ? m_file.handle() : -1; }

    /// Appends one record and hands it to the operating system before returning; or, without
    /// \a flush, keeps it for the next flush() (or the next write that flushes).
    bool append(const Event &event, QString *errorMessage, bool flush = true)
    {
        return append(event, QByteArray(), errorMessage, flush);
    }
    /// The same, for an event published with \a idempotencyKey, which the record keeps: a retry
    /// after a restart is still known as one while the event is retained.
    bool append(const Event &event, const QByteArray &idempotencyKey, QString *errorMessage, bool flush = true);
    /// Hands every record kept so far to the operating system, in one write. When the system
    /// refuses it, none of them is kept: what it took of them is cut off the file (at the next
    /// write, if not now), so a later record is whole and starts on its own line.
    bool flush(QString *errorMessage);
    /// Forgets the records kept for the next flush(): they never reach the file.
    void discardUnwritten();
    /// Appends a record that takes the event \a id out of history, for good (see append()).
    bool appendRetraction(quint64 id, QString *errorMessage, bool flush = true);
    /// Appends the new version \a edited of an event (its revision is not 0), which takes the
    /// earlier one's place when the journal is read, and through compaction (see append()).
    bool appendEdit(const Event &edited, QString *errorMessage, bool flush = true);

    /// Whether the file has grown to more than about twice what the history retains, and past
    /// 1 MiB: a smaller journal is cheaper to keep than to rewrite.
    bool needsCompaction(int retainedEvents, qint64 retainedBytes) const;
    /// Rewrites the journal to hold only the records of \a retainedIds (ascending), and the newest
    /// version of those that were edited, copied as they are, atomically: a crash leaves the old file or the new one.
    /// With \a durable, the new name is synced to the disk too, not only the new file's contents. False when it failed:
    /// the journal goes on with the old file, or with the new one once that has taken the name (and is closed if the
    /// new one cannot be opened).
    bool compact(const QList<quint64> &retainedIds, bool durable, QString *errorMessage);

    void close();

    /// The record format, shared with the reader so both stay in step.
    /// An Idempotency-Key is raw header bytes, kept byte for byte as a string of Latin-1 characters.
    static QByteArray encodeRecord(const Event &event, const QByteArray &idempotencyKey = {});
    /// encodeRecord() appended to \a into.
    static void appendRecord(QByteArray &into, const Event &event, QByteArrayView idempotencyKey = {});
    static EventPointer decodeRecord(QByteArrayView line, QByteArray *idempotencyKey = nullptr);
    static QByteArray encodeRetraction(quint64 id);
    /// The id a retraction record takes out, or 0 when \a line is not one.
    static quint64 decodeRetraction(QByteArrayView line);

private:
    struct ReadRecord;
    struct Reading;
    /// Every record of \a reader that can be read, counting and logging those that cannot.
    static Reading readRecords(QFile &reader, Contents *contents);
    /// Keeps the events of \a records whose ids run in order, less those a later retraction names.
    void keepInOrder(const QList<ReadRecord> &records, Contents *contents);
    bool write(const QByteArray &record, QString *errorMessage, bool flush = true);
    /// Cuts off what a refused write left after the record ending at \a end, if it left anything.
    bool cutTornBytes(qint64 end, QString *errorMessage);
    /// Forgets the records from \a offset on, which are not in the file.
    void forgetRecordsFrom(qint64 offset);

    /// Where one record lies in the file.
    struct Record
    {
        quint64 id;
        qint64 offset;
        qint64 length;
    };
    /// write() for the record of \a event, noted in \a index (m_records or m_edits).
    bool writeRecord(const Event &event, QByteArrayView idempotencyKey, std::deque<Record> &index,
                     QString *errorMessage, bool flush);

    QFile m_file;
    std::deque<Record> m_records; ///< written and unwritten alike
    std::deque<Record> m_edits; ///< the records of new versions of kept events, in file order
    QByteArray m_unwritten; ///< records kept for the next flush()
    qint64 m_size = 0; ///< of the file once m_unwritten is written
    bool m_hasTornBytes = false; ///< a refused write left bytes that could not be cut off yet
};
