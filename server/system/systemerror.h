#pragma once

#include <string>

/// Why the last system call that failed on this thread failed (errno, or Windows'
/// GetLastError()), in the system's words. Nothing of Qt. One file per system, which CMake picks:
/// systemerror_posix.cpp, systemerror_windows.cpp.
std::string lastSystemError();
