#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

/// The lock that keeps one Herald per data folder, on a file in it: the system's own, which it
/// releases when the process ends however it ends, so the lock of a Herald that crashed is taken
/// over with nothing to write, even on a full disk. Nothing of Qt, so that each system's form
/// builds on its own. One file per system, which CMake picks: folderlock_posix.cpp (flock(): Linux
/// and macOS), folderlock_windows.cpp (LockFileEx()).
class FolderLock
{
public:
    enum class Outcome {
        Taken,
        HeldByAnother, ///< another process holds it
        Failed, ///< the file could not be opened or locked: see why()
    };

    FolderLock() = default;
    /// Releases the lock. Where the system lets it (POSIX), the file goes first, while still
    /// locked, so that no other Herald takes a file that is going away; where not (Windows), the
    /// holder's lines are blanked, and the file stays.
    ~FolderLock();
    FolderLock(const FolderLock &) = delete;
    FolderLock &operator=(const FolderLock &) = delete;

    /// Takes the lock on \a file, creating it if need be. With HeldByAnother, \a *holder is the
    /// process id on the file's first line, or 0 when it names none.
    Outcome take(const std::filesystem::path &file, std::int64_t *holder);
    /// Writes \a text over what the file holds: who holds the lock, for a person or a refused
    /// Herald to read. False when it could not (see why()); the lock holds all the same.
    bool describeHolder(const std::string &text);
    /// Why the last take() or describeHolder() failed, in the system's words.
    const std::string &why() const { return m_why; }

    /// Who runs this process, for names that must differ between the users of one machine: the
    /// user id on POSIX, the user's security identifier on Windows.
    static std::string userKey();

private:
    std::filesystem::path m_file;
    std::intptr_t m_handle = -1; ///< the locked file: a descriptor, or on Windows a HANDLE
    std::string m_why;
};
