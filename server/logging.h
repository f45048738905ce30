#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcService)
Q_DECLARE_LOGGING_CATEGORY(lcStreams)
Q_DECLARE_LOGGING_CATEGORY(lcJournal)
