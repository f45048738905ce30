// FolderLock on Linux and macOS: flock() on the file, which the kernel releases with the
// process; the file locked is checked to be the one still named, as another program may remove
// or replace it between the open() and the flock().
#include "folderlock.h"

#include "systemerror.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr int LockAttempts = 10;

/// The process named on the first line of the lock file \a fd, or 0 when none can be read.
std::int64_t holderOf(int fd)
{
    char text[32] = {};
    return ::pread(fd, text, sizeof(text) - 1, 0) > 0 ? std::strtoll(text, nullptr, 10) : 0;
}

/// Whether \a file still names the file open as \a fd.
bool isNamed(int fd, const std::filesystem::path &file)
{
    struct stat opened = {};
    struct stat named = {};
    return ::fstat(fd, &opened) == 0 && ::stat(file.c_str(), &named) == 0 && opened.st_dev == named.st_dev
        && opened.st_ino == named.st_ino;
}

} // namespace

FolderLock::~FolderLock()
{
    if (m_handle < 0)
        return;
    ::unlink(m_file.c_str());
    ::close(int(m_handle));
}

FolderLock::Outcome FolderLock::take(const std::filesystem::path &file, std::int64_t *holder)
{
    *holder = 0;
    const auto failed = [this](int error) {
        m_why = std::strerror(error);
        return Outcome::Failed;
    };
    for (int attempt = 0; attempt < LockAttempts; ++attempt) {
        const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return failed(errno);
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            *holder = holderOf(fd);
            ::close(fd);
            return error == EWOULDBLOCK ? Outcome::HeldByAnother : failed(error);
        }
        if (isNamed(fd, file)) {
            m_file = file;
            m_handle = fd;
            return Outcome::Taken;
        }
        ::close(fd); // it lost its name meanwhile; the file named now decides
    }
    return failed(EAGAIN);
}

bool FolderLock::describeHolder(const std::string &text)
{
    const int fd = int(m_handle);
    // Over what a dead Herald wrote, which takes no new space on most file systems.
    const bool written = ::pwrite(fd, text.data(), text.size(), 0) == ssize_t(text.size());
    if (written && ::ftruncate(fd, off_t(text.size())) == 0)
        return true;
    m_why = lastSystemError();
    if (!written)
        (void)::ftruncate(fd, 0); // better no holder than a dead one
    return false;
}

std::string FolderLock::userKey()
{
    return std::to_string(::getuid());
}
