#pragma once

#include "messageschedule.h"

#include <QWidget>

class QPushButton;
class QTimer;
class QTreeWidget;

/// The messages that wait for their time, the soonest first, each with a countdown, and the
/// buttons that change one (its time and text) or cancel it.
class ScheduledPane : public QWidget
{
    Q_OBJECT

public:
    explicit ScheduledPane(QWidget *parent = nullptr);

    /// Shows \a messages, as the service has them now.
    void setMessages(const QList<ScheduledMessage> &messages);
    QTreeWidget *list() const { return m_list; }

    /// How long until \a ms from now, as the list says it: "in 4 min 12 s", "in 2 h 5 min".
    static QString countdown(qint64 ms);

Q_SIGNALS:
    void cancelRequested(const QString &id);
    void changeRequested(const QString &id, const QString &data, qint64 dueAtMs);

private:
    void updateCountdowns();
    void changeSelected();
    void cancelSelected();
    /// The message of the selected row, or null.
    const ScheduledMessage *selected() const;

    QTreeWidget *m_list;
    QPushButton *m_change;
    QPushButton *m_cancel;
    QTimer *m_tick;
    QList<ScheduledMessage> m_messages;
};
