#include "mainwindow.h"

#include "appicon.h"
#include "clienttablemodel.h"
#include "composer.h"
#include "eventlogmodel.h"
#include "networkurls.h"
#include "serverbar.h"
#include "servicehost.h"
#include "settingsdialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTcpServer>
#include <QTimer>
#include <QToolBar>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <QWebEngineView>

namespace {

constexpr int LogFlushMilliseconds = 250;
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

QString formatRate(double bytesPerSecond)
{
    return QObject::tr("%1/s").arg(QLocale().formattedDataSize(qint64(bytesPerSecond), 1,
                                                               QLocale::DataSizeTraditionalFormat));
}

QString formatUptime(qint64 seconds)
{
    return QStringLiteral("%1:%2:%3")
            .arg(seconds / 3600)
            .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
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

    createActions();
    createLayout();
    if (m_options.livePage)
        createLivePage();
    restoreWindowState();

    connect(m_host, &ServiceHost::eventPublished, this, [this](const PublishedEvent &event) {
        m_pendingLog.append(event);
        if (!m_logFlushTimer->isActive())
            m_logFlushTimer->start();
    });
    connect(m_host, &ServiceHost::snapshotReady, this, &MainWindow::onSnapshot);
    connect(m_host, &ServiceHost::publishFinished, this, &MainWindow::onPublishFinished);
    connect(m_host, &ServiceHost::warningRaised, this, [this](const QString &message) {
        statusBar()->showMessage(message, 15000);
    });
    connect(m_host, &ServiceHost::historyFailed, this, [this](const QString &message) {
        // It stays until the service restarts: the operator must know acknowledged events
        // will not survive a restart.
        m_historyWarning->setText(tr("⚠ History is not being saved"));
        m_historyWarning->setToolTip(message);
        m_historyWarning->show();
    });

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setInterval(m_options.refreshMilliseconds);
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::refresh);
    m_logFlushTimer = new QTimer(this);
    m_logFlushTimer->setSingleShot(true);
    m_logFlushTimer->setInterval(LogFlushMilliseconds);
    connect(m_logFlushTimer, &QTimer::timeout, this, &MainWindow::flushLog);

    m_composer->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_startAction = new QAction(tr("&Start Listening"), this);
    connect(m_startAction, &QAction::triggered, this, &MainWindow::startService);
    m_stopAction = new QAction(tr("S&top Listening"), this);
    m_stopAction->setEnabled(false);
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopService);

    m_sendToSelectedAction = new QAction(tr("Send to &Selected Clients…"), this);
    m_sendToSelectedAction->setToolTip(tr("Address the next message to the selected clients only"));
    connect(m_sendToSelectedAction, &QAction::triggered, this, &MainWindow::prepareSendToSelected);
    m_kickAction = new QAction(tr("&Disconnect"), this);
    m_kickAction->setShortcut(QKeySequence::Delete);
    m_kickAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_kickAction->setToolTip(tr("Disconnect the selected clients; their pages say so and do not reconnect"));
    connect(m_kickAction, &QAction::triggered, this, &MainWindow::kickSelected);
    m_copyDetailsAction = new QAction(tr("&Copy Details"), this);
    m_copyDetailsAction->setShortcut(QKeySequence::Copy);
    m_copyDetailsAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyDetailsAction, &QAction::triggered, this, &MainWindow::copySelectedDetails);
    m_exportAction = new QAction(tr("&Export Log…"), this);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportLog);
}

