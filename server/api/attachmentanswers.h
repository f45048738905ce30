#pragma once

#include "attachmentstore.h"
#include "httpanswer.h"

#include <QByteArray>
#include <QHostAddress>

// How Herald serves the files messages carry, and names where they are.

/// The answer carrying \a file's \a content at \a nowMs: its type as read from the content, never
/// sniffed again by the browser, in a sandbox of its own; shown in the page only when it is a
/// picture or plain text (AttachmentStore::isShownInline), downloaded under its name otherwise.
HttpAnswer fileAnswer(const AttachmentStore::File &file, const QByteArray &content, qint64 nowMs);

/// A Content-Disposition value for \a fileName (RFC 6266): \a disposition ("inline" or
/// "attachment"), an ASCII name for old clients, and the whole name as UTF-8.
QByteArray contentDisposition(const char *disposition, const QString &fileName);

/// Where the files are reached from, "http://HOST:PORT", for a publish that named \a host (its Host
/// header) over HTTPS or not: that host, as the publisher reached Herald; or, when it is a
/// loopback one or none, the first of \a lanUrls (those of the machine's other addresses), so that
/// other devices can reach it too.
QString fileBaseUrl(const QByteArray &host, bool encrypted, const QStringList &lanUrls);
