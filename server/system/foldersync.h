#pragma once

#include <filesystem>
#include <string>

/// What makes a file's name durable, and what replaces a file in one step, per system. Nothing of
/// Qt, so that each system's form builds on its own: one file per system, which CMake picks:
/// foldersync_posix.cpp (Linux, macOS), foldersync_windows.cpp.

/// Puts on the disk the names given or changed in \a folder (a file made, or renamed over
/// another) before it returns: empty when it did, else why not, in the system's words.
std::string syncFolder(const std::filesystem::path &folder);

/// Puts the file \a part in \a target's place in one step, whether or not \a target exists: a
/// crash leaves the one or the other. Empty when it did, else why not, in the system's words.
std::string replaceFile(const std::filesystem::path &part, const std::filesystem::path &target);
