#pragma once

#include "servicetypes.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSet>

class QIODevice;

/// Every event sent, from the composer or the HTTP API, newest last, with its message fields;
/// an edited event shows its newest version, in italics.
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        IdColumn,
        TypeColumn,
        TopicColumn,
        TargetColumn,
        DeliveredColumn,
        PriorityColumn,
        TagsColumn,
        TitleColumn,
        TextColumn,
        ColumnCount
    };

    explicit EventLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Appends events in one insertion; the oldest go once there are more than the limit.
    void append(const QList<PublishedEvent> &events);
    void setLimit(int rows) { m_limit = qMax(1, rows); }
    const PublishedEvent &eventAt(int row) const { return m_events.at(row); }
    /// Shows the event \a id as retracted: struck through, and so in the export.
    void markRetracted(quint64 id);
    bool isRetracted(int row) const { return m_retracted.contains(m_events.at(row).id); }
    /// Shows \a edited, a new version of an event in the log, in its row, marked edited.
    void markEdited(const PublishedEvent &edited);
    bool isEdited(int row) const { return m_events.at(row).revision > 0; }
    /// The row of the event \a id, or -1.
    int rowOf(quint64 id) const;

    /// Writes every event as one JSON object per line. Returns false on a write error.
    bool exportJsonLines(QIODevice *device) const;

    /// How the log names \a priority: min, low, high or urgent, and nothing for the default.
    static QString priorityName(int priority);

private:
    QList<PublishedEvent> m_events;
    QSet<quint64> m_retracted;
    int m_limit = 100000;
};
