#include "composer.h"

#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStringListModel>
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
    , m_error(new QLabel(this))
    , m_types(new QStringListModel(this))
    , m_topics(new QStringListModel(this))
{
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
    options->addWidget(m_send);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addLayout(options);
    layout->addWidget(m_error);

    connect(m_edit, &ComposerEdit::sendRequested, this, &Composer::sendRequested);
    connect(m_send, &QPushButton::clicked, this, &Composer::sendRequested);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &Composer::clearError);
    setFocusProxy(m_edit);
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
    m_edit->clear();
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

void Composer::setKnownValues(const QStringList &types, const QStringList &topics, const QStringList &messages)
{
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
