#include "attachmentbox.h"
#include "clientspane.h"
#include "clienttablemodel.h"
#include "composer.h"
#include "eventlogmodel.h"
#include "filesizelimit.h"
#include "heraldprocess.h"
#include "heraldservice.h"
#include "httpclient.h"
#include "mainwindow.h"
#include "qrcodewidget.h"
#include "redisserver.h"
#include "scheduledpane.h"
#include "serverbar.h"
#include "servicehost.h"
#include "settingsdialog.h"
#include "sseclient.h"
#include "testpictures.h"
#include "translations.h"

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFont>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTimer>
#include <QToolButton>
#include <QTranslator>
#include <QTreeWidget>
#include <QUrlQuery>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <memory>
#include <unistd.h>

/// The control panel, driven the way an operator drives it, against a real service and real
/// socket clients.
class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void composerHasFocusWhenTheWindowOpens();
    void serverBarShowsHttpsAndHeraldsAuthority();
    void ctrlEnterBroadcastsWhatWasTyped();
    void upAndDownRecallEarlierMessages();
    void composerCompletesEarlierTypesAndTopics();
    void sendsToSelectedClientsOnly();
    void disconnectingFromTheTableClosesThatClientsStreams();
    void aTakenPortShowsTheMessageAndOffersAnother();
    void serverBarShowsUrlsAndTheirQrCode();
    void settingsRoundTripThroughQSettings();
    void settingsDialogEditsEverySetting();
    void newTokenAppliesWithoutRestart();
    void newPortRestartsTheService();
    void windowStateIsRestored();
    void theLogRecordsApiEventsAndSearches();
    void theLivePageIsAConnectedClient_data();
    void theLivePageIsAConnectedClient();
    void speaksSimplifiedChinese();
    void anUnwritableHistoryIsShownAndPublishingIsRefused();
    void theHistoryWarningLeavesOnceHistoryIsSavedAgain();
    void retractingFromTheLogStrikesItThroughAndPagesForgetIt();
    void theComposerSendsTheMessageFieldsAndPreviewsMarkdown();
    void editingFromTheLogPutsTheNewVersionEverywhere();
    void thePublisherLinkLetsAPhonePublish();
    void aFlagForOneRunIsNotSavedWithOtherChanges();
    void aPublisherLinkWithoutATokenOffersToMakeOne();
    void aPrivateHeraldsLinksCarryTheReaderTokenNotTheToken();
    void aPrivateHeraldWithoutAReaderTokenMakesOneAndKeepsIt();
    void theDialogKeepsTheReaderTokenApartFromTheToken();
    void inAClusterTheWindowShowsTheEngineAndEveryNodesClients();
    void theComposerAttachesAFileByDialogDropOrPaste();
    void aMessageScheduledFromTheComposerWaitsInTheListToBeChangedOrCancelled();

private:
    MainWindow *createWindow(bool livePage = false);
    /// A part of the window, found by its object name.
    template<typename T>
    T *part(const char *name) const
    {
        T *found = m_window->findChild<T *>(QLatin1String(name));
        if (!found)
            qWarning("the window has no %s", name);
        return found;
    }
    /// A field of the settings dialog, found by the flag it stands for.
    template<typename T>
    static T *field(const SettingsDialog &dialog, const char *flag)
    {
        T *found = dialog.findChild<T *>(QLatin1String(flag));
        if (!found)
            qWarning("the settings dialog has no field for --%s", flag);
        return found;
    }
    Composer *composer() const { return part<Composer>("composer"); }
    ServerBar *serverBar() const { return part<ServerBar>("serverBar"); }
    QTableView *clientTable() const { return part<QTableView>("clientTable"); }
    ClientTableModel *clientModel() const { return part<ClientTableModel>("clientModel"); }
    EventLogModel *logModel() const { return part<EventLogModel>("logModel"); }
    QAction *action(const char *name) const { return part<QAction>(name); }
    /// The standing warning that history is not reaching the disk, or empty.
    QString historyWarning() const
    {
        const QLabel *warning = part<QLabel>("historyWarning");
        return warning->isHidden() ? QString() : warning->toolTip();
    }
    /// Waits until the table lists \a clientId.
    bool waitForClientRow(const QString &clientId);
    int viewRowOf(const QString &clientId) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<ServiceHost> m_host;
    std::unique_ptr<MainWindow> m_window;
    HeraldSettings m_settings;
};

void tst_MainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<QSettings>(m_dir->filePath(u"herald.ini"_qs), QSettings::IniFormat);
    m_host = std::make_unique<ServiceHost>();
    m_settings = HeraldSettings();
    m_settings.service.bindAddress = QHostAddress::LocalHost;
    m_settings.service.port = 0;
    m_settings.service.dataDirectory = m_dir->filePath(u"data"_qs);
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    m_host.reset();
    m_store.reset();
    m_dir.reset();
}

MainWindow *tst_MainWindow::createWindow(bool livePage)
{
    MainWindow::Options options;
    options.livePage = livePage;
    options.refreshMilliseconds = 100;
    m_window = std::make_unique<MainWindow>(m_host.get(), m_store.get(), m_settings, options);
    m_window->show();
    return m_window.get();
}

void tst_MainWindow::anUnwritableHistoryIsShownAndPublishingIsRefused()
{
    // A file where the data folder should be: no journal can be written there, even as root.
    QFile blocker(m_dir->filePath(u"blocker"_qs));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    m_settings.service.dataDirectory = m_dir->filePath(u"blocker/data"_qs);
    MainWindow *window = createWindow();
    QVERIFY(historyWarning().isEmpty());
    QVERIFY(window->startService());
    QTRY_VERIFY(!historyWarning().isEmpty());
    QVERIFY(historyWarning().contains(u"blocker"_qs));

    // Streams are still served, but a message that could not outlive a restart is not sent:
    // the composer gets it back.
    SseClient client;
    client.open(m_host->port(), "/events");
    QVERIFY(client.waitForHead());
    QCOMPARE(client.status(), 200);
    QTest::keyClicks(composer()->editor(), u"not kept"_qs);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(composer()->text().isEmpty()); // sent; the service answers later
    QTRY_COMPARE(composer()->text(), u"not kept"_qs);
}

void tst_MainWindow::theHistoryWarningLeavesOnceHistoryIsSavedAgain()
{
    m_settings.service.dataDirectory = m_dir->filePath(u"data"_qs);
    createWindow();
    QVERIFY(m_window->startService());
    const auto send = [this](const QString &text) {
        QTest::keyClicks(composer()->editor(), text);
        QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    };
    send(u"kept"_qs);
    const QString journal = m_dir->filePath(u"data/history.jsonl"_qs);
    QTRY_VERIFY(QFileInfo(journal).size() > 0);
    {
        // The disk is full, as the system shows it to Herald: the message is not sent, the
        // composer keeps it with the reason, and the status bar warns.
        FileSizeLimit full(QFileInfo(journal).size());
        QVERIFY(full.isSet());
        send(u"refused"_qs);
        QTRY_COMPARE(composer()->text(), u"refused"_qs);
        QTRY_VERIFY(!historyWarning().isEmpty());
        const QLabel *reason = part<QLabel>("composerError");
        QVERIFY(!reason->isHidden());
        QVERIFY2(reason->text().contains(u"history.jsonl"_qs), qPrintable(reason->text()));
    }
    // Room again: the same message goes, and the warning leaves with the first record written.
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(composer()->text().isEmpty());
    QTRY_VERIFY(historyWarning().isEmpty());
}

int tst_MainWindow::viewRowOf(const QString &clientId) const
{
    QAbstractItemModel *model = clientTable()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(ClientTableModel::ClientIdRole).toString() == clientId)
            return row;
    }
    return -1;
}

bool tst_MainWindow::waitForClientRow(const QString &clientId)
{
    return QTest::qWaitFor([&] { return viewRowOf(clientId) >= 0; }, 10000);
}

void tst_MainWindow::composerHasFocusWhenTheWindowOpens()
{
    MainWindow *window = createWindow();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QCOMPARE(window->focusWidget(), composer()->editor());
}

