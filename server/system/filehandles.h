#pragma once

/// A file descriptor of Herald's own for a file another part opened (QFile's handle()), which
/// stays open until closeFile() and is not handed to child processes: the journal's syncing thread
/// keeps one, so that the file it syncs can be replaced meanwhile. -1 when the system refused.
/// Nothing of Qt. One file per system, which CMake picks: filehandles_posix.cpp (fcntl()),
/// filehandles_windows.cpp (the C runtime's descriptors, which Qt's handle() gives there).
int duplicateFile(int fd);
void closeFile(int fd);
