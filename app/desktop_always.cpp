// A desktop on Windows and macOS: always there for a program a person starts; --headless runs
// without the window.
#include "desktop.h"

bool hasDesktop()
{
    return true;
}

void prepareBrowserEngine()
{
    // Chromium's sandbox needs nothing from Herald here.
}
