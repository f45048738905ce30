// syncFileData() on libuv (HERALD_PORTABLE): uv_fs_fdatasync(), each system's strongest sync.
#include "filesync.h"

#include <uv.h>

QString syncFileData(int fd)
{
    uv_fs_t request;
    // Without a callback the request runs here and now, and takes no loop.
    const int result = uv_fs_fdatasync(nullptr, &request, uv_file(fd), nullptr);
    uv_fs_req_cleanup(&request);
    return result == 0 ? QString() : QString::fromUtf8(uv_strerror(result));
}
