#include "attachmentbox.h"

#include <QBuffer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QMimeData>
#include <QPixmap>
#include <QPushButton>

namespace {

constexpr int ThumbnailSize = 48;

} // namespace

AttachmentBox::AttachmentBox(QWidget *parent)
    : QWidget(parent)
    , m_thumbnail(new QLabel(this))
    , m_label(new QLabel(this))
    , m_remove(new QPushButton(tr("Remove"), this))
{
    m_thumbnail->setObjectName(QStringLiteral("attachmentThumbnail"));
    m_thumbnail->setFixedSize(ThumbnailSize, ThumbnailSize);
    m_thumbnail->setAlignment(Qt::AlignCenter);
    m_label->setObjectName(QStringLiteral("attachmentLabel"));
    m_remove->setObjectName(QStringLiteral("attachmentRemove"));
    m_remove->setToolTip(tr("Send the message without this file"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_thumbnail);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_remove);
    connect(m_remove, &QPushButton::clicked, this, &AttachmentBox::clear);
    hide();
}

bool AttachmentBox::attachFile(const QString &path)
{
    const QFileInfo info(path);
    if (info.size() > m_maxBytes) {
        return refuse(tr("%1 is %2; a message carries files of at most %3")
                          .arg(info.fileName(), QLocale().formattedDataSize(info.size()),
                               QLocale().formattedDataSize(m_maxBytes)));
    }
    QFile file(path);
    if (!info.isFile() || !file.open(QIODevice::ReadOnly))
        return refuse(tr("%1 cannot be read").arg(QDir::toNativeSeparators(path)));
    return attach(info.fileName(), file.readAll());
}

bool AttachmentBox::attach(const QString &name, const QByteArray &content)
{
    if (content.isEmpty())
        return refuse(tr("%1 is empty").arg(name));
    if (content.size() > m_maxBytes) {
        return refuse(
            tr("%1 is %2; a message carries files of at most %3")
                .arg(name, QLocale().formattedDataSize(content.size()), QLocale().formattedDataSize(m_maxBytes)));
    }
    m_name = name;
    m_content = content;
    m_problem.clear();
    QImage picture;
    if (picture.loadFromData(content)) {
        m_thumbnail->setPixmap(QPixmap::fromImage(
            picture.scaled(ThumbnailSize, ThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    } else {
        m_thumbnail->setPixmap(QPixmap());
        m_thumbnail->setText(QStringLiteral("📎"));
    }
    m_label->setText(tr("%1 (%2)").arg(name, QLocale().formattedDataSize(content.size())));
    show();
    Q_EMIT changed();
    return true;
}

bool AttachmentBox::canAttach(const QMimeData *data)
{
    if (data->hasImage())
        return true;
    const QList<QUrl> urls = data->urls();
    return std::any_of(urls.cbegin(), urls.cend(), [](const QUrl &url) { return url.isLocalFile(); });
}

bool AttachmentBox::attachFrom(const QMimeData *data)
{
    for (const QUrl &url : data->urls()) {
        if (url.isLocalFile())
            return attachFile(url.toLocalFile());
    }
    const QImage picture = qvariant_cast<QImage>(data->imageData());
    if (picture.isNull())
        return false;
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    picture.save(&buffer, "PNG");
    return attach(tr("pasted picture.png"), png);
}

void AttachmentBox::chooseFile()
{
    // Opened, not run: the window goes on (streams, the log) while the operator chooses.
    auto *dialog = new QFileDialog(this, tr("Attach a File"));
    dialog->setObjectName(QStringLiteral("attachmentDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) { attachFile(path); });
    dialog->open();
}

void AttachmentBox::clear()
{
    m_name.clear();
    m_content.clear();
    m_thumbnail->clear();
    hide();
    Q_EMIT changed();
}

bool AttachmentBox::refuse(const QString &message)
{
    m_problem = message;
    Q_EMIT refused(message);
    return false;
}
