#include "clientspane.h"

#include "clienttablemodel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

ClientsPane::ClientsPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new ClientTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_everyNode(new QCheckBox(tr("All &nodes"), this))
{
    setObjectName(QStringLiteral("clientsPane"));
    m_model->setObjectName(QStringLiteral("clientModel"));

    m_sendToSelected = new QAction(tr("Send to &Selected Clients…"), this);
    m_sendToSelected->setObjectName(QStringLiteral("sendToSelectedAction"));
    m_sendToSelected->setToolTip(tr("Address the next message to the selected clients only"));
    connect(m_sendToSelected, &QAction::triggered, this, &ClientsPane::sendToSelectedRequested);
    m_disconnect = new QAction(tr("&Disconnect"), this);
    m_disconnect->setObjectName(QStringLiteral("disconnectAction"));
    m_disconnect->setShortcut(QKeySequence::Delete);
    m_disconnect->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_disconnect->setToolTip(tr("Disconnect the selected clients; their pages say so and do not reconnect"));
    connect(m_disconnect, &QAction::triggered, this, [this] {
        const QStringList ids = selectedClientIds();
        if (!ids.isEmpty())
            Q_EMIT disconnectRequested(ids);
    });
    m_copyDetails = new QAction(tr("&Copy Details"), this);
    m_copyDetails->setObjectName(QStringLiteral("copyDetailsAction"));
    m_copyDetails->setShortcut(QKeySequence::Copy);
    m_copyDetails->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyDetails, &QAction::triggered, this, &ClientsPane::copySelectedDetails);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ClientTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setObjectName(QStringLiteral("clientTable"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ClientTableModel::ConnectedColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionsMovable(true);
    m_view->setAccessibleName(tr("Connected clients"));
    m_view->addActions(selectionActions());
    const int widths[] = {110, 150, 120, 170, 90, 140, 80, 80, 70};
    for (int column = 0; column < int(std::size(widths)); ++column)
        m_view->setColumnWidth(column, widths[column]);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ClientsPane::showMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ClientsPane::updateSelectionActions);

    m_filter->setObjectName(QStringLiteral("clientFilter"));
    m_filter->setPlaceholderText(tr("Filter clients by name, address, browser or topic"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter clients"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_everyNode->setObjectName(QStringLiteral("allNodes"));
    m_everyNode->setToolTip(tr("List the clients of every Herald in the cluster, not only this one's"));
    m_everyNode->hide();
    connect(m_everyNode, &QCheckBox::toggled, this, &ClientsPane::everyNodeToggled);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("<b>Clients</b>"), this));
    top->addWidget(m_filter, 1);
    top->addWidget(m_everyNode);
    for (QAction *action : selectionActions()) {
        auto *button = new QPushButton(action->text().remove(u'&').remove(QStringLiteral("…")), this);
        button->setToolTip(action->toolTip());
        button->setEnabled(false);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        connect(action, &QAction::changed, button, [button, action] { button->setEnabled(action->isEnabled()); });
        top->addWidget(button);
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    updateSelectionActions();
}

QList<QAction *> ClientsPane::selectionActions() const
{
    return {m_sendToSelected, m_disconnect, m_copyDetails};
}

QStringList ClientsPane::selectedClientIds() const
{
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        const QString id = m_model->clientIdAt(m_proxy->mapToSource(index).row());
        if (!id.isEmpty() && !ids.contains(id))
            ids.append(id);
    }
    return ids;
}

void ClientsPane::applySnapshot(const QList<StreamInfo> &streams)
{
    m_model->applySnapshot(streams);
}

void ClientsPane::markDisconnected(const QStringList &clientIds)
{
    for (const QString &id : clientIds)
        m_model->markDisconnected(id);
}

void ClientsPane::clear()
{
    m_model->applySnapshot({});
}

void ClientsPane::focusFilter()
{
    m_filter->setFocus();
}

void ClientsPane::setClustered(bool clustered)
{
    m_everyNode->setVisible(clustered);
    if (!clustered)
        m_everyNode->setChecked(false);
}

bool ClientsPane::showsEveryNode() const
{
    return m_everyNode->isChecked();
}

void ClientsPane::copySelectedDetails()
{
    QStringList details;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        details.append(m_model->detailsAt(m_proxy->mapToSource(index).row()));
    if (!details.isEmpty())
        QApplication::clipboard()->setText(details.join(QLatin1String("\n\n")));
}

void ClientsPane::updateSelectionActions()
{
    const int selected = int(m_view->selectionModel()->selectedRows().size());
    for (QAction *action : selectionActions())
        action->setEnabled(selected > 0);
    Q_EMIT selectionChanged(selected);
}

void ClientsPane::showMenu(const QPoint &position)
{
    if (m_view->selectionModel()->selectedRows().isEmpty())
        return;
    QMenu menu(this);
    menu.addActions(selectionActions());
    menu.exec(m_view->viewport()->mapToGlobal(position));
}
