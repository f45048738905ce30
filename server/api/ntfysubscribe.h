#pragma once

#include "publishdecoding.h"
#include "streamdecoding.h"

#include <QByteArrayView>

// Subscribing as ntfy's clients do (docs.ntfy.sh, "Subscribe via API"), to the same streams as
// GET /events: another format of the same fan-out.

/// Whether \a path is one of ntfy's subscribe paths: /<topics>/json, /<topics>/sse or
/// /<topics>/raw, with one topic or several comma-separated, each an ntfy topic (ntfyTopicError()).
bool isNtfySubscribePath(QByteArrayView path);

/// Decodes an ntfy subscription of \a path and \a query: its topics and its format from the
/// path; since= (a duration such as 10m, counted back from \a nowMs; a Unix time; a message id;
/// all; latest), poll=1 and the filters priority=, tags=, title= and message=, by their names and
/// ntfy's aliases, as query parameters or X- headers; and Last-Event-ID, which an EventSource
/// sends when it comes back. At most \a maxTopics topics (--max-topics).
StreamDecoding decodeNtfySubscribe(QByteArrayView path, const QUrlQuery &query, const HeaderLookup &header,
                                   int maxTopics, qint64 nowMs);