void MainWindow::createLayout()
{
    m_serverBar = new ServerBar(this);
    connect(m_serverBar, &ServerBar::startRequested, this, &MainWindow::startService);
    connect(m_serverBar, &ServerBar::stopRequested, this, &MainWindow::stopService);
    connect(m_serverBar, &ServerBar::settingsRequested, this, &MainWindow::openSettings);
    connect(m_serverBar, &ServerBar::otherPortRequested, this, [this](quint16 port) {
        HeraldSettings changed = m_settings;
        changed.service.port = port;
        applySettings(changed);
        if (m_serverBar->state() != ServerBar::State::Listening)
            startService();
    });

    // Clients: a filter, the table, and what can be done with a selection.
    m_clientModel = new ClientTableModel(this);
    m_clientProxy = new QSortFilterProxyModel(this);
    m_clientProxy->setSourceModel(m_clientModel);
    m_clientProxy->setSortRole(ClientTableModel::SortRole);
    m_clientProxy->setFilterKeyColumn(-1);
    m_clientProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_clientView = new QTableView(this);
    m_clientView->setObjectName(QStringLiteral("clientTable"));
    m_clientView->setModel(m_clientProxy);
    m_clientView->setSortingEnabled(true);
    m_clientView->sortByColumn(ClientTableModel::ConnectedColumn, Qt::AscendingOrder);
    m_clientView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_clientView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_clientView->setAlternatingRowColors(true);
    m_clientView->setWordWrap(false);
    m_clientView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_clientView->verticalHeader()->hide();
    m_clientView->verticalHeader()->setDefaultSectionSize(m_clientView->fontMetrics().height() + 8);
    m_clientView->horizontalHeader()->setStretchLastSection(true);
    m_clientView->horizontalHeader()->setSectionsMovable(true);
    m_clientView->setAccessibleName(tr("Connected clients"));
    m_clientView->addActions({m_sendToSelectedAction, m_kickAction, m_copyDetailsAction});
    const int widths[] = {110, 150, 120, 170, 90, 140, 80, 80, 70};
    for (int column = 0; column < int(std::size(widths)); ++column)
        m_clientView->setColumnWidth(column, widths[column]);
    connect(m_clientView, &QWidget::customContextMenuRequested, this, &MainWindow::showClientMenu);
    connect(m_clientView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateSelectionActions);

    m_clientFilter = new QLineEdit(this);
    m_clientFilter->setPlaceholderText(tr("Filter clients by name, address, browser or topic"));
    m_clientFilter->setClearButtonEnabled(true);
    m_clientFilter->setAccessibleName(tr("Filter clients"));
    connect(m_clientFilter, &QLineEdit::textChanged, m_clientProxy, &QSortFilterProxyModel::setFilterFixedString);

    auto *clientButtons = new QHBoxLayout;
    auto *clientsTitle = new QLabel(tr("<b>Clients</b>"), this);
    clientButtons->addWidget(clientsTitle);
    clientButtons->addWidget(m_clientFilter, 1);
    for (QAction *action : {m_sendToSelectedAction, m_kickAction, m_copyDetailsAction}) {
        auto *button = new QPushButton(action->text().remove(u'&').remove(QStringLiteral("…")), this);
        button->setToolTip(action->toolTip());
        button->setEnabled(false);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        connect(action, &QAction::changed, button, [button, action] { button->setEnabled(action->isEnabled()); });
        clientButtons->addWidget(button);
    }

    auto *clientsPane = new QWidget(this);
    auto *clientsLayout = new QVBoxLayout(clientsPane);
    clientsLayout->setContentsMargins(0, 0, 0, 0);
    clientsLayout->addLayout(clientButtons);
    clientsLayout->addWidget(m_clientView, 1);

    m_composer = new Composer(this);
    connect(m_composer, &Composer::sendRequested, this, &MainWindow::send);
    auto *composerPane = new QWidget(this);
    auto *composerLayout = new QVBoxLayout(composerPane);
    composerLayout->setContentsMargins(0, 0, 0, 0);
    composerLayout->addWidget(new QLabel(tr("<b>Broadcast</b>"), this));
    composerLayout->addWidget(m_composer, 1);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("clientsComposerSplitter"));
    m_splitter->addWidget(clientsPane);
    m_splitter->addWidget(composerPane);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->addWidget(m_serverBar);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    // The log of everything sent, searchable and exportable.
    m_logModel = new EventLogModel(this);
    m_logProxy = new QSortFilterProxyModel(this);
    m_logProxy->setSourceModel(m_logModel);
    m_logProxy->setFilterKeyColumn(-1);
    m_logProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_logView = new QTableView(this);
    m_logView->setObjectName(QStringLiteral("eventLog"));
    m_logView->setModel(m_logProxy);
    m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logView->setWordWrap(false);
    m_logView->verticalHeader()->hide();
    m_logView->verticalHeader()->setDefaultSectionSize(m_logView->fontMetrics().height() + 6);
    m_logView->horizontalHeader()->setStretchLastSection(true);
    m_logView->setAccessibleName(tr("Event log"));
    const int logWidths[] = {100, 60, 90, 90, 110, 70};
    for (int column = 0; column < int(std::size(logWidths)); ++column)
        m_logView->setColumnWidth(column, logWidths[column]);
    m_logFilter = new QLineEdit(this);
    m_logFilter->setPlaceholderText(tr("Search the log"));
    m_logFilter->setClearButtonEnabled(true);
    m_logFilter->setAccessibleName(tr("Search the log"));
    connect(m_logFilter, &QLineEdit::textChanged, m_logProxy, &QSortFilterProxyModel::setFilterFixedString);
    auto *exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setToolTip(tr("Save the log as JSON lines"));
    connect(exportButton, &QPushButton::clicked, this, &MainWindow::exportLog);
    auto *logPane = new QWidget(this);
    auto *logTop = new QHBoxLayout;
    logTop->addWidget(m_logFilter, 1);
    logTop->addWidget(exportButton);
    auto *logLayout = new QVBoxLayout(logPane);
    logLayout->setContentsMargins(4, 4, 4, 4);
    logLayout->addLayout(logTop);
    logLayout->addWidget(m_logView, 1);
    m_logDock = new QDockWidget(tr("Log"), this);
    m_logDock->setObjectName(QStringLiteral("logDock"));
    m_logDock->setWidget(logPane);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);

    // Status bar figures.
    m_historyWarning = new QLabel(this);
    m_historyWarning->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    m_historyWarning->hide();
    statusBar()->addPermanentWidget(m_historyWarning);
    m_clientsStatus = new QLabel(this);
    m_rateStatus = new QLabel(this);
    m_uptimeStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_clientsStatus);
    statusBar()->addPermanentWidget(m_rateStatus);
    statusBar()->addPermanentWidget(m_uptimeStatus);
    m_clientsStatus->setText(tr("%n clients", nullptr, 0));

    // Menus.
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_exportAction);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *serviceMenu = menuBar()->addMenu(tr("&Service"));
    serviceMenu->addAction(m_startAction);
    serviceMenu->addAction(m_stopAction);
    serviceMenu->addSeparator();
    QAction *settingsAction = serviceMenu->addAction(tr("Se&ttings…"), this, &MainWindow::openSettings);
    settingsAction->setShortcut(QKeySequence::Preferences);

    QMenu *clientsMenu = menuBar()->addMenu(tr("&Clients"));
    clientsMenu->addActions({m_sendToSelectedAction, m_kickAction, m_copyDetailsAction});
    QAction *findClient = clientsMenu->addAction(tr("&Find…"), this, [this] { m_clientFilter->setFocus(); });
    findClient->setShortcut(QKeySequence::Find);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *showLog = m_logDock->toggleViewAction();
    showLog->setText(tr("&Log"));
    viewMenu->addAction(showLog);
    viewMenu->setObjectName(QStringLiteral("viewMenu"));

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Herald"), this, [this] {
        QMessageBox::about(this, tr("About Herald"),
                           tr("<h3>Herald %1</h3><p>Type a message and every browser connected to this "
                              "computer receives it at once, over Server-Sent Events.</p>")
                                   .arg(QApplication::applicationVersion()));
    });
    helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    updateSelectionActions();
}

