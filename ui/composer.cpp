#include "composer.h"

#include "attachmentbox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QStringListModel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace {

constexpr int RecallLimit = 100;
constexpr int KnownValuesLimit = 50;

} // namespace

ComposerEdit::ComposerEdit(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setPlaceholderText(tr("Type a message. Ctrl+Enter sends it; Up recalls earlier ones."));
    setAccessibleName(tr("Message"));
}

void ComposerEdit::remember(const QString &message)
{
    if (message.isEmpty())
        return;
    m_recall.removeAll(message);
    m_recall.append(message);
    while (m_recall.size() > RecallLimit)
        m_recall.removeFirst();
    m_recallIndex = -1;
}

void ComposerEdit::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && (event->modifiers() & Qt::ControlModifier)) {
        Q_EMIT sendRequested();
        return;
    }
    if (event->modifiers() == Qt::NoModifier) {
        if (event->key() == Qt::Key_Up && recallStep(-1))
            return;
        if (event->key() == Qt::Key_Down && recallStep(+1))
            return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

bool ComposerEdit::canInsertFromMimeData(const QMimeData *source) const
{
    return AttachmentBox::canAttach(source) || QPlainTextEdit::canInsertFromMimeData(source);
}

void ComposerEdit::insertFromMimeData(const QMimeData *source)
{
    // A picture or a file becomes the message's attachment; text stays text.
    if (AttachmentBox::canAttach(source) && !(source->hasText() && source->urls().isEmpty()))
        Q_EMIT fileOffered(source);
    else
        QPlainTextEdit::insertFromMimeData(source);
}

bool ComposerEdit::recallStep(int direction)
{
    // Recall works in an empty box, and keeps working while the recalled text is untouched.
    const QString current = toPlainText();
    const bool browsing
        = m_recallIndex >= 0 && m_recallIndex < m_recall.size() && current == m_recall.at(m_recallIndex);
    if (!browsing && !current.isEmpty())
        return false;
    if (!browsing)
        m_recallIndex = int(m_recall.size());

    const int next = m_recallIndex + direction;
    if (next < 0 || m_recall.isEmpty())
        return browsing; // already at the oldest: stay
    if (next >= m_recall.size()) {
        m_recallIndex = -1;
        clear();
        return true;
    }
    m_recallIndex = next;
    setPlainText(m_recall.at(next));
    moveCursor(QTextCursor::End);
    return true;
}

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_edit(new ComposerEdit(this))
    , m_type(new QLineEdit(this))
    , m_topic(new QLineEdit(this))
    , m_target(new QComboBox(this))
    , m_send(new QPushButton(tr("&Send"), this))
    , m_schedule(new QPushButton(tr("Sc&hedule…"), this))
    , m_attach(new QPushButton(tr("&Attach…"), this))
    , m_attachment(new AttachmentBox(this))
    , m_error(new QLabel(this))
    , m_types(new QStringListModel(this))
    , m_topics(new QStringListModel(this))
    , m_tagValues(new QStringListModel(this))
    , m_title(new QLineEdit(this))
    , m_priority(new QComboBox(this))
    , m_tags(new QLineEdit(this))
    , m_click(new QLineEdit(this))
    , m_markdown(new QCheckBox(tr("&Markdown"), this))
    , m_preview(new QTextBrowser(this))
    , m_editing(new QLabel(this))
    , m_cancelEdit(new QPushButton(tr("Cancel"), this))
{
    m_title->setObjectName(QStringLiteral("composerTitle"));
    m_title->setPlaceholderText(tr("no title"));
    m_title->setAccessibleName(tr("Title"));
    m_title->setMaxLength(int(MessageFields::MaxTitleLength));
    m_priority->setObjectName(QStringLiteral("composerPriority"));
    m_priority->setAccessibleName(tr("Priority"));
    m_priority->setToolTip(tr("Urgent messages are red on every page and always sound; min and low are muted."));
    for (const QString &name : {tr("min"), tr("low"), tr("default"), tr("high"), tr("urgent")})
        m_priority->addItem(name);
    m_priority->setCurrentIndex(MessageFields::DefaultPriority - 1);
    m_tags->setObjectName(QStringLiteral("composerTags"));
    m_tags->setPlaceholderText(tr("warning, tada"));
    m_tags->setToolTip(tr("Comma-separated; a tag that names an emoji (warning, tada, skull) shows as it."));
    m_tags->setAccessibleName(tr("Tags"));
    m_tags->setCompleter(new QCompleter(m_tagValues, m_tags));
    m_tags->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_click->setObjectName(QStringLiteral("composerClick"));
    m_click->setPlaceholderText(QStringLiteral("https://"));
    m_click->setToolTip(tr("An http, https or mailto address that the message opens when tapped."));
    m_click->setAccessibleName(tr("Click URL"));
    m_markdown->setObjectName(QStringLiteral("composerMarkdown"));
    m_markdown->setToolTip(tr("Pages render the text as Markdown; raw HTML stays text."));
    m_preview->setObjectName(QStringLiteral("composerPreview"));
    m_preview->setAccessibleName(tr("Markdown preview"));
    m_preview->setOpenLinks(false);
    m_preview->hide();
    m_editing->setObjectName(QStringLiteral("composerEditing"));
    m_editing->hide();
    m_cancelEdit->setObjectName(QStringLiteral("composerCancelEdit"));
    m_cancelEdit->hide();

    m_type->setObjectName(QStringLiteral("composerType"));
    m_topic->setObjectName(QStringLiteral("composerTopic"));
    m_type->setPlaceholderText(QStringLiteral("message"));
    m_type->setToolTip(tr("The event type browsers receive; empty is the default \"message\"."));
    m_type->setAccessibleName(tr("Event type"));
    m_type->setCompleter(new QCompleter(m_types, m_type));
    m_topic->setPlaceholderText(tr("every client"));
    m_topic->setToolTip(tr("Only clients subscribed to this topic, or to every topic, receive the event."));
    m_topic->setAccessibleName(tr("Topic"));
    m_topic->setCompleter(new QCompleter(m_topics, m_topic));
    for (QLineEdit *field : {m_type, m_topic})
        field->completer()->setCaseSensitivity(Qt::CaseInsensitive);

    m_target->addItem(tr("Everyone"));
    m_target->addItem(tr("Selected clients"));
    m_target->setAccessibleName(tr("Send to"));

    m_schedule->setObjectName(QStringLiteral("composerSchedule"));
    m_schedule->setToolTip(tr("Send it later: from 10 seconds to 3 days from now"));
    m_attach->setObjectName(QStringLiteral("composerAttach"));
    m_attach->setToolTip(tr("A picture or a file for the message; you can also drop one here, or paste a picture"));
    m_attachment->setObjectName(QStringLiteral("composerAttachment"));
    setAcceptDrops(true);
    m_send->setDefault(false);
    m_send->setToolTip(tr("Send (Ctrl+Enter)"));
    m_error->setObjectName(QStringLiteral("composerError"));
    m_error->setStyleSheet(QStringLiteral("color: #c62828; font-weight: 600"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto *options = new QHBoxLayout;
    auto *typeLabel = new QLabel(tr("&Type:"), this);
    typeLabel->setBuddy(m_type);
    auto *topicLabel = new QLabel(tr("T&opic:"), this);
    topicLabel->setBuddy(m_topic);
    auto *targetLabel = new QLabel(tr("T&o:"), this);
    targetLabel->setBuddy(m_target);
    options->addWidget(typeLabel);
    options->addWidget(m_type, 2);
    options->addWidget(topicLabel);
    options->addWidget(m_topic, 2);
    options->addWidget(targetLabel);
    options->addWidget(m_target, 2);
    options->addWidget(m_attach);
    options->addWidget(m_schedule);
    options->addWidget(m_send);

    auto *message = new QHBoxLayout;
    auto *titleLabel = new QLabel(tr("T&itle:"), this);
    titleLabel->setBuddy(m_title);
    auto *priorityLabel = new QLabel(tr("&Priority:"), this);
    priorityLabel->setBuddy(m_priority);
    auto *tagsLabel = new QLabel(tr("Ta&gs:"), this);
    tagsLabel->setBuddy(m_tags);
    auto *clickLabel = new QLabel(tr("&Click:"), this);
    clickLabel->setBuddy(m_click);
    message->addWidget(titleLabel);
    message->addWidget(m_title, 3);
    message->addWidget(priorityLabel);
    message->addWidget(m_priority, 1);
    message->addWidget(tagsLabel);
    message->addWidget(m_tags, 2);
    message->addWidget(clickLabel);
    message->addWidget(m_click, 2);
    message->addWidget(m_markdown);

    auto *texts = new QHBoxLayout;
    texts->addWidget(m_edit, 1);
    texts->addWidget(m_preview, 1);
    auto *editing = new QHBoxLayout;
    editing->addWidget(m_editing, 1);
    editing->addWidget(m_cancelEdit);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(editing);
    layout->addLayout(texts, 1);
    layout->addWidget(m_attachment);
    layout->addLayout(message);
    layout->addLayout(options);
    layout->addWidget(m_error);

    connect(m_edit, &ComposerEdit::sendRequested, this, &Composer::sendRequested);
    connect(m_send, &QPushButton::clicked, this, &Composer::sendRequested);
    connect(m_schedule, &QPushButton::clicked, this, &Composer::scheduleRequested);
    connect(m_attach, &QPushButton::clicked, m_attachment, &AttachmentBox::chooseFile);
    connect(m_edit, &ComposerEdit::fileOffered, this, [this](const QMimeData *data) {
        if (!m_editingId) // an edit keeps the event's file
            m_attachment->attachFrom(data);
    });
    connect(m_attachment, &AttachmentBox::refused, this, &Composer::showError);
    connect(m_attachment, &AttachmentBox::changed, this, &Composer::clearError);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &Composer::clearError);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &Composer::updatePreview);
    connect(m_markdown, &QCheckBox::toggled, this, &Composer::updatePreview);
    connect(m_cancelEdit, &QPushButton::clicked, this, &Composer::endEdit);
    setFocusProxy(m_edit);
}

MessageFields Composer::fields() const
{
    MessageFields fields;
    fields.title = m_title->text().trimmed();
    fields.priority = m_priority->currentIndex() + 1;
    fields.tags = MessageFields::tagsFrom(m_tags->text());
    fields.click = m_click->text().trimmed();
    fields.markdown = m_markdown->isChecked();
    return fields;
}

void Composer::setFieldsFrom(const MessageFields &fields)
{
    m_title->setText(fields.title);
    m_priority->setCurrentIndex(qBound(MessageFields::MinPriority, fields.priority, MessageFields::MaxPriority) - 1);
    m_tags->setText(fields.tags.join(QStringLiteral(", ")));
    m_click->setText(fields.click);
    m_markdown->setChecked(fields.markdown);
}

void Composer::updatePreview()
{
    // Qt's own Markdown reader (md4c), with raw HTML left as text, as the pages show it.
    m_preview->setVisible(m_markdown->isChecked());
    if (m_markdown->isChecked())
        m_preview->document()->setMarkdown(
            text(),
            QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));
}

