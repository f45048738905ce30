#pragma once

/// Whether a window can be shown: without --headless, Herald opens its window where there is a
/// desktop and runs headless where there is none (a server, an SSH session). One file per kind
/// of system, which CMake picks: desktop_unix.cpp (X11 or Wayland, which say so in the
/// environment), desktop_always.cpp (Windows and macOS, whose desktop is always there).
bool hasDesktop();

/// Readies QtWebEngine's Chromium for this system, before the application starts: on Linux its
/// sandbox cannot start as root, and Herald's page is its own, so as root it runs without it.
void prepareBrowserEngine();
