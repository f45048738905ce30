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

    auto *form = new QFormLayout;
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Listen on:"), m_bind);
    form->addRow(tr("&Token:"), tokenRow);
    form->addRow(tr("&Heartbeat:"), m_heartbeat);
    form->addRow(tr("&Reconnect delay:"), m_retry);
    form->addRow(tr("H&istory:"), m_history);
    form->addRow(tr("&CORS origin:"), m_cors);
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
    edited.listenAtLaunch = m_listenAtLaunch->isChecked();
    return edited;
}
