#include "clienttablemodel.h"

#include "useragent.h"

#include <QLocale>

namespace {

QString formatBytes(quint64 bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

ClientTableModel::ClientTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ClientTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ClientTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const StreamInfo &info = row.info;

    if (role == ClientIdRole)
        return info.clientId;
    if (role == Qt::TextAlignmentRole) {
        if (index.column() >= EventsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == BrowserColumn)
            return info.userAgent;
        if (index.column() == NameColumn)
            return info.clientId;
        if (index.column() == AddressColumn) {
            if (info.tlsProtocol.isEmpty())
                return tr("Over plain HTTP: not encrypted");
            return info.kernelTls ? tr("Over HTTPS (%1), encrypted by the kernel").arg(info.tlsProtocol)
                                  : tr("Over HTTPS (%1)").arg(info.tlsProtocol);
        }
        return {};
    }
    if (role == SortRole) {
        switch (index.column()) {
        case ConnectedColumn:
            return info.connectedAt;
        case EventsColumn:
            return info.eventsSent;
        case BytesColumn:
            return info.bytesSent;
        case QueuedColumn:
            return info.queuedBytes;
        case LastEventColumn:
            return info.lastEventId;
        case StateColumn:
            return int(row.state);
        default:
            role = Qt::DisplayRole;
        }
    }
    if (role != Qt::DisplayRole)
        return {};

    switch (index.column()) {
    case StateColumn:
        switch (row.state) {
        case State::Live:
            return row.connections > 1 ? tr("Live (%n tabs)", nullptr, row.connections) : tr("Live");
        case State::Reconnecting:
            return tr("Reconnecting");
        case State::Disconnected:
            return tr("Disconnected");
        }
        return {};
    case NameColumn:
        return info.name.isEmpty() ? info.clientId : info.name;
    case AddressColumn:
        // Which streams are encrypted: the address of one over HTTPS says so.
        return info.tlsProtocol.isEmpty() ? info.address.toString()
                                          : tr("%1 (%2)").arg(info.address.toString(), info.tlsProtocol);
    case BrowserColumn:
        return row.browser;
    case TopicsColumn:
        return info.topics.isEmpty() ? tr("all") : info.topics.join(QLatin1String(", "));
    case ConnectedColumn: {
        // Today's connections show the time only; older ones the date too.
        const QDateTime local = info.connectedAt.toLocalTime();
        if (local.date() == QDate::currentDate())
            return local.time().toString(QStringLiteral("HH:mm:ss"));
        return QLocale().toString(local, QLocale::ShortFormat);
    }
    case EventsColumn:
        return QLocale().toString(info.eventsSent);
    case BytesColumn:
        return formatBytes(info.bytesSent);
    case QueuedColumn:
        return formatBytes(info.queuedBytes);
    case LastEventColumn:
        return info.lastEventId ? QVariant(info.lastEventId) : QVariant(QString());
    }
    return {};
}

QVariant ClientTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StateColumn:
        return tr("State");
    case NameColumn:
        return tr("Name");
    case AddressColumn:
        return tr("Address");
    case BrowserColumn:
        return tr("Browser");
    case TopicsColumn:
        return tr("Topics");
    case ConnectedColumn:
        return tr("Connected since");
    case EventsColumn:
        return tr("Events sent");
    case BytesColumn:
        return tr("Bytes sent");
    case QueuedColumn:
        return tr("Queued");
    case LastEventColumn:
        return tr("Last event");
    }
    return {};
}