void tst_MainWindow::ctrlEnterBroadcastsWhatWasTyped()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    SseClient client;
    client.open(m_host->port(), "/events?client=reader&name=Reader");
    QVERIFY(client.waitForHead());

    ComposerEdit *edit = composer()->editor();
    QTest::keyClicks(edit, u"Doors open at 9:30"_qs);
    QTest::keyClick(edit, Qt::Key_Return); // a plain Enter is a new line, not a send
    QTest::keyClicks(edit, u"<b>not bold</b>"_qs);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);

    QVERIFY(client.waitForEvents(1));
    QCOMPARE(client.dataOf(), QStringList{u"Doors open at 9:30\n<b>not bold</b>"_qs});
    QVERIFY(edit->toPlainText().isEmpty());

    QTRY_COMPARE(logModel()->rowCount(), 1);
    const PublishedEvent logged = logModel()->eventAt(0);
    QCOMPARE(logged.data, u"Doors open at 9:30\n<b>not bold</b>"_qs);
    QCOMPARE(logged.queuedTo, 1);
    QCOMPARE(logged.origin, u"panel"_qs);
}

void tst_MainWindow::upAndDownRecallEarlierMessages()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    ComposerEdit *edit = composer()->editor();
    for (const QString &message : {u"first"_qs, u"second"_qs}) {
        QTest::keyClicks(edit, message);
        QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(edit->toPlainText().isEmpty());
    }
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(edit->toPlainText(), u"second"_qs);
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(edit->toPlainText(), u"first"_qs);
    QTest::keyClick(edit, Qt::Key_Down);
    QCOMPARE(edit->toPlainText(), u"second"_qs);
    QTest::keyClick(edit, Qt::Key_Down);
    QVERIFY(edit->toPlainText().isEmpty());

    // In a box with text of its own, Up is just cursor movement.
    QTest::keyClicks(edit, u"draft"_qs);
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(edit->toPlainText(), u"draft"_qs);
}

void tst_MainWindow::composerCompletesEarlierTypesAndTopics()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    SseClient client;
    client.open(m_host->port(), "/events?topic=weather");
    QVERIFY(client.waitForHead());

    const QList<QLineEdit *> fields{part<QLineEdit>("composerType"), part<QLineEdit>("composerTopic")};
    QTest::keyClicks(fields.at(0), u"alert"_qs);
    QTest::keyClicks(fields.at(1), u"weather"_qs);
    QTest::keyClicks(composer()->editor(), u"Storm at 5"_qs);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(client.waitForEvents(1));
    QCOMPARE(client.events().first().type, u"alert"_qs);
    QCOMPARE(client.events().first().data, u"Storm at 5"_qs);

    QVERIFY(composer()->knownTypes().contains(u"alert"_qs));
    QVERIFY(composer()->knownTopics().contains(u"weather"_qs));
    QVERIFY(fields.at(0)->completer());
    fields.at(0)->completer()->setCompletionPrefix(u"al"_qs);
    QCOMPARE(fields.at(0)->completer()->currentCompletion(), u"alert"_qs);
}

void tst_MainWindow::sendsToSelectedClientsOnly()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    SseClient chosen;
    SseClient other;
    chosen.open(m_host->port(), "/events?client=chosen&name=Chosen");
    other.open(m_host->port(), "/events?client=other&name=Other");
    QVERIFY(chosen.waitForHead());
    QVERIFY(other.waitForHead());
    QVERIFY(waitForClientRow(u"chosen"_qs));
    QVERIFY(waitForClientRow(u"other"_qs));

    clientTable()->selectRow(viewRowOf(u"chosen"_qs));
    QCOMPARE(part<ClientsPane>("clientsPane")->selectedClientIds(), QStringList{u"chosen"_qs});
    QVERIFY(action("sendToSelectedAction")->isEnabled());
    action("sendToSelectedAction")->trigger();
    QCOMPARE(composer()->target(), Composer::Target::SelectedClients);
    QTest::keyClicks(composer()->editor(), u"only for you"_qs);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(chosen.waitForEvents(1));

    composer()->setTarget(Composer::Target::Everyone);
    QTest::keyClicks(composer()->editor(), u"for everyone"_qs);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(chosen.waitForEvents(2));
    QVERIFY(other.waitForEvents(1));
    QCOMPARE(chosen.dataOf(), (QStringList{u"only for you"_qs, u"for everyone"_qs}));
    QCOMPARE(other.dataOf(), QStringList{u"for everyone"_qs});
}

void tst_MainWindow::disconnectingFromTheTableClosesThatClientsStreams()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    SseClient target;
    SseClient bystander;
    target.open(m_host->port(), "/events?client=noisy&name=Noisy");
    bystander.open(m_host->port(), "/events?client=quiet&name=Quiet");
    QVERIFY(target.waitForHead());
    QVERIFY(bystander.waitForHead());
    QVERIFY(waitForClientRow(u"noisy"_qs));

    clientTable()->selectRow(viewRowOf(u"noisy"_qs));
    action("disconnectAction")->trigger();
    QVERIFY(target.waitForClosed());
    QCOMPARE(target.dataOf(u"herald-kicked"_qs).size(), 1);
    QVERIFY(!bystander.isClosed());

    // The row says so, and the service's list no longer has it.
    const int modelRow = clientModel()->rowOf(u"noisy"_qs);
    QCOMPARE(clientModel()->stateAt(modelRow), ClientTableModel::State::Disconnected);
    QTRY_VERIFY(
        !httpRequest("GET", QUrl(u"http://127.0.0.1:%1/api/clients"_qs.arg(m_host->port()))).body.contains("noisy"));
}

void tst_MainWindow::aTakenPortShowsTheMessageAndOffersAnother()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    m_settings.service.port = squatter.serverPort();
    MainWindow *window = createWindow();

    QVERIFY(!window->startService());
    QVERIFY(window->isVisible());
    ServerBar *bar = serverBar();
    QCOMPARE(bar->state(), ServerBar::State::Failed);
    QVERIFY(bar->isBannerShown());
    QVERIFY2(bar->bannerText().contains(QString::number(squatter.serverPort())), qPrintable(bar->bannerText()));
    QVERIFY(bar->bannerText().contains(u"in use"_qs));

    QPushButton *otherPort = nullptr;
    for (QPushButton *button : bar->findChildren<QPushButton *>()) {
        if (button->isVisible() && button->text().startsWith(u"Use port"_qs))
            otherPort = button;
    }
    QVERIFY(otherPort);
    QTest::mouseClick(otherPort, Qt::LeftButton);
    QVERIFY(m_host->isRunning());
    QVERIFY(m_host->port() != squatter.serverPort());
    QVERIFY(otherPort->text().contains(QString::number(m_host->port())));
    QCOMPARE(bar->state(), ServerBar::State::Listening);
    QVERIFY(!bar->isBannerShown());
    QCOMPARE(window->settings().service.port, m_host->port());
    QCOMPARE(httpRequest("GET", QUrl(u"http://127.0.0.1:%1/healthz"_qs.arg(m_host->port()))).status, 200);
}