void MainWindow::createLivePage()
{
    m_livePage = new QWebEngineView(this);
    m_livePage->setObjectName(QStringLiteral("livePage"));
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
                               m_store->value(QStringLiteral("composer/recall")).toStringList());
}

void MainWindow::saveWindowState()
{
    m_store->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_store->setValue(QStringLiteral("window/state"), saveState());
    m_store->setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    m_store->setValue(QStringLiteral("composer/types"), m_composer->knownTypes());
    m_store->setValue(QStringLiteral("composer/topics"), m_composer->knownTopics());
    m_store->setValue(QStringLiteral("composer/recall"), m_composer->editor()->recall().mid(
                                                                 qMax(0, int(m_composer->editor()->recall().size()) - RememberedValues)));
    m_store->sync();
}

bool MainWindow::startService()
{
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
    QStringList urls = browserUrls(config.bindAddress, m_host->port());
    if (config.privateStreams && !config.token.isEmpty()) {
        // A private Herald's links carry its token: opening one once lets that browser in.
        const QString token = QString::fromLatin1(QUrl::toPercentEncoding(config.token));
        for (QString &url : urls)
            url += QLatin1String("?token=") + token;
    }
    m_serverBar->showListening(config.bindAddress, m_host->port(), urls);
    m_startAction->setEnabled(false);
    m_stopAction->setEnabled(true);
    m_haveStats = false;
    m_refreshTimer->start();
    refresh();
    loadLivePage(urls);
    return true;
}

