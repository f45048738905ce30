#pragma once

#include "servicetypes.h"

#include <QWidget>

class ClientTableModel;
class QAction;
class QCheckBox;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

/// The clients table, one row per browser, with its filter and what can be done with a
/// selection: send to it, disconnect it, copy its details. It only asks; the window acts.
class ClientsPane : public QWidget
{
    Q_OBJECT

public:
    explicit ClientsPane(QWidget *parent = nullptr);

    /// The actions on the selection, for the window's menu: send to, disconnect, copy details.
    QList<QAction *> selectionActions() const;
    QStringList selectedClientIds() const;

    /// Brings the table in line with the service's open streams.
    void applySnapshot(const QList<StreamInfo> &streams);
    /// Shows these clients as disconnected by the operator, not as reconnecting.
    void markDisconnected(const QStringList &clientIds);
    /// Empties the table, for a stopped service.
    void clear();
    void focusFilter();
    /// Offers "All nodes" when this Herald is one of a cluster's.
    void setClustered(bool clustered);
    bool showsEveryNode() const;

Q_SIGNALS:
    void sendToSelectedRequested();
    void disconnectRequested(const QStringList &clientIds);
    void selectionChanged(int selectedClients);
    /// "All nodes" was switched: the table should list a cluster's streams on every node, or this one's.
    void everyNodeToggled(bool everyNode);

private:
    void copySelectedDetails();
    void updateSelectionActions();
    void showMenu(const QPoint &position);

    ClientTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QCheckBox *m_everyNode;
    QAction *m_sendToSelected;
    QAction *m_disconnect;
    QAction *m_copyDetails;
};