void tst_MainWindow::serverBarShowsHttpsAndHeraldsAuthority()
{
    m_settings.service.tlsCertificateFile = u"auto"_qs;
    m_settings.service.tlsPort = 0;
    MainWindow *window = createWindow(true);
    QVERIFY(window->startService());
    ServerBar *bar = serverBar();
    // HTTPS first, and plain HTTP too while it is not only a redirect.
    QCOMPARE(bar->urls().first(), u"https://127.0.0.1:%1/"_qs.arg(m_host->tlsPort()));
    QVERIFY(bar->urls().contains(u"http://127.0.0.1:%1/"_qs.arg(m_host->port())));
    QVERIFY(bar->httpsText().contains(m_host->tlsFingerprint()));
    QVERIFY(bar->httpsText().contains(m_host->authorityFingerprint()));
    // Its QR button shows where a device gets the authority, which is there.
    auto *authorityQr = bar->findChild<QToolButton *>(u"authorityQr"_qs);
    QVERIFY(authorityQr && authorityQr->isVisible());
    QTest::mouseClick(authorityQr, Qt::LeftButton);
    QVERIFY(bar->qrUrl().endsWith(u"/herald-ca.crt"_qs));
    QCOMPARE(bar->qrCode()->text(), bar->qrUrl());
    const HttpReply authority = httpRequest("GET", QUrl(bar->qrUrl()));
    QCOMPARE(authority.status, 200);
    QVERIFY(authority.body.startsWith("-----BEGIN CERTIFICATE-----"));
    auto *reload = window->findChild<QAction *>(u"reloadCertificate"_qs);
    QVERIFY(reload && reload->isEnabled());

    // With --tls-only, the live page is on HTTPS with Herald's own certificate, which the window
    // takes because it is the one Herald serves.
    window->stopService();
    QVERIFY(!reload->isEnabled());
    m_settings.service.tlsOnly = true;
    m_window.reset();
    window = createWindow(true);
    QVERIFY(window->startService());
    QVERIFY(serverBar()->urls().first().startsWith(u"https://"_qs));
    QVERIFY(std::none_of(serverBar()->urls().cbegin(), serverBar()->urls().cend(),
                         [](const QString &url) { return url.startsWith(u"http://"_qs); }));
    auto *livePage = window->findChild<QWebEngineView *>(u"livePage"_qs);
    QVERIFY(livePage);
    QTRY_VERIFY_WITH_TIMEOUT(m_host->service()->streamCount() >= 1, 20000);
    QVERIFY(livePage->url().scheme() == u"https"_qs);
}

void tst_MainWindow::serverBarShowsUrlsAndTheirQrCode()
{
    m_settings.service.bindAddress = QHostAddress::Any;
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    ServerBar *bar = serverBar();
    const QString local = u"http://127.0.0.1:%1/"_qs.arg(m_host->port());
    QVERIFY(bar->urls().contains(local));
    QVERIFY(bar->urls().contains(bar->qrUrl()));
    // The QR code prefers an address another device can reach.
    if (bar->urls().size() > 1)
        QVERIFY(bar->qrUrl() != local);
    QCOMPARE(bar->qrCode()->text(), bar->qrUrl());

    // A QR code of version v is 17 + 4v modules wide, with a finder pattern in three corners.
    const auto &modules = bar->qrCode()->modules();
    const int width = int(modules.size());
    QVERIFY(width >= 21);
    QCOMPARE((width - 17) % 4, 0);
    for (const auto &[x, y] : {std::pair{0, 0}, std::pair{width - 7, 0}, std::pair{0, width - 7}}) {
        QVERIFY(modules[y][x] && modules[y + 6][x + 6] && modules[y + 3][x + 3]);
        QVERIFY(!modules[y + 1][x + 1]);
    }
    // It is drawn black on white, with a quiet zone.
    const QImage image = bar->qrCode()->grab().toImage();
    QCOMPARE(image.pixelColor(1, 1), QColor(Qt::white));
    QVERIFY(image.pixelColor(image.width() / 2, image.height() / 2).isValid());
}

void tst_MainWindow::settingsRoundTripThroughQSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings store(QSettings::IniFormat, QSettings::UserScope, u"herald-tests"_qs, u"herald"_qs);
    store.clear();
    QVERIFY(store.fileName().contains(u".qttest"_qs));

    HeraldSettings written;
    written.service.port = 9191;
    written.service.bindAddress = QHostAddress::LocalHost;
    written.service.token = HeraldSettings::generateToken();
    written.service.heartbeatSeconds = 42;
    written.service.retryMilliseconds = 750;
    written.service.history.maxEvents = 77;
    written.service.history.maxBytes = 3 * 1024 * 1024;
    written.service.durability = Durability::Disk;
    written.service.pageHistory = 0;
    written.service.corsOrigin = u"https://example.com"_qs;
    written.service.privateStreams = true;
    written.service.readToken = HeraldSettings::generateToken();
    written.service.maxStreams = 500;
    written.service.maxBodyBytes = 64 * 1024;
    written.service.streamBufferBytes = 256 * 1024;
    written.service.requestTimeoutSeconds = 4;
    written.service.maxTopics = 12;
    written.service.clusterUrl = u"redis://10.0.0.5:6380/2"_qs;
    written.service.clusterPassword = "p@ss word";
    written.service.clusterPrefix = u"site-b"_qs;
    written.listenAtLaunch = false;
    QVERIFY(written.save(store));
    // The file holds the token: nobody else on this computer may read it.
    const QFile::Permissions permissions = QFile::permissions(store.fileName());
    QVERIFY(permissions & QFile::ReadOwner);
    QVERIFY(!(permissions & (QFile::ReadGroup | QFile::ReadOther)));

    QSettings reopened(QSettings::IniFormat, QSettings::UserScope, u"herald-tests"_qs, u"herald"_qs);
    const HeraldSettings read = HeraldSettings::load(reopened);
    QCOMPARE(read.service.port, quint16(9191));
    QCOMPARE(read.service.bindAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(read.service.token, written.service.token);
    QCOMPARE(read.service.token.size(), 32);
    QCOMPARE(read.service.heartbeatSeconds, 42);
    QCOMPARE(read.service.retryMilliseconds, 750);
    QCOMPARE(read.service.history.maxEvents, 77);
    QCOMPARE(read.service.history.maxBytes, 3 * 1024 * 1024);
    QCOMPARE(read.service.durability, Durability::Disk);
    QCOMPARE(read.service.pageHistory, 0);
    QCOMPARE(read.service.corsOrigin, u"https://example.com"_qs);
    QVERIFY(read.service.privateStreams);
    QCOMPARE(read.service.readToken, written.service.readToken);
    QCOMPARE(read.service.maxStreams, 500);
    QCOMPARE(read.service.maxBodyBytes, 64 * 1024);
    QCOMPARE(read.service.streamBufferBytes, 256 * 1024);
    QCOMPARE(read.service.requestTimeoutSeconds, 4);
    QCOMPARE(read.service.maxTopics, 12);
    QCOMPARE(read.service.clusterUrl, u"redis://10.0.0.5:6380/2"_qs);
    QCOMPARE(read.service.clusterPassword, QByteArray("p@ss word"));
    QCOMPARE(read.service.clusterPrefix, u"site-b"_qs);
    QCOMPARE(read.listenAtLaunch, false);

    // Nonsense in the file falls back to the defaults rather than breaking the launch.
    reopened.setValue(u"service/port"_qs, u"eighty"_qs);
    reopened.setValue(u"service/heartbeat"_qs, -5);
    reopened.setValue(u"cluster/prefix"_qs, u"every *"_qs);
    const HeraldSettings repaired = HeraldSettings::load(reopened);
    QCOMPARE(repaired.service.port, ServiceConfig().port);
    QCOMPARE(repaired.service.heartbeatSeconds, ServiceConfig().heartbeatSeconds);
    QCOMPARE(repaired.service.clusterPrefix, ServiceConfig().clusterPrefix);
    reopened.clear();
}

