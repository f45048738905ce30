#include "serverbar.h"

#include "qrcodewidget.h"

#include <QApplication>
#include <QClipboard>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace {

bool isLoopbackUrl(const QString &url)
{
    const QHostAddress host(QUrl(url).host());
    return host.isLoopback();
}

} // namespace

ServerBar::ServerBar(QWidget *parent)
    : QWidget(parent)
    , m_stateLabel(new QLabel(this))
    , m_addressLabel(new QLabel(this))
    , m_engineLabel(new QLabel(this))
    , m_urlGrid(new QGridLayout)
    , m_qrCode(new QrCodeWidget(this))
    , m_qrCaption(new QLabel(this))
    , m_httpsLabel(new QLabel(this))
    , m_authorityQr(new QToolButton(this))
    , m_startStop(new QPushButton(this))
    , m_publisherLink(new QPushButton(tr("&Publisher Link"), this))
    , m_banner(new QFrame(this))
    , m_bannerText(new QLabel(m_banner))
    , m_otherPort(new QPushButton(m_banner))
{
    QFont stateFont = m_stateLabel->font();
    stateFont.setPointSizeF(stateFont.pointSizeF() * 1.3);
    stateFont.setBold(true);
    m_stateLabel->setFont(stateFont);
    m_stateLabel->setObjectName(QStringLiteral("serverState"));
    m_addressLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_engineLabel->setObjectName(QStringLiteral("clusterState"));
    m_engineLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_engineLabel->hide();

    auto *settings = new QPushButton(tr("Se&ttings…"), this);
    connect(settings, &QPushButton::clicked, this, &ServerBar::settingsRequested);
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (m_state == State::Listening)
            Q_EMIT stopRequested();
        else
            Q_EMIT startRequested();
    });

    m_publisherLink->setObjectName(QStringLiteral("publisherLinkButton"));
    m_publisherLink->setToolTip(tr("Show a link, as a QR code, with which a phone may publish from Herald's page"));
    connect(m_publisherLink, &QPushButton::clicked, this, &ServerBar::publisherLinkRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_startStop);
    buttons->addWidget(settings);
    buttons->addWidget(m_publisherLink);
    buttons->addStretch();

    auto *joinHint = new QLabel(tr("Browsers on this network can open:"), this);
    auto *left = new QVBoxLayout;
    left->addWidget(m_stateLabel);
    left->addWidget(m_addressLabel);
    left->addWidget(m_engineLabel);
    left->addLayout(buttons);
    left->addSpacing(6);
    left->addWidget(joinHint);
    left->addLayout(m_urlGrid);
    m_httpsLabel->setObjectName(QStringLiteral("httpsState"));
    m_httpsLabel->setWordWrap(true);
    m_httpsLabel->setTextFormat(Qt::RichText);
    m_httpsLabel->setOpenExternalLinks(true);
    m_httpsLabel->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_authorityQr->setObjectName(QStringLiteral("authorityQr"));
    m_authorityQr->setText(tr("QR"));
    m_authorityQr->setToolTip(tr("Show where devices get Herald's certificate authority as the QR code"));
    connect(m_authorityQr, &QToolButton::clicked, this, [this] {
        chooseQrUrl(m_authorityUrl);
        m_qrCaption->setText(tr("Scan to install Herald's certificate authority, then trust it in the device's "
                                "settings: once, for every certificate Herald makes."));
    });
    auto *httpsRow = new QHBoxLayout;
    httpsRow->addWidget(m_httpsLabel, 1);
    httpsRow->addWidget(m_authorityQr, 0, Qt::AlignTop);
    left->addLayout(httpsRow);
    left->addStretch();

    m_qrCode->setFixedSize(136, 136);
    m_qrCaption->setAlignment(Qt::AlignCenter);
    m_qrCaption->setWordWrap(true);
    m_qrCaption->setMaximumWidth(170);
    QFont small = m_qrCaption->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_qrCaption->setFont(small);
    auto *right = new QVBoxLayout;
    right->addWidget(m_qrCode, 0, Qt::AlignHCenter);
    right->addWidget(m_qrCaption);
    right->addStretch();

    auto *top = new QHBoxLayout;
    top->addLayout(left, 1);
    top->addLayout(right);

    // The banner: a port already in use, or another reason Herald could not listen.
    m_banner->setObjectName(QStringLiteral("serverBanner"));
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setAutoFillBackground(true);
    QPalette bannerPalette = m_banner->palette();
    bannerPalette.setColor(QPalette::Window, QColor(0xfd, 0xec, 0xc8));
    bannerPalette.setColor(QPalette::WindowText, QColor(0x4a, 0x33, 0x00));
    m_banner->setPalette(bannerPalette);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *icon = new QLabel(m_banner);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(24, 24));
    auto *bannerSettings = new QPushButton(tr("Change settings…"), m_banner);
    connect(bannerSettings, &QPushButton::clicked, this, &ServerBar::settingsRequested);
    connect(m_otherPort, &QPushButton::clicked, this, [this] { Q_EMIT otherPortRequested(m_freePort); });
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(icon);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_otherPort);
    bannerLayout->addWidget(bannerSettings);
    m_banner->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_banner);

    showStopped();
}

