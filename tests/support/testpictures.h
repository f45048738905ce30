#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QColor>
#include <QImage>

/// A PNG picture of \a width by \a height in one \a color, made by Qt's own encoder: the bytes a
/// camera or a screenshot would upload.
inline QByteArray pngPicture(int width, int height, QColor color = Qt::darkCyan)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}
