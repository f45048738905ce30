#include "scheduledialog.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace {

constexpr int SoonestSeconds = 10; // as a scheduled publish takes them
constexpr int LatestDays = 3;

} // namespace

ScheduleDialog::ScheduleDialog(const QDateTime &dueAt, const QString &text, QWidget *parent)
    : QDialog(parent)
    , m_when(new QDateTimeEdit(this))
{
    setWindowTitle(text.isNull() ? tr("Schedule the Message") : tr("Change the Scheduled Message"));
    const QDateTime now = QDateTime::currentDateTime();
    m_when->setObjectName(QStringLiteral("scheduleWhen"));
    m_when->setCalendarPopup(true);
    m_when->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_when->setDateTimeRange(now.addSecs(SoonestSeconds), now.addDays(LatestDays));
    m_when->setDateTime(dueAt);
    m_when->setToolTip(tr("From 10 seconds to 3 days from now, in this computer's time zone."));

    auto *form = new QFormLayout;
    form->addRow(tr("Goes out &at:"), m_when);
    if (!text.isNull()) {
        m_text = new QPlainTextEdit(text, this);
        m_text->setObjectName(QStringLiteral("scheduleText"));
        m_text->setTabChangesFocus(true);
        form->addRow(tr("&Message:"), m_text);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QDateTime ScheduleDialog::dueAt() const
{
    return m_when->dateTime();
}

QString ScheduleDialog::text() const
{
    return m_text ? m_text->toPlainText() : QString();
}