void tst_MainWindow::settingsDialogEditsEverySetting()
{
    SettingsDialog dialog(m_settings);
    field<QSpinBox>(dialog, "port")->setValue(8181);
    field<QComboBox>(dialog, "bind")->setCurrentIndex(0);
    // HTTPS's port and redirect mean something only with a certificate.
    QVERIFY(!field<QSpinBox>(dialog, "tls-port")->isEnabled());
    QVERIFY(!field<QCheckBox>(dialog, "tls-only")->isEnabled());
    field<QLineEdit>(dialog, "tls-cert")->setText(u" /etc/herald/cert.pem "_qs);
    field<QLineEdit>(dialog, "tls-key")->setText(u"/etc/herald/key.pem"_qs);
    QVERIFY(field<QSpinBox>(dialog, "tls-port")->isEnabled());
    field<QSpinBox>(dialog, "tls-port")->setValue(9443);
    field<QCheckBox>(dialog, "tls-only")->setChecked(true);
    field<QLineEdit>(dialog, "token")->clear();
    auto *generate = dialog.findChild<QPushButton *>(u"generateToken"_qs);
    QVERIFY(generate);
    QCOMPARE(generate->text().remove(u'&'), u"Generate"_qs);
    QTest::mouseClick(generate, Qt::LeftButton);
    QCOMPARE(field<QLineEdit>(dialog, "token")->text().size(), 32);
    field<QSpinBox>(dialog, "heartbeat")->setValue(5);
    field<QSpinBox>(dialog, "retry")->setValue(1500);
    field<QSpinBox>(dialog, "history")->setValue(250);
    field<QSpinBox>(dialog, "history-bytes")->setValue(2048);
    field<QSpinBox>(dialog, "page-history")->setValue(5);
    field<QComboBox>(dialog, "durability")->setCurrentIndex(1);
    field<QLineEdit>(dialog, "cors-origin")->setText(u"none"_qs);
    field<QCheckBox>(dialog, "listen-at-launch")->setChecked(false);
    QVERIFY(field<QCheckBox>(dialog, "private")->isEnabled()); // there is a token now
    QVERIFY(!field<QLineEdit>(dialog, "read-token")->isEnabled()); // only private mode has readers
    field<QCheckBox>(dialog, "private")->setChecked(true);
    // Private mode brings a reader token of its own, which the operator may change.
    QVERIFY(field<QLineEdit>(dialog, "read-token")->isEnabled());
    QCOMPARE(field<QLineEdit>(dialog, "read-token")->text().size(), 32);
    QVERIFY(field<QLineEdit>(dialog, "read-token")->text() != field<QLineEdit>(dialog, "token")->text());
    field<QLineEdit>(dialog, "read-token")->setText(u" lobby-reader "_qs);
    field<QSpinBox>(dialog, "max-clients")->setValue(300);
    field<QSpinBox>(dialog, "max-body")->setValue(16);
    field<QSpinBox>(dialog, "client-buffer")->setValue(512);
    field<QSpinBox>(dialog, "request-timeout")->setValue(7);
    QCOMPARE(field<QSpinBox>(dialog, "max-topics")->value(), 64);
    field<QSpinBox>(dialog, "max-topics")->setValue(16);
    field<QLineEdit>(dialog, "cluster")->setText(u" redis://127.0.0.1:6390 "_qs);
    field<QLineEdit>(dialog, "cluster-password")->setText(u"s3cret"_qs);
    QCOMPARE(field<QLineEdit>(dialog, "cluster-password")->echoMode(), QLineEdit::Password);
    auto *prefix = field<QLineEdit>(dialog, "cluster-prefix");
    QCOMPARE(prefix->text(), m_settings.service.clusterPrefix);
    prefix->clear();
    QTest::keyClicks(prefix, u"lobby *one"_qs); // a key prefix takes no space and no '*'
    QCOMPARE(prefix->text(), u"lobbyone"_qs);

    const HeraldSettings edited = dialog.settings();
    QCOMPARE(edited.service.port, quint16(8181));
    QCOMPARE(edited.service.bindAddress, QHostAddress(QHostAddress::Any));
    QCOMPARE(edited.service.tlsCertificateFile, u"/etc/herald/cert.pem"_qs);
    QCOMPARE(edited.service.tlsKeyFile, u"/etc/herald/key.pem"_qs);
    QCOMPARE(edited.service.tlsPort, quint16(9443));
    QVERIFY(edited.service.tlsOnly);
    QCOMPARE(edited.service.token, field<QLineEdit>(dialog, "token")->text());
    QCOMPARE(edited.service.heartbeatSeconds, 5);
    QCOMPARE(edited.service.retryMilliseconds, 1500);
    QCOMPARE(edited.service.history.maxEvents, 250);
    QCOMPARE(edited.service.history.maxBytes, 2048 * 1024);
    QCOMPARE(edited.service.pageHistory, 5);
    QCOMPARE(edited.service.durability, Durability::Disk);
    QVERIFY(edited.service.corsOrigin.isEmpty());
    QCOMPARE(edited.listenAtLaunch, false);
    QVERIFY(edited.service.privateStreams);
    QCOMPARE(edited.service.readToken, u"lobby-reader"_qs);
    QCOMPARE(edited.service.maxStreams, 300);
    QCOMPARE(edited.service.maxBodyBytes, 16 * 1024);
    QCOMPARE(edited.service.streamBufferBytes, 512 * 1024);
    QCOMPARE(edited.service.requestTimeoutSeconds, 7);
    QCOMPARE(edited.service.maxTopics, 16);
    QCOMPARE(edited.service.clusterUrl, u"redis://127.0.0.1:6390"_qs);
    QCOMPARE(edited.service.clusterPassword, QByteArray("s3cret"));
    QCOMPARE(edited.service.clusterPrefix, u"lobbyone"_qs);
    // An empty prefix is the default one, which the field shows greyed.
    prefix->clear();
    QCOMPARE(prefix->placeholderText(), ServiceConfig().clusterPrefix);
    QCOMPARE(dialog.settings().service.clusterPrefix, ServiceConfig().clusterPrefix);
    // Private mode needs a token: without one it cannot be chosen.
    field<QLineEdit>(dialog, "token")->clear();
    QVERIFY(!field<QCheckBox>(dialog, "private")->isEnabled());
    QVERIFY(!dialog.settings().service.privateStreams);
    // Without a certificate, there is no HTTPS to redirect to.
    field<QLineEdit>(dialog, "tls-cert")->clear();
    QVERIFY(!dialog.settings().service.tlsOnly);
    // What the dialog does not show is kept.
    QCOMPARE(edited.service.dataDirectory, m_settings.service.dataDirectory);
}

void tst_MainWindow::newTokenAppliesWithoutRestart()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    const quint16 port = m_host->port();
    SseClient reader;
    reader.open(port, "/events?client=reader");
    QVERIFY(reader.waitForHead());
    const QUrl publish(u"http://127.0.0.1:%1/publish"_qs.arg(port));
    const QList<QPair<QByteArray, QByteArray>> text{{"Content-Type", "text/plain"}};
    QCOMPARE(httpRequest("POST", publish, "open", text).status, 200);

    HeraldSettings changed = window->settings();
    changed.service.token = u"s3cret-token"_qs;
    window->applySettings(changed);
    QTRY_COMPARE(httpRequest("POST", publish, "no token", text).status, 401);
    QCOMPARE(httpRequest("POST", publish, "with token",
                         text + QList<QPair<QByteArray, QByteArray>>{{"Authorization", "Bearer s3cret-token"}})
                 .status,
             200);

    // Same service, same connection: the reader saw both accepted events and nothing else.
    QCOMPARE(m_host->port(), port);
    QVERIFY(reader.waitForEvents(2));
    QCOMPARE(reader.dataOf(), (QStringList{u"open"_qs, u"with token"_qs}));
    QVERIFY(!reader.isClosed());
    // And it was saved for the next launch.
    QCOMPARE(HeraldSettings::load(*m_store).service.token, u"s3cret-token"_qs);
}

void tst_MainWindow::aFlagForOneRunIsNotSavedWithOtherChanges()
{
    // Saved: port 9191 and a heartbeat of 20 s. This run was started with --port 0 and
    // --heartbeat 5, which win for the run only.
    HeraldSettings saved;
    saved.service.port = 9191;
    saved.service.heartbeatSeconds = 20;
    QVERIFY(saved.save(*m_store));
    m_settings.service.port = 0;
    m_settings.service.heartbeatSeconds = 5;
    MainWindow *window = createWindow();
    QVERIFY(window->startService());

    // The operator changes one thing: the history length.
    HeraldSettings changed = window->settings();
    changed.service.history.maxEvents = 321;
    window->applySettings(changed);

    const HeraldSettings next = HeraldSettings::load(*m_store);
    QCOMPARE(next.service.history.maxEvents, 321);
    QCOMPARE(next.service.port, quint16(9191));
    QCOMPARE(next.service.heartbeatSeconds, 20);
    // A flag's setting the operator changes in the window is saved like any other.
    changed = window->settings();
    changed.service.heartbeatSeconds = 7;
    window->applySettings(changed);
    QCOMPARE(HeraldSettings::load(*m_store).service.heartbeatSeconds, 7);
}

