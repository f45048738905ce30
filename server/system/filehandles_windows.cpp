// The C runtime's descriptors, over Windows handles: what QFile::handle() gives there, and what
// libuv's file calls take. A descriptor is a number in one C runtime's table, so Herald, Qt and
// libuv must share that runtime (one compiler's, linked as a DLL), as a Qt build on Windows does.
#include "filehandles.h"

#include <fcntl.h>
#include <io.h>
#include <windows.h>

int duplicateFile(int fd)
{
    if (fd < 0)
        return -1; // the C runtime would end the process on a descriptor that is not one
    const auto original = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
    if (original == INVALID_HANDLE_VALUE)
        return -1;
    // Not inheritable from the start, so that no process started meanwhile takes it.
    HANDLE copy = nullptr;
    if (!DuplicateHandle(GetCurrentProcess(), original, GetCurrentProcess(), &copy, 0, FALSE, DUPLICATE_SAME_ACCESS))
        return -1;
    const int copyFd = _open_osfhandle(reinterpret_cast<intptr_t>(copy), _O_BINARY);
    if (copyFd < 0)
        CloseHandle(copy);
    return copyFd;
}

void closeFile(int fd)
{
    if (fd >= 0)
        _close(fd);
}
