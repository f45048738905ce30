#pragma once

#include "servicetypes.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

/// The connected browsers, one row per client id, so a browser that reconnects stays one row.
///
/// It is fed whole snapshots of the service's client list (a few times a second at most), and
/// turns each into a handful of model signals: new rows in one insertion, every changed cell
/// in one dataChanged, never a reset. A client that drops off shows as "reconnecting" for a
/// while before its row goes.
class ClientTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        StateColumn,
        NameColumn,
        AddressColumn,
        BrowserColumn,
        TopicsColumn,
        ConnectedColumn,
        EventsColumn,
        BytesColumn,
        QueuedColumn,
        LastEventColumn,
        ColumnCount
    };
    enum class State { Live, Reconnecting, Disconnected };
    enum Role { ClientIdRole = Qt::UserRole + 1, SortRole };

    explicit ClientTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Brings the rows in line with \a clients, the service's current connections.
    void applySnapshot(const QList<StreamInfo> &clients, const QDateTime &now = QDateTime::currentDateTimeUtc());
    /// Marks a client the operator disconnected, so it is not shown as reconnecting.
    void markDisconnected(const QString &clientId);
    /// How long a client may stay away before its row goes.
    void setRetention(int reconnectingSeconds, int disconnectedSeconds);

    QString clientIdAt(int row) const;
    State stateAt(int row) const;
    int rowOf(const QString &clientId) const;
    /// A plain-text description of a row, for "Copy details".
    QString detailsAt(int row) const;

private:
    struct Row
    {
        StreamInfo info; ///< counters summed over the client's connections
        int connections = 0;
        State state = State::Live;
        QDateTime stateSince;
        QString browser;
    };

    void removeRows(const QList<int> &ascendingRows);

    QList<Row> m_rows;
    QHash<QString, int> m_rowById;
    int m_reconnectingSeconds = 60;
    int m_disconnectedSeconds = 10;
};