void MainWindow::stopService()
{
    m_historyWarning->hide();
    m_refreshTimer->stop();
    m_host->stop();
    m_snapshotPending = false;
    m_serverBar->showStopped();
    m_startAction->setEnabled(true);
    m_stopAction->setEnabled(false);
    m_clientModel->applySnapshot({});
    m_clientsStatus->setText(tr("Stopped"));
    m_rateStatus->clear();
    m_uptimeStatus->clear();
}

void MainWindow::applySettings(const HeraldSettings &settings)
{
    // Private mode changes the links the window shows, so it restarts like a new address.
    const bool restart = settings.service.port != m_settings.service.port
            || settings.service.bindAddress != m_settings.service.bindAddress
            || settings.service.privateStreams != m_settings.service.privateStreams
            || (settings.service.privateStreams && settings.service.token != m_settings.service.token);
    m_settings = settings;
    if (!m_settings.save(*m_store))
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

QStringList MainWindow::selectedClientIds() const
{
    QStringList ids;
    for (const QModelIndex &index : m_clientView->selectionModel()->selectedRows()) {
        const QString id = m_clientModel->clientIdAt(m_clientProxy->mapToSource(index).row());
        if (!id.isEmpty() && !ids.contains(id))
            ids.append(id);
    }
    return ids;
}

QString MainWindow::historyWarning() const
{
    return m_historyWarning->isHidden() ? QString() : m_historyWarning->toolTip();
}

QString MainWindow::statusText() const
{
    return QStringList{m_clientsStatus->text(), m_rateStatus->text(), m_uptimeStatus->text()}.join(QLatin1String(" | "));
}

void MainWindow::send()
{
    const QString text = m_composer->text();
    if (text.isEmpty()) {
        m_composer->showError(tr("Type a message first."));
        return;
    }
    QStringList targets{QString()};
    if (m_composer->target() == Composer::Target::SelectedClients) {
        targets = selectedClientIds();
        if (targets.isEmpty()) {
            m_composer->showError(tr("Select one or more clients in the table, or send to everyone."));
            return;
        }
    }
    QList<PublishRequest> requests;
    for (const QString &target : std::as_const(targets)) {
        PublishRequest request;
        request.data = text;
        request.type = m_composer->eventType();
        request.topic = m_composer->topic();
        request.target = target;
        const QString problem = request.validationError();
        if (!problem.isEmpty()) {
            m_composer->showError(tr("Not sent: %1").arg(problem));
            return;
        }
        requests.append(request);
    }
    for (const PublishRequest &request : std::as_const(requests)) {
        const int tag = ++m_nextTag;
        m_sentTexts.insert(tag, text);
        m_host->publish(request, QStringLiteral("panel"), tag);
    }
    m_composer->acceptSent();
}

void MainWindow::onPublishFinished(int tag, const HeraldService::PublishResult &result)
{
    const QString text = m_sentTexts.take(tag);
    if (result.status == 200) {
        statusBar()->showMessage(tr("Event %1 queued to %n clients", nullptr, result.delivered).arg(result.id), 5000);
        return;
    }
    // Nothing typed is lost: a refused message goes back into an empty box.
    m_composer->showError(tr("Not sent: %1").arg(result.error));
    if (m_composer->text().isEmpty())
        m_composer->editor()->setPlainText(text);
}

void MainWindow::kickSelected()
{
    const QStringList ids = selectedClientIds();
    for (const QString &id : ids) {
        m_host->disconnectClient(id);
        m_clientModel->markKicked(id);
    }
    if (!ids.isEmpty())
        statusBar()->showMessage(tr("Disconnected %n clients", nullptr, int(ids.size())), 5000);
}

void MainWindow::copySelectedDetails()
{
    QStringList details;
    for (const QModelIndex &index : m_clientView->selectionModel()->selectedRows())
        details.append(m_clientModel->detailsAt(m_clientProxy->mapToSource(index).row()));
    if (!details.isEmpty())
        QApplication::clipboard()->setText(details.join(QLatin1String("\n\n")));
}

void MainWindow::prepareSendToSelected()
{
    m_composer->setTarget(Composer::Target::SelectedClients);
    m_composer->setFocus();
}

void MainWindow::exportLog()
{
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Export Log"), QStringLiteral("herald-log.jsonl"),
                                                          tr("JSON lines (*.jsonl);;All files (*)"));
    if (fileName.isEmpty())
        return;
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || !m_logModel->exportJsonLines(&file) || !file.commit()) {
        QMessageBox::warning(this, tr("Export Log"),
                             tr("The log could not be saved to %1: %2").arg(fileName, file.errorString()));
        return;
    }
    statusBar()->showMessage(tr("Saved %n events to %1", nullptr, m_logModel->rowCount()).arg(fileName), 5000);
}

