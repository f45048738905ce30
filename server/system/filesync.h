#pragma once

#include <QString>

/// Has the system put \a fd's data on the disk before it returns, as a journal that promises
/// durability needs: empty when it did, else why not. One file per way, which CMake picks:
/// filesync_linux.cpp (fdatasync()) by default on Linux, filesync_libuv.cpp with HERALD_PORTABLE
/// (libuv's, which is F_FULLFSYNC on macOS and FlushFileBuffers() on Windows).
QString syncFileData(int fd);