void tst_MainWindow::newPortRestartsTheService()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 newPort = probe.serverPort();
    probe.close();

    HeraldSettings changed = window->settings();
    changed.service.port = newPort;
    window->applySettings(changed);
    QCOMPARE(m_host->port(), newPort);
    QCOMPARE(serverBar()->state(), ServerBar::State::Listening);
    QVERIFY(serverBar()->urls().contains(u"http://127.0.0.1:%1/"_qs.arg(newPort)));
}

void tst_MainWindow::windowStateIsRestored()
{
    MainWindow *window = createWindow();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    window->resize(1100, 760);
    part<QSplitter>("clientsComposerSplitter")->setSizes({300, 250});
    QTRY_COMPARE(window->size(), QSize(1100, 760));
    const QList<int> sizes = part<QSplitter>("clientsComposerSplitter")->sizes();
    window->close();
    m_window.reset();

    MainWindow *again = createWindow();
    QVERIFY(QTest::qWaitForWindowExposed(again));
    QCOMPARE(again->size(), QSize(1100, 760));
    QCOMPARE(part<QSplitter>("clientsComposerSplitter")->sizes(), sizes);
}

void tst_MainWindow::theLogRecordsApiEventsAndSearches()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    const QUrl publish(u"http://127.0.0.1:%1/publish"_qs.arg(m_host->port()));
    QCOMPARE(httpRequest("POST", publish, R"({"data": "from curl", "topic": "ops", "event": "note"})",
                         {{"Content-Type", "application/json"}})
                 .status,
             200);
    QCOMPARE(httpRequest("GET", QUrl(u"http://127.0.0.1:%1/say?msg=hi+there"_qs.arg(m_host->port()))).status, 200);
    QTRY_COMPARE(logModel()->rowCount(), 2);
    const PublishedEvent first = logModel()->eventAt(0);
    QCOMPARE(first.data, u"from curl"_qs);
    QCOMPARE(first.topic, u"ops"_qs);
    QCOMPARE(first.type, u"note"_qs);
    QCOMPARE(logModel()->eventAt(1).data, u"hi there"_qs);

    auto *logView = window->findChild<QTableView *>(u"eventLog"_qs);
    QVERIFY(logView);
    QLineEdit *search = nullptr;
    for (QLineEdit *field : window->findChildren<QLineEdit *>()) {
        if (field->placeholderText() == u"Search the log"_qs)
            search = field;
    }
    QVERIFY(search);
    QTest::keyClicks(search, u"CURL"_qs);
    QCOMPARE(logView->model()->rowCount(), 1);
    search->clear();
    QCOMPARE(logView->model()->rowCount(), 2);
}

void tst_MainWindow::theLivePageIsAConnectedClient_data()
{
    QTest::addColumn<bool>("privateStreams");
    QTest::newRow("open") << false;
    QTest::newRow("private") << true;
}

void tst_MainWindow::theLivePageIsAConnectedClient()
{
    QFETCH(bool, privateStreams);
    if (privateStreams) {
        m_settings.service.token = HeraldSettings::generateToken();
        m_settings.service.privateStreams = true;
    }
    MainWindow *window = createWindow(true);
    QVERIFY(window->startService());
    QVERIFY(part<QWebEngineView>("livePage"));
    if (privateStreams) {
        // A private Herald's page is its own client through the reader token its links carry,
        // and lands on an address without it.
        const QString readToken = window->settings().service.readToken;
        QVERIFY(!readToken.isEmpty() && readToken != m_settings.service.token);
        QVERIFY(serverBar()->urls().first().endsWith(u"?token="_qs + readToken));
        QTRY_VERIFY_WITH_TIMEOUT(part<QWebEngineView>("livePage")->url().query() == u"name=Control panel"_qs, 30000);
        SseClient stranger;
        stranger.open(m_host->port(), "/events");
        QVERIFY(stranger.waitForHead());
        QCOMPARE(stranger.status(), 401);
    }

    // The embedded view is a real browser client, listed in the table like any other.
    QString pageId;
    QVERIFY(QTest::qWaitFor(
        [&] {
            ClientTableModel *model = clientModel();
            for (int row = 0; row < model->rowCount(); ++row) {
                if (model->index(row, ClientTableModel::NameColumn).data().toString() == u"Control panel"_qs
                    && model->index(row, ClientTableModel::BrowserColumn)
                           .data()
                           .toString()
                           .startsWith(u"QtWebEngine"_qs)) {
                    pageId = model->clientIdAt(row);
                    return true;
                }
            }
            return false;
        },
        30000));
    QVERIFY(!pageId.isEmpty());

    // What the operator types shows up in it, as text.
    const QString message = u"<img src=x onerror=\"document.title='hacked'\"> Hello, audience"_qs;
    composer()->editor()->setPlainText(message);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(QTest::qWaitFor(
        [&] {
            bool found = false;
            bool done = false;
            part<QWebEngineView>("livePage")
                ->page()
                ->runJavaScript(u"document.body.innerText"_qs, [&](const QVariant &text) {
                    found = text.toString().contains(u"Hello, audience"_qs) && text.toString().contains(u"<img"_qs);
                    done = true;
                });
            if (!QTest::qWaitFor([&] { return done; }, 2000))
                return false;
            return found;
        },
        15000));
    QVERIFY(part<QWebEngineView>("livePage")->title() != u"hacked"_qs);

    // It can be popped out into a window of its own, and hidden.
    QDockWidget *dock = part<QDockWidget>("livePageDock");
    dock->setFloating(true);
    QVERIFY(dock->isFloating());
    QVERIFY(dock->isWindow());
    dock->toggleViewAction()->trigger();
    QVERIFY(dock->isHidden());
}

void tst_MainWindow::speaksSimplifiedChinese()
{
    QVERIFY(installTranslations(QLocale(QLocale::Chinese, QLocale::China)));
    MainWindow *window = createWindow();
    QStringList menus;
    for (QAction *action : window->menuBar()->actions())
        menus.append(action->text());
    QCOMPARE(menus.first(), u"文件(&F)"_qs);
    QVERIFY(window->findChild<QLabel *>(u"serverState"_qs)->text().contains(u"已停止"_qs));
    QCOMPARE(clientModel()->headerData(ClientTableModel::NameColumn, Qt::Horizontal).toString(), u"名称"_qs);
    m_window.reset();
    for (QTranslator *translator : qApp->findChildren<QTranslator *>()) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
    QCOMPARE(ClientTableModel().headerData(ClientTableModel::NameColumn, Qt::Horizontal).toString(), u"Name"_qs);
}

void tst_MainWindow::retractingFromTheLogStrikesItThroughAndPagesForgetIt()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    SseClient page;
    page.open(m_host->port(), "/events");
    QVERIFY(page.waitForHead());
    for (const QString &message : {u"sent by mistake"_qs, u"the right one"_qs}) {
        QTest::keyClicks(composer()->editor(), message);
        QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    }
    QTRY_COMPARE(logModel()->rowCount(), 2);
    QVERIFY(page.waitForEvents(2));

    auto *logView = part<QTableView>("eventLog");
    logView->selectRow(0);
    action("retractAction")->trigger();
    QVERIFY(page.waitForEvents(3));
    QCOMPARE(page.events().last().type, u"herald-retract"_qs);
    QTRY_VERIFY(logModel()->isRetracted(0));
    QVERIFY(logModel()->index(0, EventLogModel::TextColumn).data(Qt::FontRole).value<QFont>().strikeOut());
    QVERIFY(!logModel()->isRetracted(1));

    SseClient reloaded;
    reloaded.open(m_host->port(), "/events", {"Last-Event-ID: 0"});
    QVERIFY(reloaded.waitForEvents(1));
    QCOMPARE(reloaded.dataOf(), QStringList{u"the right one"_qs});
}

