#include "mainwindow.h"

#include "appicon.h"
#include "attachmentbox.h"
#include "clientspane.h"
#include "composer.h"
#include "logpane.h"
#include "scheduledialog.h"
#include "scheduledpane.h"
#include "serverbar.h"
#include "servicehost.h"
#include "settingsdialog.h"
#include "settingstable.h"
#include "statusfigures.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDesktopServices>
#include <QDockWidget>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <QWebEngineCertificateError>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <algorithm>

namespace {

constexpr int RememberedValues = 50;

/// Whether another program holds \a port on \a address.
bool isPortTaken(const QHostAddress &address, quint16 port)
{
    QTcpServer probe;
    return !probe.listen(address, port) && probe.serverError() == QAbstractSocket::AddressInUseError;
}

/// The first port after \a port that can be listened on, or 0.
quint16 freePortAfter(const QHostAddress &address, quint16 port)
{
    for (int candidate = port + 1; candidate <= 65535 && candidate <= port + 100; ++candidate) {
        QTcpServer probe;
        if (probe.listen(address, quint16(candidate)))
            return quint16(candidate);
    }
    return 0;
}

} // namespace

MainWindow::MainWindow(ServiceHost *host, QSettings *store, const HeraldSettings &settings, const Options &options,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_host(host)
    , m_store(store)
    , m_settings(settings)
    , m_options(options)
{
    setWindowTitle(tr("Herald"));
    setWindowIcon(heraldIcon());
    setObjectName(QStringLiteral("HeraldMainWindow"));

    createLayout();
    createMenus();
    if (m_options.livePage)
        createLivePage();
    restoreWindowState();

    connect(m_host, &ServiceHost::eventPublished, m_log, &LogPane::add);
    connect(m_host, &ServiceHost::eventRetracted, m_log, &LogPane::markRetracted);
    connect(m_host, &ServiceHost::eventEdited, m_log, &LogPane::markEdited);
    connect(m_host, &ServiceHost::editFinished, this, &MainWindow::onEditFinished);
    connect(m_host, &ServiceHost::snapshotReady, this, &MainWindow::onSnapshot);
    connect(m_host, &ServiceHost::publishFinished, this, &MainWindow::onPublishFinished);
    connect(m_host, &ServiceHost::scheduledChanged, m_scheduled, &ScheduledPane::setMessages);
    connect(m_host, &ServiceHost::warningRaised, this,
            [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    connect(m_host, &ServiceHost::historyFailed, m_figures, &StatusFigures::showHistoryWarning);
    connect(m_host, &ServiceHost::historyRecovered, m_figures, &StatusFigures::clearHistoryWarning);

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setInterval(m_options.refreshMilliseconds);
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::refresh);

    m_composer->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createLayout()
{
    m_serverBar = new ServerBar(this);
    m_serverBar->setObjectName(QStringLiteral("serverBar"));
    connect(m_serverBar, &ServerBar::startRequested, this, &MainWindow::startService);
    connect(m_serverBar, &ServerBar::stopRequested, this, &MainWindow::stopService);
    connect(m_serverBar, &ServerBar::settingsRequested, this, &MainWindow::openSettings);
    connect(m_serverBar, &ServerBar::publisherLinkRequested, this, &MainWindow::showPublisherLink);
    connect(m_serverBar, &ServerBar::otherPortRequested, this, [this](quint16 port) {
        HeraldSettings changed = m_settings;
        changed.service.port = port;
        applySettings(changed);
        if (m_serverBar->state() != ServerBar::State::Listening)
            startService();
    });

    m_clients = new ClientsPane(this);
    m_composer = new Composer(this);
    m_composer->setObjectName(QStringLiteral("composer"));
    connect(m_composer, &Composer::sendRequested, this, [this] { send(); });
    connect(m_composer, &Composer::scheduleRequested, this, &MainWindow::schedule);
    m_composer->attachment()->setMaxBytes(m_settings.service.attachmentMaxBytes);
    connect(m_clients, &ClientsPane::selectionChanged, m_composer, &Composer::setSelectedCount);
    connect(m_clients, &ClientsPane::disconnectRequested, this, &MainWindow::disconnectClients);
    connect(m_clients, &ClientsPane::everyNodeToggled, this, [this] {
        m_snapshotPending = false; // the next snapshot is of the other kind
        refresh();
    });
    connect(m_clients, &ClientsPane::sendToSelectedRequested, this, [this] {
        m_composer->setTarget(Composer::Target::SelectedClients);
        m_composer->setFocus();
    });
    auto *composerPane = new QWidget(this);
    auto *composerLayout = new QVBoxLayout(composerPane);
    composerLayout->setContentsMargins(0, 0, 0, 0);
    composerLayout->addWidget(new QLabel(tr("<b>Broadcast</b>"), this));
    composerLayout->addWidget(m_composer, 1);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("clientsComposerSplitter"));
    m_splitter->addWidget(m_clients);
    m_splitter->addWidget(composerPane);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->addWidget(m_serverBar);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_log = new LogPane(this);
    connect(m_log, &LogPane::reported, this,
            [this](const QString &message) { statusBar()->showMessage(message, 5000); });
    connect(m_log, &LogPane::retractRequested, this, [this](const QList<quint64> &ids) {
        for (quint64 id : ids)
            m_host->retract(id);
    });
    connect(m_log, &LogPane::editRequested, m_composer, &Composer::beginEdit);
    m_logDock = new QDockWidget(tr("Log"), this);
    m_logDock->setObjectName(QStringLiteral("logDock"));
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);

    m_scheduled = new ScheduledPane(this);
    connect(m_scheduled, &ScheduledPane::cancelRequested, m_host, &ServiceHost::cancelScheduled);
    connect(m_scheduled, &ScheduledPane::changeRequested, m_host, &ServiceHost::changeScheduled);
    m_scheduledDock = new QDockWidget(tr("Scheduled"), this);
    m_scheduledDock->setObjectName(QStringLiteral("scheduledDock"));
    m_scheduledDock->setWidget(m_scheduled);
    addDockWidget(Qt::BottomDockWidgetArea, m_scheduledDock);
    splitDockWidget(m_logDock, m_scheduledDock, Qt::Horizontal);
    resizeDocks({m_logDock, m_scheduledDock}, {3, 1}, Qt::Horizontal);

    m_figures = new StatusFigures(statusBar());
}

void MainWindow::createMenus()
{
    m_startAction = new QAction(tr("&Start Listening"), this);
    connect(m_startAction, &QAction::triggered, this, &MainWindow::startService);
    m_stopAction = new QAction(tr("S&top Listening"), this);
    m_stopAction->setEnabled(false);
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopService);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&Export Log…"), m_log, &LogPane::exportLog);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    m_reloadCertificateAction = new QAction(tr("&Reload HTTPS Certificate"), this);
    m_reloadCertificateAction->setObjectName(QStringLiteral("reloadCertificate"));
    m_reloadCertificateAction->setToolTip(tr("Read the certificate and key files again; open streams stay"));
    m_reloadCertificateAction->setEnabled(false);
    connect(m_reloadCertificateAction, &QAction::triggered, this, [this] { m_host->reloadCertificate(); });
    QMenu *serviceMenu = menuBar()->addMenu(tr("&Service"));
    serviceMenu->addAction(m_startAction);
    serviceMenu->addAction(m_stopAction);
    serviceMenu->addAction(m_reloadCertificateAction);
    serviceMenu->addSeparator();
    QAction *settingsAction = serviceMenu->addAction(tr("Se&ttings…"), this, &MainWindow::openSettings);
    settingsAction->setShortcut(QKeySequence::Preferences);

    QMenu *clientsMenu = menuBar()->addMenu(tr("&Clients"));
    clientsMenu->addActions(m_clients->selectionActions());
    QAction *findClient = clientsMenu->addAction(tr("&Find…"), m_clients, &ClientsPane::focusFilter);
    findClient->setShortcut(QKeySequence::Find);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));
    QAction *showLog = m_logDock->toggleViewAction();
    showLog->setText(tr("&Log"));
    viewMenu->addAction(showLog);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Herald"), this, [this] {
        QMessageBox::about(this, tr("About Herald"),
                           tr("<h3>Herald %1</h3><p>Type a message and every browser connected to this "
                              "computer receives it at once, over Server-Sent Events.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createLivePage()
{
    m_livePage = new QWebEngineView(this);
    m_livePage->setObjectName(QStringLiteral("livePage"));
    // The live page may be on HTTPS with a certificate this computer does not trust (Herald's own,
    // say): it is taken when it is the very one Herald serves, and no other.
    connect(m_livePage->page(), &QWebEnginePage::certificateError, this, [this](QWebEngineCertificateError error) {
        const QSslCertificate served = error.certificateChain().value(0);
        const QString fingerprint = QString::fromLatin1(served.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
        if (m_host->isRunning() && !served.isNull() && fingerprint == m_host->tlsFingerprint())
            error.acceptCertificate();
        else
            error.rejectCertificate();
    });
    m_livePage->setAccessibleName(tr("Live page: what browsers see"));
    m_liveDock = new QDockWidget(tr("Live Page"), this);
    m_liveDock->setObjectName(QStringLiteral("livePageDock"));
    m_liveDock->setWidget(m_livePage);
    m_liveDock->setMinimumWidth(300);
    addDockWidget(Qt::RightDockWidgetArea, m_liveDock);

    auto *viewMenu = menuBar()->findChild<QMenu *>(QStringLiteral("viewMenu"));
    QAction *show = m_liveDock->toggleViewAction();
    show->setText(tr("Live &Page"));
    viewMenu->addAction(show);
    viewMenu->addAction(tr("&Pop Out Live Page"), this, [this] {
        m_liveDock->show();
        m_liveDock->setFloating(true);
        m_liveDock->resize(460, 720);
    });
    viewMenu->addAction(tr("Open Page in &Browser"), this, [this] {
        if (m_livePage->url().isValid())
            QDesktopServices::openUrl(m_livePage->url());
    });
}

void MainWindow::restoreWindowState()
{
    if (!restoreGeometry(m_store->value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    if (!restoreState(m_store->value(QStringLiteral("window/state")).toByteArray())) {
        resizeDocks({m_logDock}, {170}, Qt::Vertical);
        if (m_liveDock)
            resizeDocks({m_liveDock}, {380}, Qt::Horizontal);
    }
    if (!m_splitter->restoreState(m_store->value(QStringLiteral("window/splitter")).toByteArray()))
        m_splitter->setSizes({400, 160});
    m_composer->setKnownValues(m_store->value(QStringLiteral("composer/types")).toStringList(),
                               m_store->value(QStringLiteral("composer/topics")).toStringList(),
                               m_store->value(QStringLiteral("composer/recall")).toStringList(),
                               m_store->value(QStringLiteral("composer/tags")).toStringList());
}

void MainWindow::saveWindowState()
{
    m_store->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_store->setValue(QStringLiteral("window/state"), saveState());
    m_store->setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    m_store->setValue(QStringLiteral("composer/types"), m_composer->knownTypes());
    m_store->setValue(QStringLiteral("composer/topics"), m_composer->knownTopics());
    m_store->setValue(QStringLiteral("composer/tags"), m_composer->knownTags());
    const QStringList &recall = m_composer->editor()->recall();
    m_store->setValue(QStringLiteral("composer/recall"), recall.mid(qMax(0, int(recall.size()) - RememberedValues)));
    m_store->sync();
}

bool MainWindow::startService()
{
    settleReadToken();
    const ServiceConfig &config = m_settings.service;
    QString error;
    if (!m_host->start(config, &error)) {
        if (config.port != 0 && isPortTaken(config.bindAddress, config.port)) {
            const quint16 freePort = freePortAfter(config.bindAddress, config.port);
            m_serverBar->showFailure(
                tr("Port %1 is already in use by another program, so browsers cannot reach Herald there.")
                    .arg(config.port),
                freePort);
        } else {
            m_serverBar->showFailure(tr("Herald could not start: %1").arg(error));
        }
        m_startAction->setEnabled(true);
        m_stopAction->setEnabled(false);
        return false;
    }
    // A private Herald's links carry its reader token, never the token. HTTPS ones come first, and
    // alone when the plain port only redirects.
    const QStringList plainUrls = config.tlsOnly ? QStringList() : m_host->joinUrls();
    const QStringList urls = m_host->httpsJoinUrls() + plainUrls;
    m_serverBar->showListening(config.bindAddress, m_host->port(), urls);
    if (m_host->tlsPort()) {
        QString authorityUrl;
        if (!m_host->authorityFingerprint().isEmpty()) {
            // Fetched before a device trusts HTTPS, so on the plain port, which serves it with --tls-only too.
            const QStringList plain = m_host->browserUrls();
            authorityUrl = plain.value(plain.size() > 1 ? 1 : 0) + QStringLiteral("herald-ca.crt");
        }
        m_serverBar->showHttps(m_host->tlsFingerprint(), authorityUrl, m_host->authorityFingerprint());
    }
    m_startAction->setEnabled(false);
    m_stopAction->setEnabled(true);
    m_reloadCertificateAction->setEnabled(m_host->tlsPort() != 0);
    m_refreshTimer->start();
    refresh();
    loadLivePage(plainUrls.isEmpty() ? urls : plainUrls);
    return true;
}

void MainWindow::stopService()
{
    m_refreshTimer->stop();
    m_host->stop();
    m_snapshotPending = false;
    m_serverBar->showStopped();
    m_startAction->setEnabled(true);
    m_stopAction->setEnabled(false);
    m_reloadCertificateAction->setEnabled(false);
    m_clients->clear();
    m_figures->showStopped();
}

void MainWindow::settleReadToken()
{
    HeraldSettings settled = m_settings;
    settled.service.settleReadToken();
    if (settled.service.readToken == m_settings.service.readToken)
        return;
    if (!settled.saveChanges(*m_store, m_settings))
        statusBar()->showMessage(tr("The settings could not be saved to %1").arg(m_store->fileName()), 15000);
    m_settings = settled;
}

void MainWindow::applySettings(const HeraldSettings &settings)
{
    // The settings table says which changes the running service cannot take (Applies).
    const bool restart
        = std::any_of(std::cbegin(SettingsTable::All), std::cend(SettingsTable::All), [&](const Setting *setting) {
              return setting->restartsService(m_settings.service, settings.service);
          });
    const bool saved = settings.saveChanges(*m_store, m_settings);
    m_settings = settings;
    m_composer->attachment()->setMaxBytes(m_settings.service.attachmentMaxBytes);
    if (!saved)
        statusBar()->showMessage(tr("The settings could not be saved to %1").arg(m_store->fileName()), 15000);
    if (m_host->isRunning()) {
        if (restart) {
            stopService();
            startService();
        } else {
            m_host->applySettings(m_settings.service);
        }
    }
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(m_settings, this);
    if (dialog.exec() == QDialog::Accepted)
        applySettings(dialog.settings());
}

void MainWindow::loadLivePage(const QStringList &urls)
{
    if (!m_livePage || urls.isEmpty())
        return;
    QUrl url(urls.first());
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("name"), tr("Control panel"));
    url.setQuery(query);
    m_livePage->setUrl(url);
}

void MainWindow::schedule()
{
    if (m_composer->text().isEmpty()) {
        m_composer->showError(tr("Type a message first."));
        return;
    }
    ScheduleDialog dialog(QDateTime::currentDateTime().addSecs(10 * 60), QString(), this);
    if (dialog.exec() == QDialog::Accepted)
        send(dialog.dueAt().toMSecsSinceEpoch());
}

void MainWindow::send(qint64 dueAtMs)
{
    const QString text = m_composer->text();
    if (text.isEmpty()) {
        m_composer->showError(tr("Type a message first."));
        return;
    }
    QStringList targets{QString()};
    if (m_composer->target() == Composer::Target::SelectedClients) {
        targets = m_clients->selectedClientIds();
        if (targets.isEmpty()) {
            m_composer->showError(tr("Select one or more clients in the table, or send to everyone."));
            return;
        }
    }
    if (const quint64 id = m_composer->editingId()) {
        const MessageFields fields = m_composer->fields();
        if (const QString problem = fields.validationError(); !problem.isEmpty()) {
            m_composer->showError(tr("Not saved: %1").arg(problem));
            return;
        }
        m_host->edit(id, text, fields, ++m_nextTag);
        return; // the composer keeps the edit until it is saved
    }
    QList<PublishRequest> requests;
    for (const QString &target : std::as_const(targets)) {
        PublishRequest request;
        request.data = text.toUtf8();
        request.type = m_composer->eventType();
        request.topic = m_composer->topic();
        request.target = target;
        request.fields = m_composer->fields();
        const QString problem = request.validationError();
        if (!problem.isEmpty()) {
            m_composer->showError(tr("Not sent: %1").arg(problem));
            return;
        }
        requests.append(request);
    }
    const AttachmentBox *attachment = m_composer->attachment();
    const ServiceHost::File file{attachment->name(), attachment->content()};
    for (const PublishRequest &request : std::as_const(requests)) {
        const int tag = ++m_nextTag;
        m_sent.insert(tag, {text, file.name, file.content});
        m_host->publish(request, QStringLiteral("panel"), tag, file, dueAtMs);
    }
    m_composer->acceptSent();
}

void MainWindow::onPublishFinished(int tag, const PublishResult &result)
{
    const Sent sent = m_sent.take(tag);
    if (result.isAccepted() && !result.scheduleId.isEmpty()) {
        statusBar()->showMessage(
            tr("Scheduled for %1")
                .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(result.scheduledAtMs), QLocale::ShortFormat)),
            5000);
        return;
    }
    if (result.isAccepted()) {
        statusBar()->showMessage(tr("Event %1 queued to %n clients", nullptr, result.queuedTo).arg(result.id), 5000);
        return;
    }
    // Nothing typed is lost: a refused message goes back into an empty box, with its file, then
    // the reason (a change of the text clears a shown reason).
    if (m_composer->text().isEmpty()) {
        m_composer->editor()->setPlainText(sent.text);
        if (!sent.file.isEmpty() && m_composer->attachment()->isEmpty())
            m_composer->attachment()->attach(sent.fileName, sent.file);
    }
    m_composer->showError(tr("Not sent: %1").arg(result.message));
}

void MainWindow::onEditFinished(int, EditOutcome outcome)
{
    switch (outcome) {
    case EditOutcome::Edited:
        statusBar()->showMessage(tr("Event %1 saved: every page shows the new version").arg(m_composer->editingId()),
                                 5000);
        m_composer->acceptSent();
        return;
    case EditOutcome::NotFound:
        m_composer->showError(tr("Not saved: Herald no longer keeps this event (retracted, or dropped from history)."));
        return;
    case EditOutcome::Conflict:
        m_composer->showError(tr("Not saved: another node edited this event meanwhile."));
        return;
    case EditOutcome::Unavailable:
        m_composer->showError(tr("Not saved: the edit cannot be recorded now; try again."));
        return;
    }
}

void MainWindow::disconnectClients(const QStringList &clientIds)
{
    for (const QString &id : clientIds)
        m_host->disconnectClient(id);
    m_clients->markDisconnected(clientIds);
    statusBar()->showMessage(tr("Disconnected %n clients", nullptr, int(clientIds.size())), 5000);
}

void MainWindow::showPublisherLink()
{
    if (m_settings.service.token.isEmpty()) {
        // Without a token only this computer may publish; a phone needs one to prove it may.
        const auto answer = QMessageBox::question(
            this, tr("Publisher Link"),
            tr("Publishing from a phone needs a token. Herald can make one now; from then on, scripts "
               "on this computer need it too (\"Authorization: Bearer <token>\").\n\nMake a token?"));
        if (answer != QMessageBox::Yes)
            return;
        HeraldSettings changed = m_settings;
        changed.service.token = HeraldSettings::generateToken();
        applySettings(changed);
    }
    const QStringList urls = m_host->browserUrls();
    if (urls.isEmpty())
        return;
    // The address a phone can reach: the first LAN one, else this computer's.
    QUrl link(urls.first());
    for (const QString &url : urls) {
        if (!QHostAddress(QUrl(url).host()).isLoopback()) {
            link = QUrl(url);
            break;
        }
    }
    // The link lets a phone publish, but does not give it the token itself.
    link.setQuery(QStringLiteral("publisher=") + ServiceHost::publisherKey(m_settings.service.token));
    m_serverBar->showPublisherLink(link.toString());
}

void MainWindow::refresh()
{
    if (m_snapshotPending || !m_host->isRunning())
        return;
    m_snapshotPending = true;
    m_host->requestSnapshot(m_clients->showsEveryNode());
}

void MainWindow::onSnapshot(const QList<StreamInfo> &streams, const ServiceStats &stats)
{
    m_snapshotPending = false;
    if (!m_host->isRunning())
        return;
    m_clients->applySnapshot(streams);
    m_clients->setClustered(stats.engine != QLatin1String("local"));
    m_serverBar->showEngine(stats);
    m_figures->showStats(stats);
    Q_EMIT snapshotApplied();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    stopService();
    event->accept();
}