void Composer::setRoutingEditable(bool editable)
{
    m_attach->setEnabled(editable);
    m_schedule->setEnabled(editable);
    m_type->setEnabled(editable);
    m_topic->setEnabled(editable);
    m_target->setEnabled(editable);
}

void Composer::dragEnterEvent(QDragEnterEvent *event)
{
    if (!m_editingId && AttachmentBox::canAttach(event->mimeData()))
        event->acceptProposedAction();
}

void Composer::dropEvent(QDropEvent *event)
{
    if (!m_editingId && m_attachment->attachFrom(event->mimeData()))
        event->acceptProposedAction();
}

void Composer::beginEdit(const PublishedEvent &event)
{
    m_editingId = event.id;
    m_edit->setPlainText(event.data);
    setFieldsFrom(event.fields);
    setRoutingEditable(false); // an edit keeps them, and the event's file
    m_attachment->clear();
    m_type->setText(event.type);
    m_topic->setText(event.topic);
    m_send->setText(tr("&Save"));
    m_editing->setText(tr("Editing event %1: Save puts the new version in its place on every page.").arg(event.id));
    m_editing->show();
    m_cancelEdit->show();
    clearError();
    m_edit->setFocus();
}

void Composer::endEdit()
{
    if (!m_editingId)
        return;
    m_editingId = 0;
    m_edit->clear();
    m_type->clear();
    m_topic->clear();
    setFieldsFrom(MessageFields());
    setRoutingEditable(true);
    m_send->setText(tr("&Send"));
    m_editing->hide();
    m_cancelEdit->hide();
    clearError();
}

