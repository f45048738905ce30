#include "settingsdialog.h"

#include "settingstable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

SettingsDialog::SettingsDialog(const HeraldSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_original(settings)
{
    setWindowTitle(tr("Herald Settings"));
    const ServiceConfig &config = settings.service;

    QSpinBox *port = integerField(SettingsTable::Port, QString());
    port->setSpecialValueText(tr("Any free port"));
    port->setToolTip(tr("The TCP port browsers connect to."));

    m_bind = new QComboBox(this);
    m_bind->setObjectName(QStringLiteral("bind"));
    m_bind->addItem(tr("All network interfaces (phones and laptops can join)"), QStringLiteral("all"));
    m_bind->addItem(tr("This computer only"), QStringLiteral("localhost"));
    // Each choice holds the address as herald.ini does, which reads it back in settings().
    const QString bind = SettingsTable::Bind.saved(config).toString();
    if (m_bind->findData(bind) < 0)
        m_bind->addItem(bind, bind);
    m_bind->setCurrentIndex(m_bind->findData(bind));

    m_token = new QLineEdit(config.token, this);
    m_token->setObjectName(QStringLiteral("token"));
    m_token->setPlaceholderText(tr("none: anyone on the network may publish"));
    m_token->setToolTip(tr("When set, publishing and disconnecting clients need \"Authorization: Bearer <token>\"."));
    auto *generate = new QPushButton(tr("&Generate"), this);
    generate->setObjectName(QStringLiteral("generateToken"));
    connect(generate, &QPushButton::clicked, this, [this] { m_token->setText(HeraldSettings::generateToken()); });
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(generate);

    m_tlsCertificate = new QLineEdit(config.tlsCertificateFile, this);
    m_tlsCertificate->setObjectName(QStringLiteral("tls-cert"));
    m_tlsCertificate->setPlaceholderText(tr("none: plain HTTP only"));
    m_tlsCertificate->setToolTip(tr("A PEM certificate for this computer's names and addresses; the chain may follow "
                                    "it in the file. With its key, Herald serves HTTPS too. \"auto\": Herald makes "
                                    "its own, from an authority that devices trust once."));
    m_tlsKey = new QLineEdit(config.tlsKeyFile, this);
    m_tlsKey->setObjectName(QStringLiteral("tls-key"));
    m_tlsKey->setPlaceholderText(tr("none"));
    m_tlsKey->setToolTip(tr("The certificate's private key (PEM, RSA or EC)."));
    QSpinBox *tlsPort = integerField(SettingsTable::TlsPort, QString());
    tlsPort->setSpecialValueText(tr("Any free port"));
    tlsPort->setToolTip(tr("The TCP port of HTTPS."));
    m_tlsOnly = new QCheckBox(tr("HTTPS only: the HTTP port redirects"), this);
    m_tlsOnly->setObjectName(QStringLiteral("tls-only"));
    m_tlsOnly->setChecked(config.tlsOnly);
    m_tlsOnly->setToolTip(tr("Nothing crosses the network in the clear: every plain request is sent to HTTPS."));
    const auto updateTls = [this, tlsPort] {
        const bool https = !m_tlsCertificate->text().trimmed().isEmpty();
        tlsPort->setEnabled(https);
        m_tlsOnly->setEnabled(https);
    };
    connect(m_tlsCertificate, &QLineEdit::textChanged, this, updateTls);
    updateTls();

    QSpinBox *heartbeat = integerField(SettingsTable::Heartbeat, tr(" s"));
    QSpinBox *retry = integerField(SettingsTable::Retry, tr(" ms"));
    retry->setSingleStep(500);
    QSpinBox *history = integerField(SettingsTable::History, tr(" events"));
    history->setSingleStep(100);
    QSpinBox *historyBytes = integerField(SettingsTable::HistoryBytes, tr(" KiB"));
    historyBytes->setSingleStep(1024);
    historyBytes->setToolTip(tr("History keeps at most this much text; the oldest events go first."));

    QSpinBox *pageHistory = integerField(SettingsTable::PageHistory, tr(" messages"));
    pageHistory->setSpecialValueText(tr("None"));
    pageHistory->setToolTip(
        tr("How many recent messages the page shows when it opens, so a late joiner sees what was said."));

    m_durability = new QComboBox(this);
    m_durability->setObjectName(QStringLiteral("durability"));
    m_durability->addItem(tr("Written for the system: survives a crash of Herald"),
                          durabilityName(Durability::Process));
    m_durability->addItem(tr("Synced to the disk: survives a power cut, slower"), durabilityName(Durability::Disk));
    m_durability->setCurrentIndex(m_durability->findData(SettingsTable::Durability.saved(config)));
    m_durability->setToolTip(tr("What must have happened to an event before its publish is answered."));

    m_cors = new QLineEdit(config.corsOrigin, this);
    m_cors->setObjectName(QStringLiteral("cors-origin"));
    m_cors->setPlaceholderText(tr("none"));
    m_cors->setToolTip(tr("Access-Control-Allow-Origin for streams and read-only endpoints: *, an origin, or none."));
    m_listenAtLaunch = new QCheckBox(tr("Start listening when Herald opens"), this);
    m_listenAtLaunch->setObjectName(QStringLiteral("listen-at-launch"));
    m_listenAtLaunch->setChecked(settings.listenAtLaunch);

    m_private = new QCheckBox(tr("Pages need a token too (private)"), this);
    m_private->setObjectName(QStringLiteral("private"));
    m_private->setChecked(config.privateStreams);
    m_private->setToolTip(tr("Browsers join through a link carrying the reader token, as the QR code and the URLs "
                             "do: it lets them read, not publish."));
    m_private->setEnabled(!config.token.isEmpty());
    connect(m_token, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_private->setEnabled(!text.trimmed().isEmpty());
        updateReadToken();
    });

    m_readToken = new QLineEdit(config.readToken, this);
    m_readToken->setObjectName(QStringLiteral("read-token"));
    m_readToken->setPlaceholderText(tr("made when private mode is on"));
    m_readToken->setToolTip(tr("What the URLs and the QR code carry in private mode: it lets a browser read, not "
                               "publish. A new one shuts out every browser that joined with the old one."));
    m_generateReadToken = new QPushButton(tr("Ge&nerate"), this);
    m_generateReadToken->setObjectName(QStringLiteral("generateReadToken"));
    connect(m_generateReadToken, &QPushButton::clicked, this,
            [this] { m_readToken->setText(HeraldSettings::generateToken()); });
    m_readTokenProblem
        = new QLabel(tr("The reader token must differ from the token, or every reader could publish."), this);
    m_readTokenProblem->setObjectName(QStringLiteral("readTokenProblem"));
    m_readTokenProblem->setWordWrap(true);
    auto *readTokenField = new QHBoxLayout;
    readTokenField->addWidget(m_readToken, 1);
    readTokenField->addWidget(m_generateReadToken);
    auto *readTokenRow = new QVBoxLayout;
    readTokenRow->addLayout(readTokenField);
    readTokenRow->addWidget(m_readTokenProblem);
    connect(m_readToken, &QLineEdit::textChanged, this, &SettingsDialog::updateReadToken);
    connect(m_private, &QCheckBox::toggled, this, [this](bool checked) {
        // Private mode needs one: the audience's links carry it.
        if (checked && m_readToken->text().trimmed().isEmpty())
            m_readToken->setText(HeraldSettings::generateToken());
        updateReadToken();
    });
    QSpinBox *maxClients = integerField(SettingsTable::MaxClients, QString());
    maxClients->setSpecialValueText(tr("As many as the system allows"));
    maxClients->setSingleStep(100);
    maxClients->setToolTip(tr("Past this many pages, a new one is told to come back later (503)."));
    QSpinBox *maxBody = integerField(SettingsTable::MaxBody, tr(" KiB"));
    maxBody->setToolTip(tr("A larger publish is refused (413) before it is read."));
    QSpinBox *maxBatch = integerField(SettingsTable::MaxBatch, tr(" events"));
    maxBatch->setToolTip(tr("A batch publish (one event per line) with more is refused (413), and publishes nothing."));
    QSpinBox *attachmentMax = integerField(SettingsTable::AttachmentMax, tr(" KiB"));
    attachmentMax->setToolTip(tr("A larger file is refused (413) before it is read."));
    QSpinBox *attachmentBytes = integerField(SettingsTable::AttachmentBytes, tr(" KiB"));
    attachmentBytes->setToolTip(tr("Files kept for messages, all together; the oldest go first to make room."));
    QSpinBox *attachmentExpiry = integerField(SettingsTable::AttachmentExpiry, tr(" s"));
    attachmentExpiry->setToolTip(tr("How long a message's file can be opened after it was sent."));
    QSpinBox *clientBuffer = integerField(SettingsTable::ClientBuffer, tr(" KiB"));
    clientBuffer->setToolTip(tr("A page that falls this far behind is disconnected, so it cannot hold up memory."));
    QSpinBox *requestTimeout = integerField(SettingsTable::RequestTimeout, tr(" s"));
    requestTimeout->setToolTip(
        tr("A request that has not arrived in full by then gets 408. Open streams are not affected."));
    QSpinBox *maxTopics = integerField(SettingsTable::MaxTopics, tr(" topics"));
    maxTopics->setToolTip(tr("A page that asks for more topics is refused (400), so it cannot hold up memory."));

    m_cluster = new QLineEdit(config.clusterUrl, this);
    m_cluster->setObjectName(QStringLiteral("cluster"));
    m_cluster->setPlaceholderText(tr("none: this Herald on its own"));
    m_cluster->setToolTip(tr("redis://HOST:PORT/DB: share one event stream with other Heralds through this Redis."));
    m_clusterPassword = new QLineEdit(QString::fromUtf8(config.clusterPassword), this);
    m_clusterPassword->setObjectName(QStringLiteral("cluster-password"));
    m_clusterPassword->setEchoMode(QLineEdit::Password);
    m_clusterPassword->setPlaceholderText(tr("none"));
    m_clusterPrefix = new QLineEdit(config.clusterPrefix, this);
    m_clusterPrefix->setObjectName(QStringLiteral("cluster-prefix"));
    m_clusterPrefix->setPlaceholderText(ServiceConfig().clusterPrefix);
    m_clusterPrefix->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[^\\s*]*")), this));
    m_clusterPrefix->setToolTip(tr("Starts every key Herald keeps in the cluster's Redis, so several Herald sites "
                                   "can share one Redis. Every node of a cluster needs the same."));

    auto *form = new QFormLayout;
    form->addRow(tr("&Port:"), port);
    form->addRow(tr("&Listen on:"), m_bind);
    form->addRow(tr("HTTP&S certificate:"),
                 fileRow(m_tlsCertificate, tr("Certificate"), QStringLiteral("browseCertificate")));
    form->addRow(tr("HTTPS ke&y:"), fileRow(m_tlsKey, tr("Private Key"), QStringLiteral("browseKey")));
    form->addRow(tr("HTTPS port:"), tlsPort);
    form->addRow(QString(), m_tlsOnly);
    form->addRow(tr("&Token:"), tokenRow);
    form->addRow(tr("&Heartbeat:"), heartbeat);
    form->addRow(tr("&Reconnect delay:"), retry);
    form->addRow(tr("H&istory:"), history);
    form->addRow(tr("History si&ze:"), historyBytes);
    form->addRow(tr("Page shows on &open:"), pageHistory);
    form->addRow(tr("&Durability:"), m_durability);
    form->addRow(tr("&CORS origin:"), m_cors);
    form->addRow(QString(), m_private);
    auto *readTokenLabel = new QLabel(tr("Reader to&ken:"), this);
    readTokenLabel->setBuddy(m_readToken);
    form->addRow(readTokenLabel, readTokenRow);
    form->addRow(tr("&Most clients:"), maxClients);
    form->addRow(tr("Largest &publish:"), maxBody);
    form->addRow(tr("Largest batch:"), maxBatch);
    form->addRow(tr("Largest &file:"), attachmentMax);
    form->addRow(tr("Files kept in all:"), attachmentBytes);
    form->addRow(tr("Files kept for:"), attachmentExpiry);
    form->addRow(tr("Client &buffer:"), clientBuffer);
    form->addRow(tr("Request time&out:"), requestTimeout);
    form->addRow(tr("Topics per cli&ent:"), maxTopics);
    form->addRow(tr("C&luster (Redis):"), m_cluster);
    form->addRow(tr("Redis pass&word:"), m_clusterPassword);
    form->addRow(tr("Key pre&fix:"), m_clusterPrefix);
    form->addRow(QString(), m_listenAtLaunch);

    auto *note = new QLabel(tr("A new port, address, certificate, durability or cluster restarts the service; browsers "
                               "reconnect by themselves."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateReadToken();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

QSpinBox *SettingsDialog::integerField(const Setting &setting, const QString &suffix)
{
    const SettingRange &range = setting.range;
    auto *field = new QSpinBox(this);
    field->setObjectName(setting.name());
    field->setRange(int(range.savedMinimum()), int(range.savedMaximum()));
    field->setSuffix(suffix);
    field->setValue(int(setting.get(m_original.service).toLongLong() / range.savedUnit));
    m_integerFields.append({&setting, field});
    return field;
}

QLayout *SettingsDialog::fileRow(QLineEdit *field, const QString &what, const QString &buttonName)
{
    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(buttonName);
    connect(browse, &QPushButton::clicked, this, [this, field, what] {
        const QString chosen = QFileDialog::getOpenFileName(this, what, field->text(),
                                                            tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (!chosen.isEmpty())
            field->setText(chosen);
    });
    auto *row = new QHBoxLayout;
    row->addWidget(field, 1);
    row->addWidget(browse);
    return row;
}

void SettingsDialog::updateReadToken()
{
    const bool isPrivate = m_private->isEnabled() && m_private->isChecked();
    m_readToken->setEnabled(isPrivate);
    m_generateReadToken->setEnabled(isPrivate);
    const QString readToken = m_readToken->text().trimmed();
    const bool isTheToken = isPrivate && !readToken.isEmpty() && readToken == m_token->text().trimmed();
    m_readTokenProblem->setVisible(isTheToken);
    m_ok->setEnabled(!isTheToken);
}

HeraldSettings SettingsDialog::settings() const
{
    HeraldSettings edited = m_original;
    ServiceConfig &config = edited.service;
    for (const auto &[setting, field] : m_integerFields)
        setting->set(config, qint64(field->value()) * setting->range.savedUnit);
    SettingsTable::Bind.load(m_bind->currentData(), config);
    config.tlsCertificateFile = m_tlsCertificate->text().trimmed();
    config.tlsKeyFile = m_tlsKey->text().trimmed();
    config.tlsOnly = m_tlsOnly->isChecked() && !config.tlsCertificateFile.isEmpty();
    config.token = m_token->text().trimmed();
    SettingsTable::Durability.load(m_durability->currentData(), config);
    const QString cors = m_cors->text().trimmed();
    config.corsOrigin = cors == QLatin1String("none") ? QString() : cors;
    config.privateStreams = m_private->isChecked() && !config.token.isEmpty();
    config.readToken = m_readToken->text().trimmed();
    config.settleReadToken(); // a private Herald always has one of its own
    config.clusterUrl = m_cluster->text().trimmed();
    config.clusterPassword = m_clusterPassword->text().toUtf8();
    // Empty is the default prefix, as the field shows.
    const QString prefix = m_clusterPrefix->text().trimmed();
    config.clusterPrefix = ServiceConfig::isClusterPrefix(prefix) ? prefix : ServiceConfig().clusterPrefix;
    edited.listenAtLaunch = m_listenAtLaunch->isChecked();
    return edited;
}
