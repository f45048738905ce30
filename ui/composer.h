#pragma once

#include "servicetypes.h"

#include <QPlainTextEdit>
#include <QStringList>
#include <QWidget>

class AttachmentBox;
class QCheckBox;
class QComboBox;
class QCompleter;
class QTextBrowser;
class QLabel;
class QLineEdit;
class QMimeData;
class QDragEnterEvent;
class QDropEvent;
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
    /// A file or a picture was pasted or dropped here: the composer attaches it.
    void fileOffered(const QMimeData *data);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    bool recallStep(int direction);

    QStringList m_recall;
    int m_recallIndex = -1; ///< the recalled message shown, or -1
};

/// What the operator types and where it goes: the text, an event type, a topic, and a target
/// (everyone, or the clients selected in the table); the message's title, priority, tags, click
/// URL and whether it is Markdown, with a live preview of it. It also edits an event sent
/// before: beginEdit() fills it with the event, and Send becomes Save.
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
    /// The title, priority, tags, click URL and Markdown switch as typed.
    MessageFields fields() const;
    /// The event being edited, or 0 when the composer sends new ones.
    quint64 editingId() const { return m_editingId; }
    /// Fills the composer with \a event to edit it: Send becomes Save until endEdit().
    void beginEdit(const PublishedEvent &event);
    /// Back to sending new events, with an empty box.
    void endEdit();
    /// The file the message carries, if any: attached with Attach…, dropped or pasted.
    AttachmentBox *attachment() const { return m_attachment; }
    /// The Markdown preview (shown while Markdown is on), for tests.
    QTextBrowser *preview() const { return m_preview; }
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
    QStringList knownTags() const;
    void setKnownValues(const QStringList &types, const QStringList &topics, const QStringList &messages,
                        const QStringList &tags = {});

Q_SIGNALS:
    void sendRequested();
    /// Schedule… was clicked: send it later.
    void scheduleRequested();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    static void addKnown(QStringListModel *model, const QString &value);
    void updatePreview();
    void setFieldsFrom(const MessageFields &fields);
    /// Whether the type, topic and target may change: not while an event is edited.
    void setRoutingEditable(bool editable);

    ComposerEdit *m_edit;
    QLineEdit *m_type;
    QLineEdit *m_topic;
    QComboBox *m_target;
    QPushButton *m_send;
    QPushButton *m_schedule;
    QPushButton *m_attach;
    AttachmentBox *m_attachment;
    QLabel *m_error;
    QStringListModel *m_types;
    QStringListModel *m_topics;
    QStringListModel *m_tagValues;
    QLineEdit *m_title;
    QComboBox *m_priority;
    QLineEdit *m_tags;
    QLineEdit *m_click;
    QCheckBox *m_markdown;
    QTextBrowser *m_preview;
    QLabel *m_editing;
    QPushButton *m_cancelEdit;
    quint64 m_editingId = 0;
};
