#pragma once

#include "servicetypes.h"

#include <QHostAddress>
#include <QStringList>
#include <QWidget>

class QFrame;
class QGridLayout;
class QLabel;
class QPushButton;
class QToolButton;
class QrCodeWidget;

/// The top of the window: whether Herald is listening, where, every URL a browser can use
/// (each clickable, with a copy button), a QR code of the chosen one, and Start/Stop.
/// When the port is taken it shows a banner that offers a free port instead.
class ServerBar : public QWidget
{
    Q_OBJECT

public:
    enum class State { Stopped, Listening, Failed };

    explicit ServerBar(QWidget *parent = nullptr);

    void showListening(const QHostAddress &address, quint16 port, const QStringList &urls);
    void showStopped();
    /// Shows \a message in the banner. With \a freePort > 0, offers to listen there instead.
    void showFailure(const QString &message, quint16 freePort = 0);
    /// Shows \a url, which lets a phone publish, as the QR code, with a caption that says so.
    void showPublisherLink(const QString &url);
    /// In a cluster: the Redis, whether it can be reached, the nodes and this node's lag.
    void showEngine(const ServiceStats &stats);
    /// HTTPS: the certificate's SHA-256 \a fingerprint; with Herald's own authority, where devices
    /// fetch it (\a authorityUrl, which a QR button shows) and its fingerprint, to check it by.
    void showHttps(const QString &fingerprint, const QString &authorityUrl, const QString &authorityFingerprint);
    /// What showHttps() shows, as text.
    QString httpsText() const;

    State state() const { return m_state; }
    QStringList urls() const { return m_urls; }
    /// The URL the QR code shows: the first LAN address, or the local one when there is none.
    QString qrUrl() const;
    QrCodeWidget *qrCode() const { return m_qrCode; }
    bool isBannerShown() const;
    QString bannerText() const;

Q_SIGNALS:
    void startRequested();
    void stopRequested();
    void settingsRequested();
    void otherPortRequested(quint16 port);
    /// The operator wants a link with which a phone may publish.
    void publisherLinkRequested();

private:
    void setUrls(const QStringList &urls);
    void chooseQrUrl(const QString &url);

    State m_state = State::Stopped;
    QLabel *m_stateLabel;
    QLabel *m_addressLabel;
    QLabel *m_engineLabel;
    QGridLayout *m_urlGrid;
    QrCodeWidget *m_qrCode;
    QLabel *m_qrCaption;
    QLabel *m_httpsLabel;
    QToolButton *m_authorityQr;
    QString m_authorityUrl;
    QPushButton *m_startStop;
    QPushButton *m_publisherLink;
    QFrame *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_otherPort;
    quint16 m_freePort = 0;
    QStringList m_urls;
    QString m_qrUrl;
};
