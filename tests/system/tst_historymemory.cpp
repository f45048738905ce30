#include "heraldprocess.h"
#include "httpclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int EventCount = 1000;
constexpr qsizetype EventBytes = 100 * 1024;

/// A stream that reads everything and keeps nothing, on a thread of its own, so that it keeps
/// reading while the test publishes.
class DrainingStream
{
public:
    DrainingStream(quint16 port, const QByteArray &format)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            return;
        const QByteArray request = "GET /events?format=" + format + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        if (::send(m_fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) != request.size())
            return;
        m_reader = std::thread([fd = m_fd] {
            char buffer[1 << 16];
            while (::recv(fd, buffer, sizeof buffer, 0) > 0) {}
        });
    }
    ~DrainingStream()
    {
        ::shutdown(m_fd, SHUT_RDWR);
        if (m_reader.joinable())
            m_reader.join();
        ::close(m_fd);
    }

private:
    int m_fd = -1;
    std::thread m_reader;
};

/// Herald's resident memory, read from /proc as top shows it.
qint64 residentBytes(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

} // namespace

/// What retained history costs in memory, measured on the real binary: each event is held once as
/// UTF-8 inside the encodings in use, and --history-bytes bounds it all.
class tst_HistoryMemory : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void retainedHistoryCostsLittleMoreThanItsText_data();
    void retainedHistoryCostsLittleMoreThanItsText();
    void historyBytesBoundTheMemoryAPublisherCanTake();

private:
    /// Starts Herald with \a arguments and streams of \a formats that read everything.
    bool start(const QStringList &arguments, const QList<QByteArray> &formats);
    /// Closes the streams and stops Herald, waiting until it has exited.
    void stop();
    /// Publishes \a count events of EventBytes each and waits until every stream has them all.
    bool publish(int count);
    QUrl url(const QString &path) const { return QUrl(u"http://127.0.0.1:%1%2"_qs.arg(m_port).arg(path)); }

    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<QProcess> m_herald;
    std::vector<std::unique_ptr<DrainingStream>> m_streams;
    quint16 m_port = 0;
    int m_published = 0;
};

void tst_HistoryMemory::initTestCase()
{
#if defined(__SANITIZE_ADDRESS__)
    QSKIP("AddressSanitizer keeps freed memory on purpose, so resident memory says nothing about Herald here");
#endif
}

void tst_HistoryMemory::cleanup()
{
    stop();
}

void tst_HistoryMemory::stop()
{
    m_streams.clear();
    if (m_herald && m_herald->state() != QProcess::NotRunning) {
        m_herald->terminate();
        if (!m_herald->waitForFinished(10000)) {
            m_herald->kill();
            m_herald->waitForFinished();
        }
    }
    m_herald.reset();
}

bool tst_HistoryMemory::start(const QStringList &arguments, const QList<QByteArray> &formats)
{
    stop();
    m_dataDir = std::make_unique<QTemporaryDir>();
    m_herald = std::make_unique<QProcess>();
    m_herald->start(QStringLiteral(HERALD_BINARY),
                    QStringList{u"--headless"_qs, u"--bind"_qs, u"localhost"_qs, u"--port"_qs, u"0"_qs,
                                u"--data-dir"_qs, m_dataDir->path()}
                        + arguments);
    QString output;
    m_port = waitForHeraldPort(*m_herald, &output, u"Ctrl+C"_qs);
    if (!m_port)
        return false;
    for (const QByteArray &format : formats)
        m_streams.push_back(std::make_unique<DrainingStream>(m_port, format));
    m_published = 0;
    return QTest::qWaitFor(
        [&] {
            return httpRequest("GET", url(u"/api/stats"_qs)).json().object().value(u"clients"_qs).toInt()
                == int(formats.size());
        },
        10000);
}

bool tst_HistoryMemory::publish(int count)
{
    for (int i = 0; i < count; ++i, ++m_published) {
        // Text as people write it, different in every event, so nothing can be shared between them.
        QByteArray text = "Event " + QByteArray::number(m_published) + ": ";
        while (text.size() < EventBytes)
            text += "the quick brown fox jumps over the lazy dog " + QByteArray::number(text.size()) + ' ';
        text.truncate(EventBytes);
        if (postInOneWrite(m_port, "/publish", "text/plain", text).status != 200)
            return false;
    }
    // Sent in full to every stream, so that nothing is held for a slow reader.
    return QTest::qWaitFor(
        [&] {
            const QJsonArray streams = httpRequest("GET", url(u"/api/clients"_qs)).json().array();
            for (const QJsonValue &stream : streams) {
                if (stream[u"eventsSent"_qs].toInt() < m_published || stream[u"queuedBytes"_qs].toInt() != 0)
                    return false;
            }
            return !streams.isEmpty();
        },
        60000);
}

void tst_HistoryMemory::retainedHistoryCostsLittleMoreThanItsText_data()
{
    QTest::addColumn<QList<QByteArray>>("formats");
    QTest::addColumn<double>("mostPerByte");
    QTest::newRow("plain streams") << QList<QByteArray>{"plain"} << 1.5;
    QTest::newRow("json streams") << QList<QByteArray>{"json"} << 1.5;
    QTest::newRow("plain and json streams") << QList<QByteArray>{"plain", "json"} << 2.5;
}

void tst_HistoryMemory::retainedHistoryCostsLittleMoreThanItsText()
{
    QFETCH(QList<QByteArray>, formats);
    QFETCH(double, mostPerByte);
    QVERIFY(start({u"--history"_qs, QString::number(EventCount), u"--history-bytes"_qs, QString::number(1 << 30)},
                  formats));
    QVERIFY(publish(5)); // warm up the buffers every publish uses
    const qint64 before = residentBytes(m_herald->processId());
    QVERIFY(publish(EventCount));
    const qint64 after = residentBytes(m_herald->processId());
    const QJsonObject stats = httpRequest("GET", url(u"/api/stats"_qs)).json().object();
    QCOMPARE(stats[u"historySize"_qs].toInt(), EventCount);
    const double text = double(EventCount) * EventBytes;
    const double perByte = double(after - before) / text;
    qInfo("%s: resident memory grew by %.1f MiB for %.1f MiB of retained text, %.2f bytes per byte",
          QTest::currentDataTag(), (after - before) / 1048576.0, text / 1048576.0, perByte);
    QVERIFY2(perByte <= mostPerByte, qPrintable(u"%1 bytes per byte of text"_qs.arg(perByte)));
}

void tst_HistoryMemory::historyBytesBoundTheMemoryAPublisherCanTake()
{
    // Three times the limit is published; only the newest events up to the limit stay.
    const qint64 limit = 16 << 20;
    QVERIFY(start({u"--history-bytes"_qs, QString::number(limit)}, {"plain", "json"}));
    QVERIFY(publish(5));
    const qint64 before = residentBytes(m_herald->processId());
    QVERIFY(publish(int(3 * limit / EventBytes)));
    const qint64 after = residentBytes(m_herald->processId());
    const QJsonObject stats = httpRequest("GET", url(u"/api/stats"_qs)).json().object();
    QVERIFY(stats[u"historyBytes"_qs].toDouble() <= limit);
    QCOMPARE(stats[u"historySize"_qs].toInt(), int(limit / EventBytes));
    qInfo("resident memory grew by %.1f MiB with a history limit of %.1f MiB", (after - before) / 1048576.0,
          limit / 1048576.0);
    QVERIFY2(after - before <= 2.5 * limit, qPrintable(u"grew by %1 bytes"_qs.arg(after - before)));
}

QTEST_GUILESS_MAIN(tst_HistoryMemory)
#include "tst_historymemory.moc"
