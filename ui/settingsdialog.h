#pragma once

#include "heraldsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
struct IntegerSetting;

/// Edits HeraldSettings: port, address, token, reader token, history, durability, heartbeat, retry, CORS
/// origin, limits, and whether to listen at launch. Each field's object name is the flag it
/// stands for ("port", "history-bytes", ...), and its range comes from settingranges.h.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(const HeraldSettings &settings, QWidget *parent = nullptr);

    /// The settings as edited; fields the dialog does not show keep their values.
    HeraldSettings settings() const;

private:
    /// A field for \a setting, in the unit the settings save it in, showing \a value.
    QSpinBox *integerField(const IntegerSetting &setting, qint64 value, const QString &suffix);
    static qint64 valueOf(const QSpinBox *field, const IntegerSetting &setting);
    /// Enables the reader token's field with private mode, and holds OK back while it is the token.
    void updateReadToken();

    HeraldSettings m_original;
    QSpinBox *m_port;
    QComboBox *m_bind;
    QLineEdit *m_token;
    QLineEdit *m_readToken;
    QPushButton *m_generateReadToken;
    QLabel *m_readTokenProblem;
    QPushButton *m_ok;
    QSpinBox *m_heartbeat;
    QSpinBox *m_retry;
    QSpinBox *m_history;
    QSpinBox *m_historyBytes;
    QSpinBox *m_pageHistory;
    QComboBox *m_durability;
    QLineEdit *m_cors;
    QCheckBox *m_listenAtLaunch;
    QCheckBox *m_private;
    QSpinBox *m_maxClients;
    QSpinBox *m_maxBody;
    QSpinBox *m_clientBuffer;
    QSpinBox *m_requestTimeout;
    QSpinBox *m_maxTopics;
    QLineEdit *m_cluster;
    QLineEdit *m_clusterPassword;
    QLineEdit *m_clusterPrefix;
};
