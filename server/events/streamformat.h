#pragma once

/// How a stream asked for its events: Herald's own formats (the `format` query parameter of
/// GET /events) and ntfy's three subscribe formats (GET /<topic>/json, /sse and /raw).
enum class StreamFormat {
    Plain, ///< each event as published: its id, its type and its text
    /// every event as type "message", its data a JSON envelope {"data", "type", "topic", "to", "time"} with
    /// the message fields that are set (title, priority, tags, click, markdown), and "revision" once edited
    Json,
    NtfyJson, ///< ntfy's message JSON, one object per line (application/x-ndjson)
    NtfySse, ///< ntfy's message JSON as the data of server-sent events
    NtfyRaw, ///< the message text alone, one line per message
};
constexpr int StreamFormatCount = 5;

/// Whether \a format is one of ntfy's: its streams see only the events of their topics, and
/// Herald's own events (herald-gap, herald-kicked, ...) are not sent to them.
constexpr bool isNtfyFormat(StreamFormat format)
{
    return format == StreamFormat::NtfyJson || format == StreamFormat::NtfySse || format == StreamFormat::NtfyRaw;
}
