#include "clienttablemodel.h"
#include "composer.h"
#include "heraldservice.h"
#include "logpane.h"
#include "mainwindow.h"
#include "openfiles.h"
#include "servicehost.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>

/// The panel under load: thousands of real streams and a burst of broadcasts, while the GUI
/// thread's event-loop latency is measured and reported. What is asserted is that nothing was
/// lost and that the GUI thread never waited on the service, not how fast anything was.
class tst_PanelLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void theWindowStaysLiveThroughABurst();
    void theWindowNeverWaitsOnABusyService();

private:
    Composer *composer() const { return m_window->findChild<Composer *>(u"composer"_qs); }

    QTemporaryDir m_dir;
    long m_openFiles = 0;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<ServiceHost> m_host;
    std::unique_ptr<MainWindow> m_window;
};

void tst_PanelLoad::initTestCase()
{
    m_openFiles = raiseOpenFileLimit().now;

    m_store = std::make_unique<QSettings>(m_dir.filePath(u"herald.ini"_qs), QSettings::IniFormat);
    m_host = std::make_unique<ServiceHost>();
    HeraldSettings settings;
    settings.service.bindAddress = QHostAddress::LocalHost;
    settings.service.port = 0;
    settings.service.dataDirectory = m_dir.filePath(u"data"_qs);
    MainWindow::Options options;
    options.livePage = false;
    m_window = std::make_unique<MainWindow>(m_host.get(), m_store.get(), settings, options);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_window->startService());
}

void tst_PanelLoad::cleanupTestCase()
{
    m_window.reset();
    m_host.reset();
}

void tst_PanelLoad::theWindowStaysLiveThroughABurst()
{
    // 10,000 streams when the open-file limit allows it (the service holds one per stream).
    const int clients = int(std::min<long>(10000, m_openFiles > 600 ? m_openFiles - 500 : 100));
    const int events = 100;

    // The GUI thread's latency: how late a 5 ms timer fires, for as long as the load runs.
    QList<double> lateness;
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    connect(&probe, &QTimer::timeout, this, [&] {
        if (clock.isValid())
            lateness.append(qMax(0.0, clock.nsecsElapsed() / 1e6 - 5.0));
        clock.restart();
    });
    int mostRows = 0;
    connect(m_window.get(), &MainWindow::snapshotApplied, this,
            [&] { mostRows = qMax(mostRows, m_window->findChild<ClientTableModel *>(u"clientModel"_qs)->rowCount()); });
    probe.start();

    QProcess load;
    load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    load.start(QStringLiteral(HERALD_LOAD_BINARY),
               {u"--port"_qs, QString::number(m_host->port()), u"--clients"_qs, QString::number(clients),
                u"--events"_qs, QString::number(events), u"--idle-seconds"_qs, u"1"_qs, u"--timeout"_qs, u"120"_qs});
    QVERIFY(load.waitForStarted());
    // Type while it runs, as an operator would.
    QTimer typist;
    connect(&typist, &QTimer::timeout, this, [&] { QTest::keyClick(composer()->editor(), Qt::Key_A); });
    typist.start(50);
    QVERIFY(QTest::qWaitFor([&] { return load.state() == QProcess::NotRunning; }, 240000));
    typist.stop();
    probe.stop();

    const QJsonObject result = QJsonDocument::fromJson(load.readAllStandardOutput()).object();
    QVERIFY2(!result.isEmpty(), "the load client reported nothing");
    QCOMPARE(result[u"connected"_qs].toInt(), clients);
    QCOMPARE(result[u"lost"_qs].toInt(), 0);
    QCOMPARE(result[u"duplicated"_qs].toInt(), 0);
    QCOMPARE(result[u"reordered"_qs].toInt(), 0);
    QCOMPARE(result[u"deliveries"_qs].toDouble(), double(clients) * events);
    QVERIFY(mostRows >= clients);
    QVERIFY(composer()->text().size() > 0);

    std::sort(lateness.begin(), lateness.end());
    QVERIFY(!lateness.isEmpty());
    const double p99 = lateness.at(qMin(lateness.size() - 1, qsizetype(lateness.size() * 0.99)));
    qInfo("GUI thread with %d streams and a burst of %d broadcasts (%d deliveries): timer lateness p50 %.1f ms, "
          "p99 %.1f ms, max %.1f ms over %lld ticks; table peaked at %d rows",
          clients, events, clients * events, lateness.at(lateness.size() / 2), p99, lateness.last(),
          qlonglong(lateness.size()), mostRows);
}

void tst_PanelLoad::theWindowNeverWaitsOnABusyService()
{
    // Hold the service's thread busy until the GUI has shown it can still work without it.
    QSemaphore serviceBusy;
    QSemaphore guiDone;
    QMetaObject::invokeMethod(
        m_host->service(),
        [&] {
            serviceBusy.release();
            guiDone.tryAcquire(1, 60000);
        },
        Qt::QueuedConnection);
    QVERIFY(serviceBusy.tryAcquire(1, 10000));

    // Everything the operator does now must not need the service to answer.
    composer()->editor()->clear();
    QTest::keyClicks(composer()->editor(), u"typed while the service is busy"_qs);
    QTest::keyClick(composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(composer()->text().isEmpty());
    m_window->refresh();
    QTimer tick;
    QSignalSpy ticks(&tick, &QTimer::timeout);
    tick.start(10);
    QVERIFY(ticks.wait(5000));
    m_window->repaint();
    QVERIFY(m_window->isVisible());

    // Let the service go: the queued publish and the refresh are answered.
    QSignalSpy logged(m_window->findChild<LogPane *>(u"logPane"_qs), &LogPane::updated);
    guiDone.release();
    QVERIFY(logged.wait(10000));
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    tst_PanelLoad test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_panelload.moc"
