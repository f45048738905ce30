// Names on POSIX systems: a folder is synced as a file is (open() it, then fsync()), and rename()
// replaces its target in one step.
#include "foldersync.h"

#include "systemerror.h"

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

std::string syncFolder(const std::filesystem::path &folder)
{
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return lastSystemError();
    const std::string why = ::fsync(fd) == 0 ? std::string() : lastSystemError();
    ::close(fd);
    return why;
}

std::string replaceFile(const std::filesystem::path &part, const std::filesystem::path &target)
{
    return std::rename(part.c_str(), target.c_str()) == 0 ? std::string() : lastSystemError();
}
