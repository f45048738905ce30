// A desktop on Linux and the BSDs: an X11 or Wayland display in the environment, or a Qt platform
// named outright (offscreen, for one).
#include "desktop.h"

#include <QByteArray>

#include <unistd.h>

bool hasDesktop()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

void prepareBrowserEngine()
{
    if (geteuid() == 0 && !qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX"))
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
}
