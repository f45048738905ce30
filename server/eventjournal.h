#pragma once

#include "event.h"

#include <QFile>
#include <QList>
#include <QString>

/// The append-only file in the data folder that keeps history and the id counter across
/// restarts. One JSON object per line; each record is written out before a publish is answered.
class EventJournal
{
public:
    EventJournal() = default;
    ~EventJournal();

    struct Contents
    {
        QList<EventPointer> events; ///< in id order
        quint64 lastId = 0;
        int skippedRecords = 0; ///< unreadable records, such as a write torn by a crash
    };

    /// Opens (creating if needed) the journal in \a directory and reads what it holds.
    /// Returns false with \a errorMessage set when the folder or file cannot be used.
    bool open(const QString &directory, Contents *contents, QString *errorMessage);
    bool isOpen() const { return m_file.isOpen(); }
    QString fileName() const { return m_file.fileName(); }

    /// Appends one record and hands it to the operating system before returning.
    bool append(const Event &event, QString *errorMessage);

    /// Whether the journal has grown to more than twice \a capacity records (plus some slack).
    bool needsCompaction(int capacity) const;
    /// Rewrites the journal to hold only \a retained, atomically (a crash leaves the old file).
    bool compact(const QList<EventPointer> &retained, QString *errorMessage);

    void close();

    /// The record format, shared with the reader so both stay in step.
    static QByteArray encodeRecord(const Event &event);
    static EventPointer decodeRecord(QByteArrayView line);

private:
    QFile m_file;
    int m_records = 0;
};
