// The C runtime's descriptors, over Windows handles; libuv's file calls take them too.
#include "filehandles.h"

#include <io.h>
#include <windows.h>

int duplicateFile(int fd)
{
    const int copy = _dup(fd);
    if (copy < 0)
        return -1;
    const auto handle = reinterpret_cast<HANDLE>(_get_osfhandle(copy));
    if (handle == INVALID_HANDLE_VALUE || !SetHandleInformation(handle, HANDLE_FLAG_INHERIT, 0)) {
        _close(copy);
        return -1;
    }
    return copy;
}

void closeFile(int fd)
{
    _close(fd);
}
