#pragma once

#include <QDateTime>
#include <QDialog>

class QDateTimeEdit;
class QPlainTextEdit;

/// Asks when a message goes out (10 seconds to 3 days from now, as a scheduled publish may), and,
/// when it changes one that waits, its new text too.
class ScheduleDialog : public QDialog
{
    Q_OBJECT

public:
    /// The time shown first: \a dueAt, kept within the bounds. With a non-null \a text, the dialog
    /// edits a scheduled message's text as well.
    ScheduleDialog(const QDateTime &dueAt, const QString &text, QWidget *parent = nullptr);

    QDateTime dueAt() const;
    QString text() const;

private:
    QDateTimeEdit *m_when;
    QPlainTextEdit *m_text = nullptr;
};
