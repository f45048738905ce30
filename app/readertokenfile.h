#pragma once

#include <QString>

/// The reader token a headless private Herald keeps in its data folder, so that the links its
/// audience was given still work after a restart. The file is its owner's alone, as the saved
/// settings that hold the token are.
class ReaderTokenFile
{
public:
    explicit ReaderTokenFile(const QString &dataDirectory);

    /// The saved reader token, or a new one, saved first. Never \a token: a saved one equal to
    /// it, or that is no token Herald made, is replaced. Empty, with \a errorMessage, when no
    /// reader token can be saved.
    QString take(const QString &token, QString *errorMessage) const;
    QString fileName() const { return m_fileName; }

private:
    QString m_fileName;
};
