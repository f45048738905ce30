#pragma once

#include "servicetypes.h"

#include <QElapsedTimer>
#include <QObject>

class QLabel;
class QStatusBar;

/// The status bar's standing figures: clients and streams, events and bytes per second, uptime,
/// and a warning that stays while history is not being saved.
class StatusFigures : public QObject
{
    Q_OBJECT

public:
    /// Adds its labels to \a bar.
    explicit StatusFigures(QStatusBar *bar);

    /// Shows \a stats; rates come from the difference with the previous figures.
    void showStats(const ServiceStats &stats);
    void showStopped();
    /// A standing warning, until the service restarts.
    void showHistoryWarning(const QString &message);
    void clearHistoryWarning();

private:
    QLabel *m_historyWarning;
    QLabel *m_clients;
    QLabel *m_rates;
    QLabel *m_uptime;
    ServiceStats m_last;
    QElapsedTimer m_sinceLast;
};