QString Composer::text() const
{
    return m_edit->toPlainText();
}

QString Composer::eventType() const
{
    return m_type->text().trimmed();
}

QString Composer::topic() const
{
    return m_topic->text().trimmed();
}

Composer::Target Composer::target() const
{
    return m_target->currentIndex() == 1 ? Target::SelectedClients : Target::Everyone;
}

void Composer::setTarget(Target target)
{
    m_target->setCurrentIndex(target == Target::SelectedClients ? 1 : 0);
}

void Composer::setSelectedCount(int count)
{
    m_target->setItemText(1, tr("Selected clients (%n)", nullptr, count));
}

void Composer::acceptSent()
{
    m_edit->remember(text());
    addKnown(m_types, eventType());
    addKnown(m_topics, topic());
    addKnown(m_tagValues, fields().tags.join(QStringLiteral(", ")));
    if (m_editingId) {
        endEdit();
        return;
    }
    m_edit->clear();
    m_attachment->clear();
    clearError();
}

void Composer::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void Composer::clearError()
{
    m_error->hide();
}

QStringList Composer::knownTypes() const
{
    return m_types->stringList();
}

QStringList Composer::knownTopics() const
{
    return m_topics->stringList();
}

QStringList Composer::knownTags() const
{
    return m_tagValues->stringList();
}

void Composer::setKnownValues(const QStringList &types, const QStringList &topics, const QStringList &messages,
                              const QStringList &tags)
{
    for (const QString &value : tags)
        addKnown(m_tagValues, value);
    for (const QString &type : types)
        addKnown(m_types, type);
    for (const QString &topic : topics)
        addKnown(m_topics, topic);
    for (const QString &message : messages)
        m_edit->remember(message);
}

void Composer::addKnown(QStringListModel *model, const QString &value)
{
    if (value.isEmpty())
        return;
    QStringList values = model->stringList();
    values.removeAll(value);
    values.prepend(value);
    while (values.size() > KnownValuesLimit)
        values.removeLast();
    model->setStringList(values);
}
