#include "qrcodewidget.h"

#include <QPainter>
#include <QPainterPath>

#include <qrencode.h>

QrCodeWidget::QrCodeWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void QrCodeWidget::setText(const QString &text)
{
    m_text = text;
    m_modules.clear();
    if (!text.isEmpty()) {
        const QByteArray utf8 = text.toUtf8();
        QRcode *code = QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        if (code) {
            for (int y = 0; y < code->width; ++y) {
                QList<bool> row;
                row.reserve(code->width);
                for (int x = 0; x < code->width; ++x)
                    row.append(code->data[y * code->width + x] & 1);
                m_modules.append(row);
            }
            QRcode_free(code);
        }
    }
    setToolTip(text);
    setAccessibleName(tr("QR code for %1").arg(text));
    update();
}

void QrCodeWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const int side = qMin(width(), height());
    const QRectF area((width() - side) / 2.0, (height() - side) / 2.0, side, side);
    painter.fillRect(area, Qt::white);
    if (m_modules.isEmpty())
        return;

    // A quiet zone of four modules on each side, as scanners expect.
    const int count = int(m_modules.size());
    const qreal module = side / qreal(count + 8);
    const QPointF origin = area.topLeft() + QPointF(4 * module, 4 * module);
    QPainterPath dark;
    for (int y = 0; y < count; ++y) {
        for (int x = 0; x < count; ++x) {
            if (m_modules[y][x])
                dark.addRect(QRectF(origin.x() + x * module, origin.y() + y * module, module, module));
        }
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.fillPath(dark.simplified(), Qt::black);
}