void MainWindow::refresh()
{
    if (m_snapshotPending || !m_host->isRunning())
        return;
    m_snapshotPending = true;
    m_host->requestSnapshot();
}

void MainWindow::onSnapshot(const QList<ClientInfo> &clients, const ServiceStats &stats)
{
    m_snapshotPending = false;
    if (!m_host->isRunning())
        return;
    m_clientModel->applySnapshot(clients);

    m_clientsStatus->setText(tr("%n clients", nullptr, stats.clients));
    if (m_haveStats && m_sinceLastStats.elapsed() > 0) {
        const double seconds = m_sinceLastStats.elapsed() / 1000.0;
        const double events = (stats.published - m_lastStats.published) / seconds;
        const double deliveries = (stats.delivered - m_lastStats.delivered) / seconds;
        const double bytes = (stats.bytesSent - m_lastStats.bytesSent) / seconds;
        m_rateStatus->setText(tr("%1 events/s (%2 deliveries/s), %3")
                                      .arg(QLocale().toString(events, 'f', 1), QLocale().toString(deliveries, 'f', 0),
                                           formatRate(bytes)));
    }
    m_uptimeStatus->setText(tr("Up %1").arg(formatUptime(stats.uptimeSeconds)));
    m_lastStats = stats;
    m_sinceLastStats.start();
    m_haveStats = true;
    Q_EMIT snapshotApplied();
}

void MainWindow::flushLog()
{
    if (m_pendingLog.isEmpty())
        return;
    QScrollBar *scroll = m_logView->verticalScrollBar();
    const bool atBottom = scroll->value() == scroll->maximum();
    m_logModel->append(m_pendingLog);
    m_pendingLog.clear();
    if (atBottom)
        m_logView->scrollToBottom();
    Q_EMIT logUpdated();
}

void MainWindow::updateSelectionActions()
{
    const int selected = int(m_clientView->selectionModel()->selectedRows().size());
    m_kickAction->setEnabled(selected > 0);
    m_sendToSelectedAction->setEnabled(selected > 0);
    m_copyDetailsAction->setEnabled(selected > 0);
    m_composer->setSelectedCount(selected);
}

void MainWindow::showClientMenu(const QPoint &position)
{
    if (m_clientView->selectionModel()->selectedRows().isEmpty())
        return;
    QMenu menu(this);
    menu.addActions({m_sendToSelectedAction, m_kickAction, m_copyDetailsAction});
    menu.exec(m_clientView->viewport()->mapToGlobal(position));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    stopService();
    event->accept();
}
