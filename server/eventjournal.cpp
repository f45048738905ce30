#include "eventjournal.h"

#include "eventstreamencoder.h"
#include "logging.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace {
constexpr int CompactionSlack = 64;
const QString JournalFileName = QStringLiteral("history.jsonl");
} // namespace

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
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append)) {
        *errorMessage = QStringLiteral("cannot open %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }

    m_file.seek(0);
    m_records = 0;
    bool lastLineComplete = true;
    while (!m_file.atEnd()) {
        const QByteArray line = m_file.readLine();
        lastLineComplete = line.endsWith('\n');
        const QByteArray trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        ++m_records;
        EventPointer event = decodeRecord(trimmed);
        if (!event || event->id <= contents->lastId) {
            ++contents->skippedRecords;
            qCWarning(lcJournal, "skipped an unreadable record in %s (line %d)",
                      qPrintable(m_file.fileName()), m_records);
            continue;
        }
        contents->lastId = event->id;
        contents->events.append(std::move(event));
    }
    // A record torn by a crash has no newline; start the next one on a fresh line.
    if (!lastLineComplete)
        m_file.write("\n");
    m_file.seek(m_file.size());
    return true;
}

bool EventJournal::append(const Event &event, QString *errorMessage)
{
    if (!m_file.isOpen())
        return false;
    const QByteArray record = encodeRecord(event);
    if (m_file.write(record) != record.size() || !m_file.flush()) {
        *errorMessage = QStringLiteral("cannot write to %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    ++m_records;
    return true;
}

bool EventJournal::needsCompaction(int capacity) const
{
    return m_file.isOpen() && m_records > 2 * capacity + CompactionSlack;
}

bool EventJournal::compact(const QList<EventPointer> &retained, QString *errorMessage)
{
    QSaveFile compacted(m_file.fileName());
    if (!compacted.open(QIODevice::WriteOnly)) {
        *errorMessage = QStringLiteral("cannot compact %1: %2").arg(m_file.fileName(), compacted.errorString());
        return false;
    }
    for (const EventPointer &event : retained)
        compacted.write(encodeRecord(*event));
    if (!compacted.commit()) {
        *errorMessage = QStringLiteral("cannot compact %1: %2").arg(m_file.fileName(), compacted.errorString());
        return false;
    }

    const QString fileName = m_file.fileName();
    m_file.close();
    m_file.setFileName(fileName);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append)) {
        *errorMessage = QStringLiteral("cannot reopen %1: %2").arg(fileName, m_file.errorString());
        return false;
    }
    m_records = int(retained.size());
    return true;
}

void EventJournal::close()
{
    if (m_file.isOpen()) {
        m_file.flush();
        m_file.close();
    }
}

QByteArray EventJournal::encodeRecord(const Event &event)
{
    QJsonObject record{
        {QStringLiteral("id"), QString::number(event.id)},
        {QStringLiteral("time"), double(event.publishedAtMs)},
        {QStringLiteral("data"), event.data},
    };
    if (!event.type.isEmpty())
        record.insert(QStringLiteral("event"), event.type);
    if (!event.topic.isEmpty())
        record.insert(QStringLiteral("topic"), event.topic);
    if (!event.target.isEmpty())
        record.insert(QStringLiteral("to"), event.target);
    return QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
}

EventPointer EventJournal::decodeRecord(QByteArrayView line)
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
    if (!idOk || id == 0 || !data.isString() || !EventStreamEncoder::isValidFieldValue(type)
        || !EventStreamEncoder::isValidFieldValue(topic) || !EventStreamEncoder::isValidFieldValue(target))
        return {};
    // A time out of range (a damaged record) must not overflow the conversion.
    const double time = record.value(QStringLiteral("time")).toDouble();
    const qint64 publishedAtMs = time >= 0 && time < 9.0e15 ? qint64(time) : 0;
    return Event::create(id, type, topic, target, data.toString(), publishedAtMs);
}
