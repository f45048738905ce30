#pragma once

#include <QByteArray>
#include <QWidget>

class QLabel;
class QMimeData;
class QPushButton;

/// The file the next message carries, before it is sent: its thumbnail (for a picture), its name
/// and size, and a button that takes it off. A file comes from Attach… (a file dialog), from a
/// file dropped on the composer, or from a picture pasted into it.
class AttachmentBox : public QWidget
{
    Q_OBJECT

public:
    explicit AttachmentBox(QWidget *parent = nullptr);

    bool isEmpty() const { return m_name.isEmpty(); }
    QString name() const { return m_name; }
    QByteArray content() const { return m_content; }
    /// Files larger than this are not taken (--attachment-max).
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }

    /// Takes the file at \a path; false, and problem() says why, when it cannot be read or is too large.
    bool attachFile(const QString &path);
    /// Takes \a content as the file \a name.
    bool attach(const QString &name, const QByteArray &content);
    /// Whether \a data holds something to attach: a local file, or a picture.
    static bool canAttach(const QMimeData *data);
    /// Takes what \a data holds (the first local file, or the picture as PNG).
    bool attachFrom(const QMimeData *data);
    /// Opens a file dialog and takes the file chosen.
    void chooseFile();
    void clear();
    QString problem() const { return m_problem; }

Q_SIGNALS:
    void changed();
    /// A file could not be taken: \a message says why.
    void refused(const QString &message);

private:
    bool refuse(const QString &message);

    QLabel *m_thumbnail;
    QLabel *m_label;
    QPushButton *m_remove;
    QString m_name;
    QByteArray m_content;
    QString m_problem;
    qint64 m_maxBytes = 15 * 1024 * 1024;
};
