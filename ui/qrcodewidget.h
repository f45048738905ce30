#pragma once

#include <QWidget>

/// Shows a QR code for a text (a URL), drawn module by module so it stays crisp at any size
/// and screen density. Encoding is done by libqrencode.
class QrCodeWidget : public QWidget
{
    Q_OBJECT

public:
    explicit QrCodeWidget(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }
    /// The encoded modules, row by row (true is dark); empty when there is no text.
    const QList<QList<bool>> &modules() const { return m_modules; }

    QSize sizeHint() const override { return {180, 180}; }
    QSize minimumSizeHint() const override { return {120, 120}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
    QList<QList<bool>> m_modules;
};