void tst_MainWindow::theComposerSendsTheMessageFieldsAndPreviewsMarkdown()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    SseClient page;
    page.open(m_host->port(), "/events?format=json");
    QVERIFY(page.waitForHead());

    QTest::keyClicks(part<QLineEdit>("composerTitle"), u"Lunch"_qs);
    part<QComboBox>("composerPriority")->setCurrentIndex(4); // urgent
    QTest::keyClicks(part<QLineEdit>("composerTags"), u"pizza, tada"_qs);
    QTest::keyClicks(part<QLineEdit>("composerClick"), u"https://example.com/menu"_qs);
    auto *preview = part<QTextBrowser>("composerPreview");
    QVERIFY(!preview->isVisibleTo(window));
    part<QCheckBox>("composerMarkdown")->setChecked(true);
    QVERIFY(preview->isVisibleTo(window));
    QTest::keyClicks(composer()->editor(), u"**Pizza** is here <b>raw</b>"_qs);

    // The preview renders the Markdown as it is typed, and leaves raw HTML as text.
    QTRY_VERIFY(preview->toPlainText().contains(u"Pizza is here <b>raw</b>"_qs));
    QTextCursor cursor = preview->document()->find(u"Pizza"_qs);
    QVERIFY(!cursor.isNull());
    QCOMPARE(cursor.charFormat().fontWeight(), int(QFont::Bold));

    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(page.waitForEvents(1));
    const QJsonObject envelope = QJsonDocument::fromJson(page.events().first().data.toUtf8()).object();
    QCOMPARE(envelope.value(u"data"_qs).toString(), u"**Pizza** is here <b>raw</b>"_qs);
    QCOMPARE(envelope.value(u"title"_qs).toString(), u"Lunch"_qs);
    QCOMPARE(envelope.value(u"priority"_qs).toInt(), 5);
    QCOMPARE(envelope.value(u"tags"_qs).toArray(), (QJsonArray{u"pizza"_qs, u"tada"_qs}));
    QCOMPARE(envelope.value(u"click"_qs).toString(), u"https://example.com/menu"_qs);
    QCOMPARE(envelope.value(u"markdown"_qs).toBool(), true);

    // The log shows them, and the tags are offered again.
    QTRY_COMPARE(logModel()->rowCount(), 1);
    QCOMPARE(logModel()->index(0, EventLogModel::TitleColumn).data().toString(), u"Lunch"_qs);
    QCOMPARE(logModel()->index(0, EventLogModel::PriorityColumn).data().toString(), u"urgent"_qs);
    QCOMPARE(logModel()->index(0, EventLogModel::TagsColumn).data().toString(), u"pizza, tada"_qs);
    QVERIFY(composer()->knownTags().contains(u"pizza, tada"_qs));

    // A bad field is refused before anything is sent.
    part<QLineEdit>("composerClick")->setText(u"javascript:alert(1)"_qs);
    QTest::keyClicks(composer()->editor(), u"again"_qs);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(part<QLabel>("composerError")->isVisibleTo(window));
    QVERIFY(part<QLabel>("composerError")->text().contains(u"click"_qs));
    QTest::qWait(200);
    QCOMPARE(page.events().size(), 1);
}

void tst_MainWindow::editingFromTheLogPutsTheNewVersionEverywhere()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    SseClient page;
    page.open(m_host->port(), "/events");
    QVERIFY(page.waitForHead());
    QTest::keyClicks(part<QLineEdit>("composerTitle"), u"Hall B"_qs);
    QTest::keyClicks(composer()->editor(), u"Doors open at 9"_qs);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(logModel()->rowCount(), 1);
    QVERIFY(page.waitForEvents(1));

    // Edit from the log's menu: the composer holds the event, and Send becomes Save.
    part<QTableView>("eventLog")->selectRow(0);
    action("editAction")->trigger();
    QCOMPARE(composer()->editingId(), logModel()->eventAt(0).id);
    QCOMPARE(composer()->text(), u"Doors open at 9"_qs);
    QCOMPARE(part<QLineEdit>("composerTitle")->text(), u"Hall B"_qs);
    QVERIFY(part<QLabel>("composerEditing")->isVisibleTo(window));
    bool saveShown = false;
    for (QPushButton *button : composer()->findChildren<QPushButton *>())
        saveShown = saveShown || button->text() == u"&Save"_qs;
    QVERIFY(saveShown);

    composer()->editor()->setPlainText(u"Doors open at 10"_qs);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(page.waitForEvents(2));
    QCOMPARE(page.events().at(1).type, u"herald-edit"_qs);
    QCOMPARE(QJsonDocument::fromJson(page.events().at(1).data.toUtf8()).object().value(u"data"_qs).toString(),
             u"Doors open at 10"_qs);

    // The log shows the new version, marked edited; the composer sends new events again.
    QTRY_VERIFY(logModel()->isEdited(0));
    QCOMPARE(logModel()->rowCount(), 1);
    QCOMPARE(logModel()->index(0, EventLogModel::TextColumn).data().toString(), u"Doors open at 10"_qs);
    QVERIFY(logModel()->index(0, EventLogModel::TextColumn).data(Qt::FontRole).value<QFont>().italic());
    QCOMPARE(composer()->editingId(), 0u);
    QVERIFY(composer()->text().isEmpty());
    const QUrl stats(u"http://127.0.0.1:%1/api/stats"_qs.arg(m_host->port()));
    QTRY_COMPARE(httpRequest("GET", stats).json().object().value(u"edited"_qs).toInt(), 1);
}

void tst_MainWindow::thePublisherLinkLetsAPhonePublish()
{
    m_settings.service.token = u"pub-t0ken"_qs;
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    QTest::mouseClick(part<QPushButton>("publisherLinkButton"), Qt::LeftButton);
    QUrl link(serverBar()->qrUrl());
    // Anyone who sees the QR code may publish, but does not learn the token.
    QVERIFY(!link.toString().contains(u"pub-t0ken"_qs));
    QVERIFY(!QUrlQuery(link).queryItemValue(u"publisher"_qs).isEmpty());
    QCOMPARE(serverBar()->qrCode()->text(), link.toString());
    // Followed on a phone, it gives that browser the right to publish from the page.
    link.setHost(u"127.0.0.1"_qs);
    const HttpReply reply = httpRequest("GET", link);
    QCOMPARE(reply.status, 303);
    const QByteArray cookie = reply.header("Set-Cookie");
    QVERIFY(cookie.startsWith("herald_publisher="));
    QVERIFY(!cookie.contains("pub-t0ken"));
    const QByteArray sentBack = cookie.left(cookie.indexOf(';'));
    link.setQuery(QString());
    QCOMPARE(httpRequest("POST", link.resolved(QUrl(u"/publish"_qs)), "from a phone",
                         {{"Content-Type", "text/plain"}, {"Cookie", sentBack}})
                 .status,
             200);
}

