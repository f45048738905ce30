#include "appicon.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace {

QPixmap paintIcon(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.scale(size / 64.0, size / 64.0);

    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0x2f, 0x6f, 0xdf));
    painter.drawRoundedRect(QRectF(0, 0, 64, 64), 14, 14);

    QPainterPath horn;
    horn.moveTo(14, 26);
    horn.lineTo(22, 26);
    horn.lineTo(38, 16);
    horn.lineTo(38, 48);
    horn.lineTo(22, 38);
    horn.lineTo(14, 38);
    horn.closeSubpath();
    painter.setBrush(Qt::white);
    painter.drawPath(horn);

    QPen waves(Qt::white, 4, Qt::SolidLine, Qt::RoundCap);
    painter.setPen(waves);
    painter.setBrush(Qt::NoBrush);
    painter.drawArc(QRectF(30, 18, 28, 28), -60 * 16, 120 * 16);
    painter.drawArc(QRectF(26, 10, 44, 44), -60 * 16, 120 * 16);
    return pixmap;
}

} // namespace

QIcon heraldIcon()
{
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(paintIcon(size));
    return icon;
}
