#pragma once

#include <QIcon>

/// Herald's application icon (a megaphone on blue), painted at every common size.
QIcon heraldIcon();