void ClientTableModel::applySnapshot(const QList<StreamInfo> &clients, const QDateTime &now)
{
    // Fold connections into one entry per client id.
    QHash<QString, Row> current;
    QStringList order;
    for (const StreamInfo &client : clients) {
        auto it = current.find(client.clientId);
        if (it == current.end()) {
            Row row;
            row.info = client;
            row.connections = 1;
            current.insert(client.clientId, row);
            order.append(client.clientId);
            continue;
        }
        StreamInfo &sum = it->info;
        sum.eventsSent += client.eventsSent;
        sum.bytesSent += client.bytesSent;
        sum.queuedBytes += client.queuedBytes;
        sum.lastEventId = qMax(sum.lastEventId, client.lastEventId);
        sum.connectedAt = qMin(sum.connectedAt, client.connectedAt);
        ++it->connections;
    }

    // Update what is there; note who went away.
    int firstChanged = -1;
    int lastChanged = -1;
    QList<int> expired;
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const auto found = current.constFind(row.info.clientId);
        if (found != current.cend()) {
            const QString previousAgent = row.info.userAgent;
            row.info = found->info;
            row.connections = found->connections;
            if (row.state != State::Live) {
                row.state = State::Live;
                row.stateSince = now;
            }
            if (row.browser.isEmpty() || previousAgent != row.info.userAgent)
                row.browser = describeUserAgent(row.info.userAgent);
            current.remove(row.info.clientId);
        } else {
            if (row.state == State::Live) {
                row.state = State::Reconnecting;
                row.stateSince = now;
                row.info.queuedBytes = 0;
                row.connections = 0;
            }
            const int keepFor = row.state == State::Disconnected ? m_disconnectedSeconds : m_reconnectingSeconds;
            if (row.stateSince.secsTo(now) >= keepFor)
                expired.append(i);
        }
        if (firstChanged < 0)
            firstChanged = i;
        lastChanged = i;
    }
    if (firstChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));

    removeRows(expired);

    // New clients, in one insertion.
    QList<Row> added;
    for (const QString &id : std::as_const(order)) {
        const auto found = current.constFind(id);
        if (found == current.cend())
            continue;
        Row row = *found;
        row.stateSince = now;
        row.browser = describeUserAgent(row.info.userAgent);
        added.append(row);
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        for (const Row &row : std::as_const(added)) {
            m_rowById.insert(row.info.clientId, int(m_rows.size()));
            m_rows.append(row);
        }
        endInsertRows();
    }
}

void ClientTableModel::markDisconnected(const QString &clientId)
{
    const int row = rowOf(clientId);
    if (row < 0)
        return;
    m_rows[row].state = State::Disconnected;
    m_rows[row].stateSince = QDateTime::currentDateTimeUtc();
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ClientTableModel::setRetention(int reconnectingSeconds, int disconnectedSeconds)
{
    m_reconnectingSeconds = reconnectingSeconds;
    m_disconnectedSeconds = disconnectedSeconds;
}

QString ClientTableModel::clientIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).info.clientId : QString();
}

ClientTableModel::State ClientTableModel::stateAt(int row) const
{
    return m_rows.at(row).state;
}

int ClientTableModel::rowOf(const QString &clientId) const
{
    return m_rowById.value(clientId, -1);
}

QString ClientTableModel::detailsAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    QStringList lines;
    for (int column = 0; column < ColumnCount; ++column) {
        lines.append(QStringLiteral("%1: %2").arg(headerData(column, Qt::Horizontal).toString(),
                                                  data(index(row, column)).toString()));
    }
    lines.append(tr("Client id: %1").arg(m_rows.at(row).info.clientId));
    lines.append(tr("User agent: %1").arg(m_rows.at(row).info.userAgent));
    return lines.join(u'\n');
}

void ClientTableModel::removeRows(const QList<int> &ascendingRows)
{
    if (ascendingRows.isEmpty())
        return;
    // Contiguous runs, last first, so earlier row numbers stay valid.
    qsizetype end = ascendingRows.size();
    while (end > 0) {
        qsizetype start = end - 1;
        while (start > 0 && ascendingRows.at(start - 1) == ascendingRows.at(start) - 1)
            --start;
        const int first = ascendingRows.at(start);
        const int last = ascendingRows.at(end - 1);
        beginRemoveRows(QModelIndex(), first, last);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
        end = start;
    }
    m_rowById.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowById.insert(m_rows.at(i).info.clientId, i);
}
