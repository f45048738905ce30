#include "eventstreamparser.h"

QList<EventStreamParser::Event> EventStreamParser::feed(const QByteArray &bytes)
{
    QList<Event> dispatched;
    m_pending += bytes;
    if (!m_bomChecked && m_pending.size() >= 3) {
        if (m_pending.startsWith("\xEF\xBB\xBF"))
            m_pending.remove(0, 3);
        m_bomChecked = true;
    }
    qsizetype start = 0;
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        const char c = m_pending.at(i);
        if (m_skipLeadingLf) {
            m_skipLeadingLf = false;
            if (c == '\n') {
                start = i + 1;
                continue;
            }
        }
        if (c != '\r' && c != '\n')
            continue;
        processLine(QString::fromUtf8(m_pending.mid(start, i - start)), &dispatched);
        // A CR may be the first half of a CRLF that has not arrived yet.
        m_skipLeadingLf = c == '\r';
        start = i + 1;
    }
    m_pending.remove(0, start);
    return dispatched;
}

void EventStreamParser::processLine(const QString &line, QList<Event> *dispatched)
{
    if (line.isEmpty()) {
        // Dispatch: an empty data buffer fires nothing.
        if (m_data.isEmpty()) {
            m_type.clear();
            return;
        }
        if (m_data.endsWith(u'\n'))
            m_data.chop(1);
        dispatched->append({m_type.isEmpty() ? QStringLiteral("message") : m_type, m_data, m_lastEventId});
        m_data.clear();
        m_type.clear();
        return;
    }
    if (line.startsWith(u':')) {
        ++m_comments;
        return;
    }
    QString field = line;
    QString value;
    const qsizetype colon = line.indexOf(u':');
    if (colon >= 0) {
        field = line.left(colon);
        value = line.mid(colon + 1);
        if (value.startsWith(u' '))
            value.remove(0, 1);
    }
    if (field == QLatin1String("event")) {
        m_type = value;
    } else if (field == QLatin1String("data")) {
        m_data += value;
        m_data += u'\n';
    } else if (field == QLatin1String("id")) {
        if (!value.contains(QChar(u'\0')))
            m_lastEventId = value;
    } else if (field == QLatin1String("retry")) {
        bool digitsOnly = !value.isEmpty();
        for (QChar c : value)
            digitsOnly = digitsOnly && c >= u'0' && c <= u'9';
        if (digitsOnly)
            m_retry = value.toInt();
    }
}
