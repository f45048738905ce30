#include "settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

SettingsDialog::SettingsDialog(const HeraldSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_original(settings)
    , m_port(new QSpinBox(this))
    , m_bind(new QComboBox(this))
    , m_token(new QLineEdit(this))
    , m_heartbeat(new QSpinBox(this))
    , m_retry(new QSpinBox(this))
    , m_history(new QSpinBox(this))
    , m_cors(new QLineEdit(this))
    , m_listenAtLaunch(new QCheckBox(tr("Start listening when Herald opens"), this))
    , m_private(new QCheckBox(tr("Pages need the token too (private)"), this))
    , m_maxClients(new QSpinBox(this))
    , m_maxBody(new QSpinBox(this))
    , m_clientBuffer(new QSpinBox(this))
    , m_requestTimeout(new QSpinBox(this))
{
    setWindowTitle(tr("Herald Settings"));
    const ServiceConfig &config = settings.service;

    m_port->setRange(1, 65535);
    m_port->setValue(config.port ? config.port : 8080);
    m_port->setToolTip(tr("The TCP port browsers connect to."));

    m_bind->addItem(tr("All network interfaces (phones and laptops can join)"), QStringLiteral("all"));
    m_bind->addItem(tr("This computer only"), QStringLiteral("localhost"));
    if (config.bindAddress == QHostAddress(QHostAddress::LocalHost)) {
        m_bind->setCurrentIndex(1);
    } else if (config.bindAddress != QHostAddress(QHostAddress::Any)) {
        m_bind->addItem(config.bindAddress.toString(), config.bindAddress.toString());
        m_bind->setCurrentIndex(2);
    }

    m_token->setText(config.token);
    m_token->setPlaceholderText(tr("none: anyone on the network may publish"));
    m_token->setToolTip(tr("When set, publishing and disconnecting clients need \"Authorization: Bearer <token>\"."));
    auto *generate = new QPushButton(tr("&Generate"), this);
    connect(generate, &QPushButton::clicked, this, [this] { m_token->setText(HeraldSettings::generateToken()); });
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(generate);

    m_heartbeat->setRange(1, 3600);
    m_heartbeat->setSuffix(tr(" s"));
    m_heartbeat->setValue(config.heartbeatSeconds);
    m_retry->setRange(0, 3600000);
    m_retry->setSingleStep(500);
    m_retry->setSuffix(tr(" ms"));
    m_retry->setValue(config.retryMilliseconds);
    m_history->setRange(0, 1000000);
    m_history->setSingleStep(100);
    m_history->setSuffix(tr(" events"));
    m_history->setValue(config.historySize);
    m_cors->setText(config.corsOrigin);
    m_cors->setPlaceholderText(tr("none"));
    m_cors->setToolTip(tr("Access-Control-Allow-Origin for streams and read-only endpoints: *, an origin, or none."));
    m_listenAtLaunch->setChecked(settings.listenAtLaunch);

    m_private->setChecked(config.privateStreams);
    m_private->setToolTip(tr("Browsers join through a link carrying the token; the QR code and the URLs carry it."));
    m_private->setEnabled(!config.token.isEmpty());
    connect(m_token, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_private->setEnabled(!text.trimmed().isEmpty());
    });
    m_maxClients->setRange(0, 10000000);
    m_maxClients->setSpecialValueText(tr("As many as the system allows"));
    m_maxClients->setSingleStep(100);
    m_maxClients->setValue(qMax(0, config.maxClients));
    m_maxClients->setToolTip(tr("Past this many pages, a new one is told to come back later (503)."));
    m_maxBody->setRange(1, 1024 * 1024);
    m_maxBody->setSuffix(tr(" KiB"));
    m_maxBody->setValue(int(qMax<qint64>(1, config.maxBodyBytes / 1024)));
    m_maxBody->setToolTip(tr("A larger publish is refused (413) before it is read."));
    m_clientBuffer->setRange(1, 1024 * 1024);
    m_clientBuffer->setSuffix(tr(" KiB"));
    m_clientBuffer->setValue(int(qMax<qint64>(1, config.clientBufferBytes / 1024)));
    m_clientBuffer->setToolTip(tr("A page that falls this far behind is disconnected, so it cannot hold up memory."));
    m_requestTimeout->setRange(1, 3600);
    m_requestTimeout->setSuffix(tr(" s"));
    m_requestTimeout->setValue(config.requestTimeoutSeconds);
    m_requestTimeout->setToolTip(tr("A request that has not arrived in full by then gets 408. Open streams are not affected."));

    auto *form = new QFormLayout;
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Listen on:"), m_bind);
    form->addRow(tr("&Token:"), tokenRow);
    form->addRow(tr("&Heartbeat:"), m_heartbeat);
    form->addRow(tr("&Reconnect delay:"), m_retry);
    form->addRow(tr("H&istory:"), m_history);
    form->addRow(tr("&CORS origin:"), m_cors);
    form->addRow(QString(), m_private);
    form->addRow(tr("&Most clients:"), m_maxClients);
    form->addRow(tr("Largest &publish:"), m_maxBody);
    form->addRow(tr("Client &buffer:"), m_clientBuffer);
    form->addRow(tr("Request time&out:"), m_requestTimeout);
    form->addRow(QString(), m_listenAtLaunch);

    auto *note = new QLabel(tr("A new port or address restarts the service; browsers reconnect by themselves."), this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

HeraldSettings SettingsDialog::settings() const
{
    HeraldSettings edited = m_original;
    ServiceConfig &config = edited.service;
    config.port = quint16(m_port->value());
    const QString bind = m_bind->currentData().toString();
    if (bind == QLatin1String("all"))
        config.bindAddress = QHostAddress::Any;
    else if (bind == QLatin1String("localhost"))
        config.bindAddress = QHostAddress::LocalHost;
    else
        config.bindAddress = QHostAddress(bind);
    config.token = m_token->text().trimmed();
    config.heartbeatSeconds = m_heartbeat->value();
    config.retryMilliseconds = m_retry->value();
    config.historySize = m_history->value();
    const QString cors = m_cors->text().trimmed();
    config.corsOrigin = cors == QLatin1String("none") ? QString() : cors;
    config.privateStreams = m_private->isChecked() && !config.token.isEmpty();
    config.maxClients = m_maxClients->value();
    config.maxBodyBytes = qint64(m_maxBody->value()) * 1024;
    config.clientBufferBytes = qint64(m_clientBuffer->value()) * 1024;
    config.requestTimeoutSeconds = m_requestTimeout->value();
    edited.listenAtLaunch = m_listenAtLaunch->isChecked();
    return edited;
}
