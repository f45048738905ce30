#pragma once

#include <QPlainTextEdit>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QCompleter;
class QLabel;
class QLineEdit;
class QPushButton;
class QStringListModel;

/// The message box: Ctrl+Enter sends, and Up or Down in an empty box recall earlier messages.
class ComposerEdit : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit ComposerEdit(QWidget *parent = nullptr);

    /// Remembers a sent message for recall, newest last.
    void remember(const QString &message);
    const QStringList &recall() const { return m_recall; }

Q_SIGNALS:
    void sendRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    bool recallStep(int direction);

    QStringList m_recall;
    int m_recallIndex = -1; ///< the recalled message shown, or -1
};

/// What the operator types and where it goes: the text, an event type, a topic, and a target
/// (everyone, or the clients selected in the table).
class Composer : public QWidget
{
    Q_OBJECT

public:
    enum class Target { Everyone, SelectedClients };

    explicit Composer(QWidget *parent = nullptr);

    ComposerEdit *editor() const { return m_edit; }
    QString text() const;
    QString eventType() const;
    QString topic() const;
    Target target() const;
    void setTarget(Target target);
    /// Shown next to "Selected clients", so the operator sees who will get it.
    void setSelectedCount(int count);

    /// After a send was accepted: empties the box and remembers the values for completion.
    void acceptSent();
    /// Shows why a send was refused, next to the Send button.
    void showError(const QString &message);
    void clearError();

    QStringList knownTypes() const;
    QStringList knownTopics() const;
    void setKnownValues(const QStringList &types, const QStringList &topics, const QStringList &messages);

Q_SIGNALS:
    void sendRequested();

private:
    static void addKnown(QStringListModel *model, const QString &value);

    ComposerEdit *m_edit;
    QLineEdit *m_type;
    QLineEdit *m_topic;
    QComboBox *m_target;
    QPushButton *m_send;
    QLabel *m_error;
    QStringListModel *m_types;
    QStringListModel *m_topics;
};
