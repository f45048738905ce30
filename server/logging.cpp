#include "logging.h"

Q_LOGGING_CATEGORY(lcService, "herald.service")
Q_LOGGING_CATEGORY(lcStreams, "herald.streams")
Q_LOGGING_CATEGORY(lcJournal, "herald.journal")
