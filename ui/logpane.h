#pragma once

#include "servicetypes.h"

#include <QWidget>

class EventLogModel;
class QAction;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

/// The log of every event sent, from the window or the HTTP API: searchable, exportable as
/// JSON lines, and filled a few times a second in batches, so a burst never floods the window.
class LogPane : public QWidget
{
    Q_OBJECT

public:
    explicit LogPane(QWidget *parent = nullptr);

    /// Queues \a event for the next batch.
    void add(const PublishedEvent &event);
    /// Shows the event \a id as retracted.
    void markRetracted(quint64 id);
    /// Shows \a edited in its event's row, marked edited.
    void markEdited(const PublishedEvent &edited);
    /// The ids of the selected events.
    QList<quint64> selectedIds() const;

public Q_SLOTS:
    /// Asks for a file and saves the log there.
    void exportLog();

Q_SIGNALS:
    /// A batch of events reached the log (tests wait on it).
    void updated();
    /// A short report for the status bar.
    void reported(const QString &message);
    /// The operator asked to take these events back.
    void retractRequested(const QList<quint64> &ids);
    /// The operator asked to edit this event.
    void editRequested(const PublishedEvent &event);

private:
    void flush();
    void showMenu(const QPoint &position);

    EventLogModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QTimer *m_flushTimer;
    QAction *m_retract;
    QAction *m_edit;
    QList<PublishedEvent> m_pending;
};
