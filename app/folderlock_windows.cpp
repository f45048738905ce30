// FolderLock on Windows: LockFileEx() on one byte far past the end of the file, so that the
// lines naming the holder stay readable to a second Herald (no other process may read a locked
// range). The file is opened without FILE_SHARE_DELETE: while any Herald has it open its name
// cannot be taken away, so the file locked is always the one named, which POSIX has to check.
// Windows drops the lock with the handle, also when the process dies; the file stays, for the
// next Herald to take over, with its holder's lines blanked at a clean release.
#include "folderlock.h"

#include "systemerror.h"

#include <windows.h>

#include <sddl.h>

#include <cstdlib>
#include <vector>

namespace {

constexpr DWORD LockedOffsetHigh = 0x7fffffff; ///< the locked byte: past anything ever written

HANDLE handleOf(std::intptr_t handle)
{
    return reinterpret_cast<HANDLE>(handle);
}

/// The process named on the first line of the lock file \a file, or 0 when none can be read.
std::int64_t holderOf(HANDLE file)
{
    char text[32] = {};
    OVERLAPPED from = {}; // the start of the file
    DWORD read = 0;
    return ReadFile(file, text, sizeof(text) - 1, &read, &from) && read > 0 ? std::strtoll(text, nullptr, 10) : 0;
}

/// Writes \a text at the start of \a file, with empty lines over whatever stood after it: the
/// file is not cut shorter while a range past its end is locked.
bool writeOver(HANDLE file, std::string text)
{
    LARGE_INTEGER size = {};
    if (GetFileSizeEx(file, &size) && size.QuadPart > LONGLONG(text.size()))
        text.append(size_t(size.QuadPart) - text.size(), '\n');
    OVERLAPPED from = {}; // the start of the file
    DWORD written = 0;
    return WriteFile(file, text.data(), DWORD(text.size()), &written, &from) && written == text.size();
}

} // namespace

FolderLock::~FolderLock()
{
    if (m_handle == -1)
        return;
    writeOver(handleOf(m_handle), std::string()); // no holder: a refused Herald names none
    CloseHandle(handleOf(m_handle));
}

FolderLock::Outcome FolderLock::take(const std::filesystem::path &file, std::int64_t *holder)
{
    *holder = 0;
    const HANDLE opened = CreateFileW(file.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                      nullptr, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (opened == INVALID_HANDLE_VALUE) {
        m_why = lastSystemError();
        return Outcome::Failed;
    }
    OVERLAPPED at = {};
    at.OffsetHigh = LockedOffsetHigh;
    if (!LockFileEx(opened, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at)) {
        const DWORD error = GetLastError();
        if (error == ERROR_LOCK_VIOLATION)
            *holder = holderOf(opened);
        else
            m_why = lastSystemError(); // before anything else fails
        CloseHandle(opened);
        return error == ERROR_LOCK_VIOLATION ? Outcome::HeldByAnother : Outcome::Failed;
    }
    m_file = file;
    m_handle = reinterpret_cast<std::intptr_t>(opened);
    return Outcome::Taken;
}

bool FolderLock::describeHolder(const std::string &text)
{
    const HANDLE file = handleOf(m_handle);
    if (writeOver(file, text))
        return true;
    m_why = lastSystemError();
    writeOver(file, std::string()); // better no holder than a dead one; it takes no new space
    return false;
}

std::string FolderLock::userKey()
{
    // The user's security identifier, as S-1-5-21-…: unlike a name, it is never reused.
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return "unknown";
    std::string key = "unknown";
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    std::vector<std::uintptr_t> buffer((size + sizeof(std::uintptr_t) - 1) / sizeof(std::uintptr_t)); // aligned
    char *sid = nullptr;
    if (size > 0 && GetTokenInformation(token, TokenUser, buffer.data(), size, &size)
        && ConvertSidToStringSidA(reinterpret_cast<TOKEN_USER *>(buffer.data())->User.Sid, &sid)) {
        key = sid;
        LocalFree(sid);
    }
    CloseHandle(token);
    return key;
}
