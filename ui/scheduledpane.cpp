#include "scheduledpane.h"

#include "scheduledialog.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

enum Column { TimeColumn, CountdownColumn, TopicColumn, TextColumn };

} // namespace

ScheduledPane::ScheduledPane(QWidget *parent)
    : QWidget(parent)
    , m_list(new QTreeWidget(this))
    , m_change(new QPushButton(tr("C&hange…"), this))
    , m_cancel(new QPushButton(tr("Cancel &Message"), this))
    , m_tick(new QTimer(this))
{
    m_list->setObjectName(QStringLiteral("scheduledList"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Goes out at"), tr("In"), tr("Topic"), tr("Message")});
    m_list->header()->setStretchLastSection(true);
    m_list->setAccessibleName(tr("Scheduled messages"));
    m_change->setObjectName(QStringLiteral("scheduledChange"));
    m_cancel->setObjectName(QStringLiteral("scheduledCancel"));
    m_change->setEnabled(false);
    m_cancel->setEnabled(false);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_change);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);

    connect(m_list, &QTreeWidget::itemSelectionChanged, this, [this] {
        m_change->setEnabled(selected());
        m_cancel->setEnabled(selected());
    });
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &ScheduledPane::changeSelected);
    connect(m_change, &QPushButton::clicked, this, &ScheduledPane::changeSelected);
    connect(m_cancel, &QPushButton::clicked, this, &ScheduledPane::cancelSelected);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &ScheduledPane::updateCountdowns);
}

void ScheduledPane::setMessages(const QList<ScheduledMessage> &messages)
{
    const QString kept = selected() ? selected()->id : QString();
    m_messages = messages;
    m_list->clear();
    for (const ScheduledMessage &message : messages) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setData(TimeColumn, Qt::UserRole, message.id);
        item->setText(TimeColumn,
                      QLocale().toString(QDateTime::fromMSecsSinceEpoch(message.dueAtMs), QLocale::ShortFormat));
        item->setText(TopicColumn, message.request.topic);
        QString text = QString::fromUtf8(message.request.data).left(200);
        text.replace(u'\n', u' ');
        if (!message.request.fields.attachment.isEmpty())
            text += QStringLiteral("  📎 ") + message.request.fields.attachment.name;
        item->setText(TextColumn, text);
        if (message.id == kept)
            item->setSelected(true);
    }
    updateCountdowns();
    if (messages.isEmpty())
        m_tick->stop();
    else if (!m_tick->isActive())
        m_tick->start();
}

QString ScheduledPane::countdown(qint64 ms)
{
    const qint64 seconds = qMax<qint64>(0, (ms + 999) / 1000);
    if (seconds == 0)
        return tr("now");
    if (seconds < 60)
        return tr("in %1 s").arg(seconds);
    if (seconds < 3600)
        return tr("in %1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 86400)
        return tr("in %1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return tr("in %1 d %2 h").arg(seconds / 86400).arg(seconds % 86400 / 3600);
}

void ScheduledPane::updateCountdowns()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int row = 0; row < m_list->topLevelItemCount() && row < m_messages.size(); ++row)
        m_list->topLevelItem(row)->setText(CountdownColumn, countdown(m_messages.at(row).dueAtMs - now));
}

const ScheduledMessage *ScheduledPane::selected() const
{
    const QList<QTreeWidgetItem *> items = m_list->selectedItems();
    if (items.isEmpty())
        return nullptr;
    const QString id = items.constFirst()->data(TimeColumn, Qt::UserRole).toString();
    for (const ScheduledMessage &message : m_messages) {
        if (message.id == id)
            return &message;
    }
    return nullptr;
}

void ScheduledPane::changeSelected()
{
    const ScheduledMessage *message = selected();
    if (!message)
        return;
    const ScheduledMessage chosen = *message;
    ScheduleDialog dialog(QDateTime::fromMSecsSinceEpoch(chosen.dueAtMs), QString::fromUtf8(chosen.request.data), this);
    if (dialog.exec() == QDialog::Accepted)
        Q_EMIT changeRequested(chosen.id, dialog.text(), dialog.dueAt().toMSecsSinceEpoch());
}

void ScheduledPane::cancelSelected()
{
    if (const ScheduledMessage *message = selected())
        Q_EMIT cancelRequested(message->id);
}