void tst_MainWindow::aPrivateHeraldsLinksCarryTheReaderTokenNotTheToken()
{
    m_settings.service.bindAddress = QHostAddress::Any;
    m_settings.service.token = u"operator-t0ken"_qs;
    m_settings.service.readToken = u"audience-t0ken"_qs;
    m_settings.service.privateStreams = true;
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    const QStringList urls = serverBar()->urls();
    QVERIFY(urls.contains(u"http://127.0.0.1:%1/?token=audience-t0ken"_qs.arg(m_host->port())));
    for (const QString &url : urls) {
        QVERIFY2(url.endsWith(u"/?token=audience-t0ken"_qs), qPrintable(url));
        QVERIFY2(!url.contains(u"operator"_qs), qPrintable(url));
    }
    QVERIFY(serverBar()->qrCode()->text().endsWith(u"/?token=audience-t0ken"_qs));
    QVERIFY(!serverBar()->qrCode()->text().contains(u"operator"_qs));

    // What a phone that scans it gets: the page, and no right to publish.
    const HttpReply joined
        = httpRequest("GET", QUrl(u"http://127.0.0.1:%1/?token=audience-t0ken"_qs.arg(m_host->port())));
    QCOMPARE(joined.status, 303);
    QVERIFY(!joined.header("Set-Cookie").contains("t0ken"));
    const HttpReply published
        = httpRequest("POST", QUrl(u"http://127.0.0.1:%1/publish"_qs.arg(m_host->port())), "x",
                      {{"Content-Type", "text/plain"}, {"Authorization", "Bearer audience-t0ken"}});
    QCOMPARE(published.status, 403);

    // A new reader token, typed in the Settings dialog, is saved and changes the links at once;
    // the old one no longer lets anyone in.
    SettingsDialog dialog(window->settings());
    QCOMPARE(field<QLineEdit>(dialog, "read-token")->text(), u"audience-t0ken"_qs);
    field<QLineEdit>(dialog, "read-token")->setText(u"next-audience"_qs);
    window->applySettings(dialog.settings());
    QTRY_VERIFY(!serverBar()->urls().isEmpty() && serverBar()->urls().first().endsWith(u"?token=next-audience"_qs));
    QVERIFY(serverBar()->qrCode()->text().endsWith(u"?token=next-audience"_qs));
    QCOMPARE(HeraldSettings::load(*m_store).service.readToken, u"next-audience"_qs);
    SseClient oldLink;
    oldLink.open(m_host->port(), "/events?token=audience-t0ken");
    QVERIFY(oldLink.waitForHead());
    QCOMPARE(oldLink.status(), 401);
}

void tst_MainWindow::aPrivateHeraldWithoutAReaderTokenMakesOneAndKeepsIt()
{
    m_settings.service.token = u"operator-t0ken"_qs;
    m_settings.service.privateStreams = true;
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    const QString readToken = window->settings().service.readToken;
    QCOMPARE(readToken.size(), 32);
    QVERIFY(serverBar()->urls().first().endsWith(u"?token="_qs + readToken));
    // Saved, so that the links and the QR code given out still work at the next launch.
    QCOMPARE(HeraldSettings::load(*m_store).service.readToken, readToken);
    window->stopService();
    QVERIFY(window->startService());
    QCOMPARE(window->settings().service.readToken, readToken);
    QVERIFY(serverBar()->urls().first().endsWith(u"?token="_qs + readToken));
}

void tst_MainWindow::theDialogKeepsTheReaderTokenApartFromTheToken()
{
    m_settings.service.token = u"operator-t0ken"_qs;
    m_settings.service.readToken = u"audience-t0ken"_qs;
    m_settings.service.privateStreams = true;
    SettingsDialog dialog(m_settings);
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *problem = dialog.findChild<QLabel *>(u"readTokenProblem"_qs);
    QVERIFY(problem);
    QVERIFY(ok->isEnabled());
    QVERIFY(problem->isHidden());
    field<QLineEdit>(dialog, "read-token")->setText(u"operator-t0ken"_qs);
    QVERIFY(!ok->isEnabled());
    QVERIFY(!problem->isHidden());
    QVERIFY(problem->text().contains(u"differ"_qs));
    // Its Generate button makes another.
    QTest::mouseClick(dialog.findChild<QPushButton *>(u"generateReadToken"_qs), Qt::LeftButton);
    QCOMPARE(field<QLineEdit>(dialog, "read-token")->text().size(), 32);
    QVERIFY(ok->isEnabled());
    QVERIFY(problem->isHidden());
    // A new token equal to the reader token is refused the same way.
    field<QLineEdit>(dialog, "token")->setText(field<QLineEdit>(dialog, "read-token")->text());
    QVERIFY(!ok->isEnabled());
    field<QLineEdit>(dialog, "token")->setText(u"operator-t0ken"_qs);
    QVERIFY(ok->isEnabled());
    // A cleared field gets a fresh one: a private Herald always has its own.
    field<QLineEdit>(dialog, "read-token")->clear();
    const QString made = dialog.settings().service.readToken;
    QCOMPARE(made.size(), 32);
    QVERIFY(made != u"operator-t0ken"_qs);
}

void tst_MainWindow::aPublisherLinkWithoutATokenOffersToMakeOne()
{
    MainWindow *window = createWindow();
    QVERIFY(window->startService());
    QVERIFY(window->settings().service.token.isEmpty());
    bool asked = false;
    QTimer::singleShot(0, this, [&] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        asked = box->text().contains(u"token"_qs);
        box->button(QMessageBox::Yes)->click();
    });
    QTest::mouseClick(part<QPushButton>("publisherLinkButton"), Qt::LeftButton);
    QVERIFY(asked);
    const QString token = window->settings().service.token;
    QCOMPARE(token.size(), 32);
    QCOMPARE(HeraldSettings::load(*m_store).service.token, token); // saved for the next launch
    // The link works with the new token.
    QUrl link(serverBar()->qrUrl());
    link.setHost(u"127.0.0.1"_qs);
    QTRY_COMPARE(httpRequest("GET", link).status, 303);
    // The running service took it: publishing without it is refused now.
    QTRY_COMPARE(httpRequest("POST", QUrl(u"http://127.0.0.1:%1/publish"_qs.arg(m_host->port())), "x",
                             {{"Content-Type", "text/plain"}})
                     .status,
                 401);
}

void tst_MainWindow::inAClusterTheWindowShowsTheEngineAndEveryNodesClients()
{
    if (!RedisServer::isInstalled())
        QSKIP("redis-server is not installed (tools/setup installs it)");
    RedisServer redis;
    QVERIFY(redis.start());
    m_settings.service.clusterUrl = redis.url();
    MainWindow *window = createWindow();
    QVERIFY(window->startService());

    // Another Herald of the cluster, with a browser of its own.
    QTemporaryDir otherData;
    QProcess other;
    other.start(QStringLiteral(HERALD_BINARY),
                {u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs, u"0"_qs, u"--data-dir"_qs,
                 otherData.path(), u"--cluster"_qs, redis.url()});
    const auto stopOther = qScopeGuard([&other] {
        other.terminate();
        other.waitForFinished(5000);
    });
    QString output;
    const quint16 otherPort = waitForHeraldPort(other, &output, u"Ctrl+C"_qs);
    QVERIFY2(otherPort, qPrintable(output));
    SseClient far;
    far.open(otherPort, "/events?client=on-the-other-node&name=Far%20away");
    QVERIFY(far.waitForHead());

    auto *engine = part<QLabel>("clusterState");
    QTRY_VERIFY_WITH_TIMEOUT(engine->isVisible() && engine->text().contains(u"2 nodes"_qs), 15000);
    QVERIFY(engine->text().contains(redis.url()));
    QVERIFY(!engine->text().contains(u"password"_qs));

    // "All nodes" lists the other node's browser too; unticked, only this node's.
    auto *allNodes = part<QCheckBox>("allNodes");
    QTRY_VERIFY(allNodes->isVisible());
    QVERIFY(viewRowOf(u"on-the-other-node"_qs) < 0);
    allNodes->setChecked(true);
    QVERIFY(waitForClientRow(u"on-the-other-node"_qs));
    allNodes->setChecked(false);
    QTRY_VERIFY_WITH_TIMEOUT(
        clientModel()->stateAt(clientModel()->rowOf(u"on-the-other-node"_qs)) != ClientTableModel::State::Live, 10000);
}

int main(int argc, char *argv[])
{
    if (geteuid() == 0)
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    tst_MainWindow test;
    return QTest::qExec(&test, argc, argv);
}

namespace {

/// Runs \a act on the modal dialog of type T as soon as it opens.
template<typename T>
void whenOpen(QObject *context, std::function<void(T *dialog)> act)
{
    auto *poll = new QTimer(context);
    QObject::connect(poll, &QTimer::timeout, context, [poll, act] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            poll->deleteLater();
            poll->stop();
            act(dialog);
        }
    });
    poll->start(20);
}

} // namespace

