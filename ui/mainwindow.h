#pragma once

#include "clientinfo.h"
#include "heraldservice.h"
#include "heraldsettings.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>

class ClientTableModel;
class Composer;
class EventLogModel;
class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QSettings;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTimer;
class QWebEngineView;
class ServerBar;
class ServiceHost;

/// Herald's control panel: the server bar, the clients table, the composer, the log and the
/// live page, over a ServiceHost. Nothing here waits on the service: commands go out at once
/// and results come back as signals, and the client list is refreshed a few times a second.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    struct Options
    {
        bool livePage = true; ///< embed the page LAN browsers get, connected as a real client
        int refreshMilliseconds = 400; ///< how often the clients table and status bar refresh
    };

    MainWindow(ServiceHost *host, QSettings *store, const HeraldSettings &settings, const Options &options,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Starts the service with the current settings. On failure the server bar explains why
    /// and, for a taken port, offers a free one.
    bool startService();
    void stopService();
    const HeraldSettings &settings() const { return m_settings; }
    /// Takes new settings (as the dialog does): saves them, applies what can change while
    /// running, and restarts the service when the address or port changed.
    void applySettings(const HeraldSettings &settings);

    ServerBar *serverBar() const { return m_serverBar; }
    Composer *composer() const { return m_composer; }
    QTableView *clientView() const { return m_clientView; }
    ClientTableModel *clientModel() const { return m_clientModel; }
    EventLogModel *logModel() const { return m_logModel; }
    QWebEngineView *livePage() const { return m_livePage; }
    QDockWidget *livePageDock() const { return m_liveDock; }
    QSplitter *splitter() const { return m_splitter; }
    QAction *kickAction() const { return m_kickAction; }
    QAction *sendToSelectedAction() const { return m_sendToSelectedAction; }
    QAction *copyDetailsAction() const { return m_copyDetailsAction; }
    QStringList selectedClientIds() const;
    QString statusText() const;
    /// The standing warning that history is not reaching the disk, or empty.
    QString historyWarning() const;

public Q_SLOTS:
    void send();
    void kickSelected();
    void copySelectedDetails();
    void prepareSendToSelected();
    void exportLog();
    void openSettings();
    /// Asks the service for a fresh client list and figures.
    void refresh();

Q_SIGNALS:
    /// A client list from the service reached the table (tests wait on it).
    void snapshotApplied();
    /// The panel's log received events (tests wait on it).
    void logUpdated();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createLayout();
    void createLivePage();
    void restoreWindowState();
    void saveWindowState();
    void onSnapshot(const QList<ClientInfo> &clients, const ServiceStats &stats);
    void onPublishFinished(int tag, const HeraldService::PublishResult &result);
    void flushLog();
    void updateSelectionActions();
    void showClientMenu(const QPoint &position);
    /// Points the live page at the first of \a urls, the local one when there is one.
    void loadLivePage(const QStringList &urls);

    ServiceHost *m_host;
    QSettings *m_store;
    HeraldSettings m_settings;
    Options m_options;

    ServerBar *m_serverBar = nullptr;
    QSplitter *m_splitter = nullptr;
    QLineEdit *m_clientFilter = nullptr;
    QTableView *m_clientView = nullptr;
    ClientTableModel *m_clientModel = nullptr;
    QSortFilterProxyModel *m_clientProxy = nullptr;
    Composer *m_composer = nullptr;
    QDockWidget *m_logDock = nullptr;
    QLineEdit *m_logFilter = nullptr;
    QTableView *m_logView = nullptr;
    EventLogModel *m_logModel = nullptr;
    QSortFilterProxyModel *m_logProxy = nullptr;
    QDockWidget *m_liveDock = nullptr;
    QWebEngineView *m_livePage = nullptr;
    QLabel *m_historyWarning = nullptr;
    QLabel *m_clientsStatus = nullptr;
    QLabel *m_rateStatus = nullptr;
    QLabel *m_uptimeStatus = nullptr;

    QAction *m_startAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_kickAction = nullptr;
    QAction *m_sendToSelectedAction = nullptr;
    QAction *m_copyDetailsAction = nullptr;
    QAction *m_exportAction = nullptr;

    QTimer *m_refreshTimer = nullptr;
    QTimer *m_logFlushTimer = nullptr;
    bool m_snapshotPending = false;
    QList<PublishedEvent> m_pendingLog;
    QHash<int, QString> m_sentTexts; ///< what each unanswered send carried, to restore on failure
    int m_nextTag = 0;

    ServiceStats m_lastStats;
    QElapsedTimer m_sinceLastStats;
    bool m_haveStats = false;
};