void ServerBar::showListening(const QHostAddress &address, quint16 port, const QStringList &urls)
{
    m_state = State::Listening;
    m_stateLabel->setText(tr("● Listening"));
    m_stateLabel->setStyleSheet(QStringLiteral("color: #2e7d32"));
    const QString where = address == QHostAddress(QHostAddress::Any) ? tr("all network interfaces")
        : address.isLoopback()                                       ? tr("this computer only")
                                                                     : address.toString();
    m_addressLabel->setText(tr("Port %1 on %2").arg(port).arg(where));
    m_startStop->setText(tr("&Stop"));
    m_startStop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_banner->hide();
    m_publisherLink->setEnabled(true);
    setUrls(urls);
}

void ServerBar::showStopped()
{
    m_state = State::Stopped;
    m_stateLabel->setText(tr("● Stopped"));
    m_stateLabel->setStyleSheet(QStringLiteral("color: #757575"));
    m_addressLabel->setText(tr("Browsers cannot connect until Herald listens."));
    m_startStop->setText(tr("&Start"));
    m_startStop->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_publisherLink->setEnabled(false);
    m_engineLabel->hide();
    m_httpsLabel->hide();
    m_authorityQr->hide();
    setUrls({});
}

void ServerBar::showEngine(const ServiceStats &stats)
{
    if (stats.engine == QLatin1String("local")) {
        m_engineLabel->hide();
        return;
    }
    const QString state = stats.engineReachable ? tr("reachable") : tr("unreachable: publishing waits for it");
    m_engineLabel->setText(tr("Cluster %1, %2; %n nodes, this one %3 events behind", nullptr, stats.nodes)
                               .arg(stats.engine, state)
                               .arg(stats.lag));
    m_engineLabel->setStyleSheet(stats.engineReachable ? QString() : QStringLiteral("color: #c62828"));
    m_engineLabel->show();
}

void ServerBar::showHttps(const QString &fingerprint, const QString &authorityUrl, const QString &authorityFingerprint)
{
    m_authorityUrl = authorityUrl;
    QString text = tr("HTTPS certificate, SHA-256: %1").arg(fingerprint);
    if (!authorityUrl.isEmpty()) {
        text += QStringLiteral("<br>")
            + tr("Devices trust Herald's own authority once, from <a href=\"%1\">%1</a>; SHA-256: %2")
                  .arg(authorityUrl.toHtmlEscaped(), authorityFingerprint);
    }
    m_httpsLabel->setText(text);
    m_httpsLabel->show();
    m_authorityQr->setVisible(!authorityUrl.isEmpty());
}

QString ServerBar::httpsText() const
{
    return m_httpsLabel->isHidden() ? QString() : m_httpsLabel->text();
}

void ServerBar::showFailure(const QString &message, quint16 freePort)
{
    showStopped();
    m_state = State::Failed;
    m_stateLabel->setText(tr("● Not listening"));
    m_stateLabel->setStyleSheet(QStringLiteral("color: #c62828"));
    m_bannerText->setText(message);
    m_freePort = freePort;
    m_otherPort->setVisible(freePort > 0);
    m_otherPort->setText(tr("Use port %1").arg(freePort));
    m_banner->show();
}

void ServerBar::showPublisherLink(const QString &url)
{
    chooseQrUrl(url);
    m_qrCaption->setText(tr("Scan with a phone to publish from it. Share this code only with people who may "
                            "publish: it carries the token."));
}

QString ServerBar::qrUrl() const
{
    return m_qrUrl;
}

bool ServerBar::isBannerShown() const
{
    return !m_banner->isHidden();
}

QString ServerBar::bannerText() const
{
    return m_bannerText->text();
}

void ServerBar::setUrls(const QStringList &urls)
{
    m_urls = urls;
    while (QLayoutItem *item = m_urlGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }

    QString preferred;
    for (const QString &url : urls) {
        if (!isLoopbackUrl(url)) {
            preferred = url;
            break;
        }
    }
    if (preferred.isEmpty() && !urls.isEmpty())
        preferred = urls.first();

    int row = 0;
    for (const QString &url : urls) {
        auto *link = new QLabel(QStringLiteral("<a href=\"%1\">%1</a>").arg(url.toHtmlEscaped()), this);
        link->setTextFormat(Qt::RichText);
        link->setOpenExternalLinks(true);
        link->setTextInteractionFlags(Qt::TextBrowserInteraction);
        link->setToolTip(isLoopbackUrl(url) ? tr("Only on this computer")
                                            : tr("From phones and computers on this network"));
        auto *copy = new QToolButton(this);
        copy->setText(tr("Copy"));
        copy->setToolTip(tr("Copy %1").arg(url));
        copy->setAccessibleName(tr("Copy %1").arg(url));
        connect(copy, &QToolButton::clicked, this, [url] { QApplication::clipboard()->setText(url); });
        auto *qr = new QToolButton(this);
        qr->setText(tr("QR"));
        qr->setToolTip(tr("Show this address as the QR code"));
        connect(qr, &QToolButton::clicked, this, [this, url] { chooseQrUrl(url); });
        m_urlGrid->addWidget(link, row, 0);
        m_urlGrid->addWidget(copy, row, 1);
        m_urlGrid->addWidget(qr, row, 2);
        ++row;
    }
    m_urlGrid->setColumnStretch(3, 1);
    chooseQrUrl(preferred);
}

void ServerBar::chooseQrUrl(const QString &url)
{
    m_qrUrl = url;
    m_qrCode->setText(url);
    m_qrCode->setVisible(!url.isEmpty());
    m_qrCaption->setText(url.isEmpty() ? QString() : tr("Scan with a phone camera to open %1").arg(url));
}
