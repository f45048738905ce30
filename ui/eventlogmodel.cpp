#include "eventlogmodel.h"

#include <QFont>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PublishedEvent &event = m_events.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == TextColumn)
        return event.data;
    if (role == Qt::TextAlignmentRole && (index.column() == IdColumn || index.column() == DeliveredColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && (m_retracted.contains(event.id) || event.revision > 0)) {
        QFont font;
        font.setStrikeOut(m_retracted.contains(event.id));
        font.setItalic(event.revision > 0);
        return font;
    }
    if (role == Qt::ToolTipRole && m_retracted.contains(event.id))
        return tr("Retracted: pages no longer show it, and replays leave it out");
    if (role == Qt::ToolTipRole && event.revision > 0)
        return tr("Edited %n time(s): pages show this version", nullptr, int(event.revision));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return QLocale().toString(event.publishedAt.toLocalTime().time(), QStringLiteral("HH:mm:ss.zzz"));
    case IdColumn:
        return event.id;
    case TypeColumn:
        return event.type.isEmpty() ? QStringLiteral("message") : event.type;
    case TopicColumn:
        return event.topic;
    case TargetColumn:
        return event.target.isEmpty() ? tr("everyone") : event.target;
    case DeliveredColumn:
        return event.queuedTo;
    case PriorityColumn:
        return priorityName(event.fields.priority);
    case TagsColumn:
        return event.fields.tags.join(QStringLiteral(", "));
    case TitleColumn:
        return event.fields.title;
    case TextColumn: {
        QString text = event.data.left(500);
        text.replace(u'\n', u' ');
        if (!event.fields.attachment.isEmpty())
            text += QStringLiteral("  📎 ") + event.fields.attachment.name;
        return text;
    }
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case IdColumn:
        return tr("Id");
    case TypeColumn:
        return tr("Type");
    case TopicColumn:
        return tr("Topic");
    case TargetColumn:
        return tr("Target");
    case DeliveredColumn:
        return tr("Delivered");
    case PriorityColumn:
        return tr("Priority");
    case TagsColumn:
        return tr("Tags");
    case TitleColumn:
        return tr("Title");
    case TextColumn:
        return tr("Text");
    }
    return {};
}

void EventLogModel::append(const QList<PublishedEvent> &events)
{
    if (events.isEmpty())
        return;
    const int first = int(m_events.size());
    beginInsertRows(QModelIndex(), first, first + int(events.size()) - 1);
    m_events.append(events);
    endInsertRows();

    const int excess = int(m_events.size()) - m_limit;
    if (excess > 0) {
        beginRemoveRows(QModelIndex(), 0, excess - 1);
        m_events.remove(0, excess);
        endRemoveRows();
    }
}

QString EventLogModel::priorityName(int priority)
{
    switch (priority) {
    case 1:
        return tr("min");
    case 2:
        return tr("low");
    case 4:
        return tr("high");
    case 5:
        return tr("urgent");
    default:
        return QString(); // the default priority says nothing
    }
}

int EventLogModel::rowOf(quint64 id) const
{
    for (int row = int(m_events.size()) - 1; row >= 0; --row) {
        if (m_events.at(row).id == id)
            return row;
    }
    return -1;
}

void EventLogModel::markEdited(const PublishedEvent &edited)
{
    const int row = rowOf(edited.id);
    if (row < 0)
        return;
    PublishedEvent &event = m_events[row];
    if (edited.revision <= event.revision)
        return;
    event.data = edited.data;
    event.fields = edited.fields;
    event.revision = edited.revision;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void EventLogModel::markRetracted(quint64 id)
{
    if (m_retracted.contains(id))
        return;
    m_retracted.insert(id);
    for (int row = int(m_events.size()) - 1; row >= 0; --row) {
        if (m_events.at(row).id == id) {
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::FontRole, Qt::ToolTipRole});
            return;
        }
    }
}

bool EventLogModel::exportJsonLines(QIODevice *device) const
{
    for (const PublishedEvent &event : m_events) {
        QJsonObject record{{QStringLiteral("id"), double(event.id)},
                           {QStringLiteral("time"), event.publishedAt.toUTC().toString(Qt::ISODateWithMs)},
                           {QStringLiteral("data"), event.data},
                           {QStringLiteral("delivered"), event.queuedTo},
                           {QStringLiteral("source"), event.origin}};
        if (m_retracted.contains(event.id))
            record.insert(QStringLiteral("retracted"), true);
        if (!event.type.isEmpty())
            record.insert(QStringLiteral("event"), event.type);
        if (!event.topic.isEmpty())
            record.insert(QStringLiteral("topic"), event.topic);
        if (!event.target.isEmpty())
            record.insert(QStringLiteral("to"), event.target);
        event.fields.addTo(record);
        if (event.revision)
            record.insert(QStringLiteral("revision"), double(event.revision));
        if (device->write(QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n') < 0)
            return false;
    }
    return true;
}
