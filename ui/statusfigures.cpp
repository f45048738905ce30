#include "statusfigures.h"

#include <QLabel>
#include <QLocale>
#include <QStatusBar>

namespace {

QString formatRate(double bytesPerSecond)
{
    return QObject::tr("%1/s").arg(
        QLocale().formattedDataSize(qint64(bytesPerSecond), 1, QLocale::DataSizeTraditionalFormat));
}

QString formatUptime(qint64 seconds)
{
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QLabel *addLabel(QStatusBar *bar, const char *name)
{
    auto *label = new QLabel(bar);
    label->setObjectName(QLatin1String(name));
    bar->addPermanentWidget(label);
    return label;
}

} // namespace

StatusFigures::StatusFigures(QStatusBar *bar)
    : QObject(bar)
    , m_historyWarning(addLabel(bar, "historyWarning"))
    , m_clients(addLabel(bar, "clientsStatus"))
    , m_rates(addLabel(bar, "rateStatus"))
    , m_uptime(addLabel(bar, "uptimeStatus"))
{
    m_historyWarning->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    m_historyWarning->hide();
    m_clients->setText(tr("%n clients", nullptr, 0));
}

void StatusFigures::showStats(const ServiceStats &stats)
{
    m_clients->setText(stats.streams == stats.clients ? tr("%n clients", nullptr, stats.clients)
                                                      : tr("%n clients", nullptr, stats.clients) + QLatin1String(", ")
                               + tr("%n streams", nullptr, stats.streams));
    if (m_sinceLast.isValid() && m_sinceLast.elapsed() > 0) {
        const double seconds = m_sinceLast.elapsed() / 1000.0;
        const double events = (stats.published - m_last.published) / seconds;
        const double deliveries = (stats.delivered - m_last.delivered) / seconds;
        const double bytes = (stats.bytesSent - m_last.bytesSent) / seconds;
        m_rates->setText(
            tr("%1 events/s (%2 deliveries/s), %3")
                .arg(QLocale().toString(events, 'f', 1), QLocale().toString(deliveries, 'f', 0), formatRate(bytes)));
    }
    m_uptime->setText(tr("Up %1").arg(formatUptime(stats.uptimeSeconds)));
    m_last = stats;
    m_sinceLast.start();
}

void StatusFigures::showStopped()
{
    m_clients->setText(tr("Stopped"));
    m_rates->clear();
    m_uptime->clear();
    m_sinceLast.invalidate();
    clearHistoryWarning();
}

void StatusFigures::showHistoryWarning(const QString &message)
{
    // It stays while publishing is refused: until a write succeeds again, or for a folder Herald
    // cannot use or a failed sync, until the service restarts.
    m_historyWarning->setText(tr("⚠ History is not being saved"));
    m_historyWarning->setToolTip(message);
    m_historyWarning->show();
}

void StatusFigures::clearHistoryWarning()
{
    m_historyWarning->hide();
    m_historyWarning->setToolTip(QString());
}
