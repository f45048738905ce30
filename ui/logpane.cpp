#include "logpane.h"

#include "eventlogmodel.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace {
constexpr int FlushMilliseconds = 250;
}

LogPane::LogPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new EventLogModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_flushTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("logPane"));
    m_model->setObjectName(QStringLiteral("logModel"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setObjectName(QStringLiteral("eventLog"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Event log"));
    const int widths[] = {100, 60, 90, 90, 110, 70, 70, 90, 140};
    for (int column = 0; column < int(std::size(widths)); ++column)
        m_view->setColumnWidth(column, widths[column]);

    auto *filter = new QLineEdit(this);
    filter->setObjectName(QStringLiteral("logFilter"));
    filter->setPlaceholderText(tr("Search the log"));
    filter->setClearButtonEnabled(true);
    filter->setAccessibleName(tr("Search the log"));
    connect(filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    auto *exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setToolTip(tr("Save the log as JSON lines"));
    connect(exportButton, &QPushButton::clicked, this, &LogPane::exportLog);

    auto *top = new QHBoxLayout;
    top->addWidget(filter, 1);
    top->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    m_retract = new QAction(tr("&Retract"), this);
    m_retract->setObjectName(QStringLiteral("retractAction"));
    m_retract->setToolTip(tr("Take the selected events back: every page removes them, and replays leave them out"));
    connect(m_retract, &QAction::triggered, this, [this] {
        const QList<quint64> ids = selectedIds();
        if (!ids.isEmpty())
            Q_EMIT retractRequested(ids);
    });
    m_edit = new QAction(tr("&Edit…"), this);
    m_edit->setObjectName(QStringLiteral("editAction"));
    m_edit->setToolTip(tr("Change the event's text and fields: every page shows the new version in its place"));
    connect(m_edit, &QAction::triggered, this, [this] {
        const QList<quint64> ids = selectedIds();
        if (ids.size() == 1)
            Q_EMIT editRequested(m_model->eventAt(m_model->rowOf(ids.first())));
    });
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &LogPane::showMenu);

    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(FlushMilliseconds);
    connect(m_flushTimer, &QTimer::timeout, this, &LogPane::flush);
}

void LogPane::add(const PublishedEvent &event)
{
    m_pending.append(event);
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void LogPane::markRetracted(quint64 id)
{
    flush(); // the event may still wait in the batch
    m_model->markRetracted(id);
}

void LogPane::markEdited(const PublishedEvent &edited)
{
    flush();
    m_model->markEdited(edited);
}

QList<quint64> LogPane::selectedIds() const
{
    QList<quint64> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        const int row = m_proxy->mapToSource(index).row();
        if (!m_model->isRetracted(row))
            ids.append(m_model->eventAt(row).id);
    }
    return ids;
}

void LogPane::showMenu(const QPoint &position)
{
    if (selectedIds().isEmpty())
        return;
    QMenu menu(this);
    m_edit->setEnabled(selectedIds().size() == 1);
    menu.addAction(m_edit);
    menu.addAction(m_retract);
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

void LogPane::flush()
{
    if (m_pending.isEmpty())
        return;
    QScrollBar *scroll = m_view->verticalScrollBar();
    const bool atBottom = scroll->value() == scroll->maximum();
    m_model->append(m_pending);
    m_pending.clear();
    if (atBottom)
        m_view->scrollToBottom();
    Q_EMIT updated();
}

void LogPane::exportLog()
{
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Export Log"), QStringLiteral("herald-log.jsonl"),
                                                          tr("JSON lines (*.jsonl);;All files (*)"));
    if (fileName.isEmpty())
        return;
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || !m_model->exportJsonLines(&file) || !file.commit()) {
        QMessageBox::warning(this, tr("Export Log"),
                             tr("The log could not be saved to %1: %2").arg(fileName, file.errorString()));
        return;
    }
    Q_EMIT reported(tr("Saved %n events to %1", nullptr, m_model->rowCount()).arg(fileName));
}
