#pragma once

#include "heraldsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLayout;
class QLineEdit;
class QPushButton;
class QSpinBox;
struct Setting;

/// Edits HeraldSettings: port, address, HTTPS certificate, key and port, token, reader token, history, durability,
/// heartbeat, retry, CORS origin, limits, and whether to listen at launch. Each field's object name is the flag it
/// stands for ("port", "history-bytes", ...); an integer field reads its range and its value
/// through its row of the settings table (settingstable.h).
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(const HeraldSettings &settings, QWidget *parent = nullptr);

    /// The settings as edited; fields the dialog does not show keep their values.
    HeraldSettings settings() const;

private:
    /// A field for the integer \a setting, in the unit the settings save it in, showing its
    /// value; settings() reads it back.
    QSpinBox *integerField(const Setting &setting, const QString &suffix);
    /// \a field with a button (named \a buttonName) that picks a file for it, titled \a what.
    QLayout *fileRow(QLineEdit *field, const QString &what, const QString &buttonName);
    /// Enables the reader token's field with private mode, and holds OK back while it is the token.
    void updateReadToken();

    HeraldSettings m_original;
    QComboBox *m_bind;
    QLineEdit *m_tlsCertificate;
    QLineEdit *m_tlsKey;
    QCheckBox *m_tlsOnly;
    QLineEdit *m_token;
    QLineEdit *m_readToken;
    QPushButton *m_generateReadToken;
    QLabel *m_readTokenProblem;
    QPushButton *m_ok;
    QComboBox *m_durability;
    QLineEdit *m_cors;
    QCheckBox *m_listenAtLaunch;
    QCheckBox *m_private;
    QLineEdit *m_cluster;
    QLineEdit *m_clusterPassword;
    QLineEdit *m_clusterPrefix;
    /// The integer fields, each with the row it edits.
    QList<std::pair<const Setting *, QSpinBox *>> m_integerFields;
};