void tst_MainWindow::theComposerAttachesAFileByDialogDropOrPaste()
{
    createWindow();
    QVERIFY(m_window->startService());
    AttachmentBox *attachment = composer()->attachment();
    const QString planPath = m_dir->filePath(u"plan.png"_qs);
    const QByteArray plan = pngPicture(120, 80);
    QFile planFile(planPath);
    QVERIFY(planFile.open(QIODevice::WriteOnly));
    planFile.write(plan);
    planFile.close();
    const QString schedulePath = m_dir->filePath(u"schedule.pdf"_qs);
    QFile scheduleFile(schedulePath);
    QVERIFY(scheduleFile.open(QIODevice::WriteOnly));
    scheduleFile.write("%PDF-1.4\n" + QByteArray(2000, ' '));
    scheduleFile.close();

    // Attach…: the file dialog.
    part<QPushButton>("composerAttach")->click();
    auto *dialog = attachment->findChild<QFileDialog *>(u"attachmentDialog"_qs);
    QVERIFY(dialog && dialog->isVisible());
    dialog->selectFile(planPath);
    QMetaObject::invokeMethod(dialog, "accept"); // QFileDialog's own, which takes the file selected
    QTRY_COMPARE(attachment->name(), u"plan.png"_qs);
    QCOMPARE(attachment->content(), plan);
    QVERIFY(attachment->isVisible());
    QVERIFY(!part<QLabel>("attachmentThumbnail")->pixmap().isNull()); // a picture shows as one
    part<QPushButton>("attachmentRemove")->click();
    QVERIFY(attachment->isEmpty());
    QVERIFY(!attachment->isVisible());

    // A file dropped on the composer.
    QMimeData dropped;
    dropped.setUrls({QUrl::fromLocalFile(schedulePath)});
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &dropped, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(composer(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &dropped, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(composer(), &drop);
    QCOMPARE(attachment->name(), u"schedule.pdf"_qs);
    QVERIFY(part<QLabel>("attachmentThumbnail")->pixmap().isNull());

    // A picture pasted into the text: it becomes the file, and the text stays as typed.
    QTest::keyClicks(composer()->editor(), u"Where everything is"_qs);
    QImage copied(64, 48, QImage::Format_RGB32);
    copied.fill(Qt::darkRed);
    QApplication::clipboard()->setImage(copied);
    composer()->editor()->paste();
    QCOMPARE(attachment->name(), u"pasted picture.png"_qs);
    QCOMPARE(composer()->text(), u"Where everything is"_qs);
    QImage pasted;
    QVERIFY(pasted.loadFromData(attachment->content()));
    QCOMPARE(pasted.size(), QSize(64, 48));

    // Sent, the message carries it to every reader, byte for byte, and the log shows it.
    SseClient stream;
    stream.open(m_host->port(), "/events?format=json");
    QVERIFY(stream.waitForHead());
    const QByteArray sentFile = attachment->content();
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(stream.waitForEvents(1));
    const QJsonObject event = QJsonDocument::fromJson(stream.events().constLast().data.toUtf8()).object();
    QCOMPARE(event.value(u"data").toString(), u"Where everything is"_qs);
    const QJsonObject carried = event.value(u"attachment").toObject();
    QCOMPARE(carried.value(u"name").toString(), u"pasted picture.png"_qs);
    QCOMPARE(carried.value(u"type").toString(), u"image/png"_qs);
    const HttpReply file = httpRequest("GET", QUrl(carried.value(u"url").toString()));
    QCOMPARE(file.status, 200);
    QCOMPARE(file.body, sentFile);
    QVERIFY(attachment->isEmpty()); // the composer is ready for the next one
    QTRY_COMPARE(logModel()->rowCount(), 1);
    QVERIFY(logModel()->index(0, EventLogModel::TextColumn).data().toString().contains(u"pasted picture.png"_qs));

    // An edit from the panel changes the words; the file stays the event's.
    const quint64 id = stream.events().constLast().lastEventId.toULongLong();
    m_host->edit(id, u"Where everything is, now"_qs, MessageFields(), 0);
    QTRY_VERIFY(stream.events().constLast().type == u"herald-edit"_qs);
    SseClient replay;
    replay.open(m_host->port(), "/events?format=json", {"Last-Event-ID: 0"});
    QVERIFY(replay.waitForEvents(1));
    const QJsonObject current = QJsonDocument::fromJson(replay.events().constFirst().data.toUtf8()).object();
    QCOMPARE(current.value(u"data").toString(), u"Where everything is, now"_qs);
    QCOMPARE(current.value(u"attachment").toObject(), carried);

    // A file over --attachment-max is not taken, and the composer says why.
    HeraldSettings small = m_settings;
    small.service.attachmentMaxBytes = 100;
    m_window->applySettings(small);
    QVERIFY(!attachment->attachFile(planPath));
    QVERIFY(attachment->isEmpty());
    QVERIFY(!part<QLabel>("composerError")->isHidden());
}

void tst_MainWindow::aMessageScheduledFromTheComposerWaitsInTheListToBeChangedOrCancelled()
{
    createWindow();
    QVERIFY(m_window->startService());
    auto *list = part<QTreeWidget>("scheduledList");
    QTest::keyClicks(composer()->editor(), u"Session starts in 5 minutes"_qs);
    part<QLineEdit>("composerTopic")->setText(u"hall"_qs);
    const QDateTime inAnHour = QDateTime::currentDateTime().addSecs(3600);
    whenOpen<QDialog>(this, [&](QDialog *dialog) {
        dialog->findChild<QDateTimeEdit *>(u"scheduleWhen"_qs)->setDateTime(inAnHour);
        dialog->accept();
    });
    part<QPushButton>("composerSchedule")->click();
    QTRY_COMPARE(list->topLevelItemCount(), 1);
    QVERIFY(composer()->text().isEmpty());
    QTreeWidgetItem *row = list->topLevelItem(0);
    QCOMPARE(row->text(2), u"hall"_qs);
    QCOMPARE(row->text(3), u"Session starts in 5 minutes"_qs);
    QVERIFY2(row->text(1).startsWith(u"in 59 min"_qs) || row->text(1).startsWith(u"in 1 h"_qs),
             qPrintable(row->text(1)));
    const QJsonArray waiting
        = httpRequest("GET", QUrl(u"http://127.0.0.1:%1/api/scheduled"_qs.arg(m_host->port()))).json().array();
    QCOMPARE(waiting.size(), 1);
    QVERIFY(qAbs(waiting.at(0).toObject().value(u"scheduled").toInteger() - inAnHour.toSecsSinceEpoch()) <= 1);

    // Change: new words and time.
    row->setSelected(true);
    const QDateTime inTwoHours = QDateTime::currentDateTime().addSecs(7200);
    whenOpen<QDialog>(this, [&](QDialog *dialog) {
        dialog->findChild<QDateTimeEdit *>(u"scheduleWhen"_qs)->setDateTime(inTwoHours);
        dialog->findChild<QPlainTextEdit *>(u"scheduleText"_qs)->setPlainText(u"Session starts at ten"_qs);
        dialog->accept();
    });
    part<QPushButton>("scheduledChange")->click();
    QTRY_COMPARE(list->topLevelItem(0)->text(3), u"Session starts at ten"_qs);
    const QJsonObject changed = httpRequest("GET", QUrl(u"http://127.0.0.1:%1/api/scheduled"_qs.arg(m_host->port())))
                                    .json()
                                    .array()
                                    .at(0)
                                    .toObject();
    QCOMPARE(changed.value(u"data").toString(), u"Session starts at ten"_qs);
    QVERIFY(qAbs(changed.value(u"scheduled").toInteger() - inTwoHours.toSecsSinceEpoch()) <= 1);

    // Cancel: gone from the list and from the service.
    list->topLevelItem(0)->setSelected(true);
    part<QPushButton>("scheduledCancel")->click();
    QTRY_COMPARE(list->topLevelItemCount(), 0);
    QVERIFY(
        httpRequest("GET", QUrl(u"http://127.0.0.1:%1/api/scheduled"_qs.arg(m_host->port()))).json().array().isEmpty());
    QCOMPARE(ScheduledPane::countdown(61'000), u"in 1 min 1 s"_qs);
    QCOMPARE(ScheduledPane::countdown(2 * 86'400'000 + 3 * 3'600'000), u"in 2 d 3 h"_qs);
}

#include "tst_mainwindow.moc"