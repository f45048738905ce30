#include "logging.h"

Q_LOGGING_CATEGORY(lcService, "herald.service", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStreams, "herald.streams", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJournal, "herald.journal", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCluster, "herald.cluster", QtInfoMsg)
