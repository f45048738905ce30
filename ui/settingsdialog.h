#pragma once

#include "heraldsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

/// Edits HeraldSettings: port, bind address, token, heartbeat, retry, history size, CORS
/// origin, and whether to listen at launch.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(const HeraldSettings &settings, QWidget *parent = nullptr);

    /// The settings as edited; fields the dialog does not show keep their values.
    HeraldSettings settings() const;

    QSpinBox *portField() const { return m_port; }
    QComboBox *bindField() const { return m_bind; }
    QLineEdit *tokenField() const { return m_token; }
    QSpinBox *heartbeatField() const { return m_heartbeat; }
    QSpinBox *retryField() const { return m_retry; }
    QSpinBox *historyField() const { return m_history; }
    QLineEdit *corsField() const { return m_cors; }
    QCheckBox *listenAtLaunchField() const { return m_listenAtLaunch; }
    QCheckBox *privateField() const { return m_private; }
    QSpinBox *maxClientsField() const { return m_maxClients; }
    QSpinBox *maxBodyField() const { return m_maxBody; }
    QSpinBox *clientBufferField() const { return m_clientBuffer; }
    QSpinBox *requestTimeoutField() const { return m_requestTimeout; }

private:
    HeraldSettings m_original;
    QSpinBox *m_port;
    QComboBox *m_bind;
    QLineEdit *m_token;
    QSpinBox *m_heartbeat;
    QSpinBox *m_retry;
    QSpinBox *m_history;
    QLineEdit *m_cors;
    QCheckBox *m_listenAtLaunch;
    QCheckBox *m_private;
    QSpinBox *m_maxClients;
    QSpinBox *m_maxBody;
    QSpinBox *m_clientBuffer;
    QSpinBox *m_requestTimeout;
};
