#pragma once

#include "heraldsettings.h"
#include "servicetypes.h"

#include <QHash>
#include <QMainWindow>

class ClientsPane;
class Composer;
class LogPane;
class ScheduledPane;
class QAction;
class QDockWidget;
class QSettings;
class QSplitter;
class QWebEngineView;
class ServerBar;
class ServiceHost;
class StatusFigures;

/// Herald's control panel: the server bar, the clients pane, the composer, the log and the
/// live page, over a ServiceHost. The window wires the panes to the service and keeps the
/// settings; nothing here waits on the service: commands go out at once and results come back
/// as signals, and the client list is refreshed a few times a second.
///
/// Its parts carry object names ("clientsPane", "composer", "logPane", "livePage", ...), which
/// is how tests reach them.
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
    /// running, and restarts the service when the address, port or durability changed.
    void applySettings(const HeraldSettings &settings);

public Q_SLOTS:
    /// Sends what the composer holds now, or with \a dueAtMs at that time.
    void send(qint64 dueAtMs = 0);
    /// Asks when, then sends what the composer holds at that time.
    void schedule();
    void openSettings();
    /// Asks the service for a fresh client list and figures.
    void refresh();

Q_SIGNALS:
    /// A client list from the service reached the table (tests wait on it).
    void snapshotApplied();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createLayout();
    void createMenus();
    void createLivePage();
    void restoreWindowState();
    void saveWindowState();
    void onSnapshot(const QList<StreamInfo> &streams, const ServiceStats &stats);
    void onPublishFinished(int tag, const PublishResult &result);
    void onEditFinished(int tag, EditOutcome outcome);
    void disconnectClients(const QStringList &clientIds);
    /// Shows the link with which a phone may publish; without a token, offers to make one first.
    void showPublisherLink();
    /// Points the live page at the first of \a urls, the local one when there is one.
    void loadLivePage(const QStringList &urls);
    /// Gives a private Herald a reader token of its own when the settings hold none, and saves
    /// it, so that the links given out work again at the next launch.
    void settleReadToken();

    ServiceHost *m_host;
    QSettings *m_store;
    HeraldSettings m_settings;
    Options m_options;

    ServerBar *m_serverBar = nullptr;
    QSplitter *m_splitter = nullptr;
    ClientsPane *m_clients = nullptr;
    Composer *m_composer = nullptr;
    LogPane *m_log = nullptr;
    QDockWidget *m_logDock = nullptr;
    ScheduledPane *m_scheduled = nullptr;
    QDockWidget *m_scheduledDock = nullptr;
    QDockWidget *m_liveDock = nullptr;
    QWebEngineView *m_livePage = nullptr;
    StatusFigures *m_figures = nullptr;
    QAction *m_startAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_reloadCertificateAction = nullptr;

    QTimer *m_refreshTimer = nullptr;
    bool m_snapshotPending = false;
    /// What an unanswered send carried, to restore on failure.
    struct Sent
    {
        QString text;
        QString fileName;
        QByteArray file;
    };
    QHash<int, Sent> m_sent;
    int m_nextTag = 0;
};
