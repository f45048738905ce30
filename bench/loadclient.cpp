// herald-load: Herald's benchmark client. It opens many event streams like browsers do,
// publishes stamped events, and reports delivery, loss, order, latency, and what the server
// spent doing it (CPU and memory, read from /proc). It speaks plain and chunked streams, so
// it measures Herald and other SSE servers the same way. No Qt: nothing here should cost
// more than the server it measures.

#include "openfiles.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sstream>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

struct Options
{
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string subscribePath = "/events";
    std::string publishPath = "/publish";
    std::string publishHeader; // an extra request header for publishing, e.g. Authorization
    int clients = 100;
    int events = 100;
    double rate = 0; // events per second; 0 publishes as fast as the answers come
    int payloadBytes = 64;
    std::vector<int> serverPids;
    double idleSeconds = 3;
    double timeoutSeconds = 30;
    int threads = 1;
    int publishers = 1; // connections publishing at once, each waiting for its answers
};

int64_t nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

double seconds(int64_t ns)
{
    return double(ns) / 1e9;
}

[[noreturn]] void die(const std::string &message)
{
    std::fprintf(stderr, "herald-load: %s\n", message.c_str());
    std::exit(2);
}

// ---- What the server spends, from /proc ----

struct ServerUsage
{
    double cpuSeconds = 0;
    double rssKiB = 0;
};

ServerUsage readUsage(const std::vector<int> &pids)
{
    ServerUsage usage;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    for (int pid : pids) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        const size_t close = text.rfind(')');
        if (close != std::string::npos) {
            std::istringstream fields(text.substr(close + 2));
            std::string field;
            unsigned long long utime = 0, stime = 0;
            for (int i = 3; i <= 15 && fields >> field; ++i) {
                if (i == 14)
                    utime = std::stoull(field);
                if (i == 15)
                    stime = std::stoull(field);
            }
            usage.cpuSeconds += double(utime + stime) / ticks;
        }
        std::ifstream status("/proc/" + std::to_string(pid) + "/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("VmRSS:", 0) == 0)
                usage.rssKiB += std::atof(line.c_str() + 6);
        }
    }
    return usage;
}

// ---- One event stream ----

struct Stream
{
    int fd = -1;
    bool connected = false; // the 200 head arrived
    bool closed = false;
    bool chunked = false;
    bool headDone = false;
    std::string head;
    int64_t chunkLeft = 0; // bytes of chunk data still to come; -1 while reading a size line
    std::string sizeLine;
    std::string line; // the current event-stream line, while incomplete
    std::vector<uint8_t> seen;
    std::vector<int64_t> lastSeqOf; // by publisher: each publisher's events must arrive in its order
    uint64_t received = 0;
    uint64_t duplicates = 0;
    uint64_t reordered = 0;
};

/// What the receiver threads share with the main thread. The main thread sleeps until a
/// receiver reports that every stream is settled or every delivery is in, rather than polling:
/// a thread waking every few hundred microseconds would take the two cores from the very
/// server and receivers it measures.
struct Shared
{
    int clients = 0;
    std::atomic<uint64_t> deliveries{0};
    std::atomic<uint64_t> expectedDeliveries{UINT64_MAX}; // set once publishing is over
    std::atomic<int64_t> lastDeliveryNs{0};
    std::atomic<int> connected{0};
    std::atomic<int> failed{0};
    std::atomic<int64_t> settledNs{0}; // when the last stream connected or failed
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::condition_variable milestone;

    void streamSettled(bool ok)
    {
        const int settled = (ok ? connected.fetch_add(1) + failed.load() : failed.fetch_add(1) + connected.load()) + 1;
        if (settled == clients) {
            int64_t unset = 0; // two threads can both see the last one settle
            settledNs.compare_exchange_strong(unset, nowNs());
            notify();
        }
    }
    void delivered(int64_t now)
    {
        lastDeliveryNs.store(now, std::memory_order_relaxed);
        if (deliveries.fetch_add(1, std::memory_order_relaxed) + 1 == expectedDeliveries.load(std::memory_order_relaxed))
            notify();
    }
    void notify()
    {
        { std::lock_guard<std::mutex> lock(mutex); }
        milestone.notify_all();
    }
    /// Sleeps until \a done() holds or \a deadlineNs passes.
    template<typename Done>
    void waitFor(Done done, int64_t deadlineNs)
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (!done() && nowNs() < deadlineNs) // checked again now and then, should a report cross the wait
            milestone.wait_for(lock, std::chrono::milliseconds(20));
    }
};

class Receiver
{
public:
    Receiver(const Options &options, Shared &shared, const sockaddr_in &address)
        : m_options(options), m_shared(shared), m_address(address)
    {
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            die("epoll_create1 failed");
        m_latenciesUs.reserve(size_t(options.events) * 1024);
    }
    ~Receiver()
    {
        for (Stream &stream : m_streams) {
            if (stream.fd >= 0)
                ::close(stream.fd);
        }
        ::close(m_epoll);
    }

    /// Sets aside \a count streams and makes their sockets; run() connects them in small
    /// batches while it serves the ones already open, so a request leaves as soon as its
    /// connection is up. Making a socket is the client's own bookkeeping, which a browser on
    /// another machine does there, so it happens before the connect clock starts rather than
    /// on the cores the server is measured on.
    void open(int count)
    {
        m_streams.resize(size_t(count));
        for (size_t i = 0; i < m_streams.size(); ++i) {
            Stream &stream = m_streams[i];
            stream.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (stream.fd < 0)
                die(std::string("socket: ") + std::strerror(errno) + " (raise the open-file limit)");
            spreadSource(stream.fd, i);
        }
    }

    void run()
    {
        epoll_event events[256];
        static thread_local char buffer[256 * 1024];
        while (!m_shared.stop.load(std::memory_order_relaxed)) {
            const bool connecting = m_opened < m_streams.size();
            if (connecting)
                connectSome(64);
            const int ready = epoll_wait(m_epoll, events, 256, connecting ? 0 : 50);
            for (int i = 0; i < ready; ++i) {
                Stream &stream = m_streams[events[i].data.u64];
                if (events[i].events & EPOLLOUT) {
                    sendRequest(stream, events[i].data.u64);
                    continue;
                }
                for (;;) {
                    const ssize_t got = ::read(stream.fd, buffer, sizeof buffer);
                    if (got > 0) {
                        consume(stream, buffer, size_t(got));
                        if (size_t(got) < sizeof buffer)
                            break;
                        continue;
                    }
                    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        break;
                    end(stream);
                    break;
                }
            }
        }
    }

    const std::vector<Stream> &streams() const { return m_streams; }
    std::vector<uint32_t> &latencies() { return m_latenciesUs; }

private:
    void connectSome(size_t batch)
    {
        const size_t end = std::min(m_streams.size(), m_opened + batch);
        for (; m_opened < end; ++m_opened) {
            Stream &stream = m_streams[m_opened];
            if (::connect(stream.fd, reinterpret_cast<const sockaddr *>(&m_address), sizeof m_address) < 0
                && errno != EINPROGRESS)
                die(std::string("connect: ") + std::strerror(errno));
            // On loopback the handshake has usually finished by now, as a browser's would have by
            // the time it sends; then the request goes at once, and only a connection still
            // being set up waits for writability.
            const bool sent = writeRequest(stream, m_opened);
            if (stream.closed)
                continue;
            epoll_event event{};
            event.events = sent ? EPOLLIN : EPOLLOUT;
            event.data.u64 = m_opened;
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, stream.fd, &event);
        }
    }

    /// One source address has about 28,000 ports to connect from, and ports still in TIME-WAIT
    /// from an earlier run make finding a free one slow long before they run out. Past
    /// SpreadAbove clients to a loopback server, the streams come from several loopback
    /// addresses, the port picked at connect as usual.
    void spreadSource(int fd, size_t index) const
    {
        constexpr int SpreadAbove = 12000;
        constexpr uint32_t SourceAddresses = 8;
        if (m_options.clients <= SpreadAbove || (ntohl(m_address.sin_addr.s_addr) >> 24) != 127)
            return;
        const int one = 1;
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr = htonl((127u << 24) + 1 + uint32_t(index % SourceAddresses));
        if (::bind(fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) < 0)
            die(std::string("bind: ") + std::strerror(errno));
    }

    void sendRequest(Stream &stream, uint64_t index)
    {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(stream.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0 || !writeRequest(stream, index)) {
            end(stream);
            return;
        }
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = index;
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, stream.fd, &event);
    }

    /// Sends the stream request; false when the connection is not up yet. Ends the stream when
    /// the connection failed.
    bool writeRequest(Stream &stream, uint64_t index)
    {
        const std::string separator = m_options.subscribePath.find('?') == std::string::npos ? "?" : "&";
        const std::string request = "GET " + m_options.subscribePath + separator + "client=load-"
                + std::to_string(reinterpret_cast<uintptr_t>(this) % 997) + "-" + std::to_string(index)
                + " HTTP/1.1\r\nHost: " + m_options.host + ":" + std::to_string(m_options.port)
                + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\nUser-Agent: herald-load\r\n\r\n";
        const ssize_t written = ::send(stream.fd, request.data(), request.size(), MSG_NOSIGNAL);
        if (written == ssize_t(request.size()))
            return true;
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN))
            return false;
        end(stream); // failed, or a partial write of a request this small: give up on it
        return false;
    }

    void end(Stream &stream)
    {
        if (stream.closed)
            return;
        stream.closed = true;
        if (!stream.connected)
            m_shared.streamSettled(false);
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, stream.fd, nullptr);
        ::close(stream.fd);
        stream.fd = -1;
    }

    void consume(Stream &stream, const char *data, size_t size)
    {
        if (!stream.headDone) {
            stream.head.append(data, size);
            const size_t headEnd = stream.head.find("\r\n\r\n");
            if (headEnd == std::string::npos)
                return;
            stream.headDone = true;
            std::string head = stream.head.substr(0, headEnd);
            const std::string body = stream.head.substr(headEnd + 4);
            stream.head.clear();
            if (head.compare(0, 12, "HTTP/1.1 200") != 0 && head.compare(0, 12, "HTTP/1.0 200") != 0) {
                std::fprintf(stderr, "herald-load: a stream was refused: %s\n", head.substr(0, head.find('\r')).c_str());
                end(stream);
                return;
            }
            std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            stream.chunked = head.find("transfer-encoding: chunked") != std::string::npos;
            stream.chunkLeft = stream.chunked ? -1 : 0;
            stream.connected = true;
            stream.seen.assign(size_t(m_options.events), 0);
            stream.lastSeqOf.assign(size_t(m_options.publishers), -1);
            m_shared.streamSettled(true);
            if (!body.empty())
                consume(stream, body.data(), body.size());
            return;
        }
        if (!stream.chunked) {
            parseEvents(stream, data, size);
            return;
        }
        // Chunked: alternate between size lines and that many bytes of data.
        while (size > 0) {
            if (stream.chunkLeft < 0) {
                const char *newline = static_cast<const char *>(std::memchr(data, '\n', size));
                const size_t take = newline ? size_t(newline - data) + 1 : size;
                stream.sizeLine.append(data, take);
                data += take;
                size -= take;
                if (!newline)
                    return;
                if (stream.sizeLine == "\r\n" || stream.sizeLine == "\n") { // the CRLF after a chunk
                    stream.sizeLine.clear();
                    continue;
                }
                stream.chunkLeft = int64_t(std::strtoll(stream.sizeLine.c_str(), nullptr, 16));
                stream.sizeLine.clear();
                if (stream.chunkLeft == 0) {
                    end(stream);
                    return;
                }
                continue;
            }
            const size_t take = std::min(size, size_t(stream.chunkLeft));
            parseEvents(stream, data, take);
            data += take;
            size -= take;
            stream.chunkLeft -= int64_t(take);
            if (stream.chunkLeft == 0)
                stream.chunkLeft = -1;
        }
    }

    void parseEvents(Stream &stream, const char *data, size_t size)
    {
        while (size > 0) {
            const char *newline = static_cast<const char *>(std::memchr(data, '\n', size));
            if (!newline) {
                stream.line.append(data, size);
                return;
            }
            const size_t length = size_t(newline - data);
            if (stream.line.empty()) {
                onLine(stream, data, length);
            } else {
                stream.line.append(data, length);
                onLine(stream, stream.line.data(), stream.line.size());
                stream.line.clear();
            }
            data = newline + 1;
            size -= length + 1;
        }
    }

    void onLine(Stream &stream, const char *line, size_t length)
    {
        static const char prefix[] = "data: seq=";
        if (length < sizeof prefix - 1 || std::memcmp(line, prefix, sizeof prefix - 1) != 0)
            return;
        const int64_t now = nowNs();
        char *end = nullptr;
        const long long seq = std::strtoll(line + sizeof prefix - 1, &end, 10);
        const long long stamp = std::strtoll(end + 3, nullptr, 10); // " t=<ns>"
        if (seq < 0 || seq >= m_options.events)
            return;
        ++stream.received;
        if (stream.seen[size_t(seq)]) {
            ++stream.duplicates;
            return;
        }
        stream.seen[size_t(seq)] = 1;
        int64_t &lastSeq = stream.lastSeqOf[size_t(seq % m_options.publishers)];
        if (seq < lastSeq)
            ++stream.reordered;
        lastSeq = std::max<int64_t>(lastSeq, seq);
        m_latenciesUs.push_back(uint32_t(std::max<int64_t>(0, now - stamp) / 1000));
        m_shared.delivered(now);
    }

    const Options &m_options;
    Shared &m_shared;
    sockaddr_in m_address;
    int m_epoll = -1;
    std::vector<Stream> m_streams;
    size_t m_opened = 0; // streams connected so far, in order
    std::vector<uint32_t> m_latenciesUs;
};

// ---- The publisher: one keep-alive connection, one request at a time ----

class Publisher
{
public:
    Publisher(const Options &options, const sockaddr_in &address) : m_options(options)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) < 0)
            die(std::string("cannot connect the publisher: ") + std::strerror(errno));
        const int on = 1;
        setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    ~Publisher() { ::close(m_fd); }

    /// Publishes event \a seq, stamped now. Returns the HTTP status.
    int publish(int seq)
    {
        std::string body = "seq=" + std::to_string(seq) + " t=" + std::to_string(nowNs()) + " ";
        if (int(body.size()) < m_options.payloadBytes)
            body.append(size_t(m_options.payloadBytes) - body.size(), 'x');
        std::string request = "POST " + m_options.publishPath + " HTTP/1.1\r\nHost: " + m_options.host
                + "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
        if (!m_options.publishHeader.empty())
            request += m_options.publishHeader + "\r\n";
        request += "\r\n" + body;
        if (::write(m_fd, request.data(), request.size()) != ssize_t(request.size()))
            die("the publisher's connection failed");
        return readResponse();
    }

private:
    int readResponse()
    {
        size_t headEnd;
        while ((headEnd = m_buffer.find("\r\n\r\n")) == std::string::npos)
            fill();
        std::string head = m_buffer.substr(0, headEnd);
        m_buffer.erase(0, headEnd + 4);
        const int status = std::atoi(head.c_str() + 9);
        std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        const size_t length = head.find("content-length:");
        if (length != std::string::npos) {
            const size_t bodySize = size_t(std::atoll(head.c_str() + length + 15));
            while (m_buffer.size() < bodySize)
                fill();
            m_buffer.erase(0, bodySize);
        } else if (head.find("transfer-encoding: chunked") != std::string::npos) {
            size_t end;
            while ((end = m_buffer.find("0\r\n\r\n")) == std::string::npos)
                fill();
            m_buffer.erase(0, end + 5);
        }
        return status;
    }

    void fill()
    {
        char chunk[8192];
        const ssize_t got = ::read(m_fd, chunk, sizeof chunk);
        if (got <= 0)
            die("the server closed the publisher's connection");
        m_buffer.append(chunk, size_t(got));
    }

    const Options &m_options;
    int m_fd = -1;
    std::string m_buffer;
};

double percentile(std::vector<uint32_t> &values, double fraction)
{
    if (values.empty())
        return 0;
    const size_t index = std::min(values.size() - 1, size_t(fraction * double(values.size())));
    std::nth_element(values.begin(), values.begin() + long(index), values.end());
    return values[index] / 1000.0; // in ms
}

Options parseOptions(int argc, char **argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string name = argv[i];
        if (name == "--help") {
            std::puts("usage: herald-load --port N [--host ADDR] [--clients N] [--events M] [--rate PER_SECOND]\n"
                      "         [--subscribe-path PATH] [--publish-path PATH] [--publish-header 'Name: value']\n"
                      "         [--payload BYTES] [--server-pid PID]... [--idle-seconds S] [--timeout S] [--threads N]\n"
                      "         [--publishers N]\n"
                      "With --publishers N, N connections publish at once, event k from connection k mod N.\n"
                      "With --clients 0 it only publishes, and reports how many publishes a second were answered.\n"
                      "Prints one JSON object with the results on stdout.");
            std::exit(0);
        }
        if (i + 1 >= argc)
            die("missing value for " + name);
        const std::string value = argv[++i];
        if (name == "--host") options.host = value;
        else if (name == "--port") options.port = std::atoi(value.c_str());
        else if (name == "--subscribe-path") options.subscribePath = value;
        else if (name == "--publish-path") options.publishPath = value;
        else if (name == "--publish-header") options.publishHeader = value;
        else if (name == "--clients") options.clients = std::atoi(value.c_str());
        else if (name == "--events") options.events = std::atoi(value.c_str());
        else if (name == "--rate") options.rate = std::atof(value.c_str());
        else if (name == "--payload") options.payloadBytes = std::atoi(value.c_str());
        else if (name == "--server-pid") options.serverPids.push_back(std::atoi(value.c_str()));
        else if (name == "--idle-seconds") options.idleSeconds = std::atof(value.c_str());
        else if (name == "--timeout") options.timeoutSeconds = std::atof(value.c_str());
        else if (name == "--threads") options.threads = std::max(1, std::atoi(value.c_str()));
        else if (name == "--publishers") options.publishers = std::max(1, std::atoi(value.c_str()));
        else die("unknown option " + name + "; see --help");
    }
    if (options.port <= 0 || options.port > 65535 || options.clients < 0 || options.events < 1)
        die("give --port, a positive --events and --clients of 0 or more");
    return options;
}

} // namespace

int main(int argc, char **argv)
{
    const Options options = parseOptions(argc, argv);
    const rlim_t openFiles = raiseOpenFileLimit();
    if (openFiles < rlim_t(options.clients) + 64)
        die("the open-file limit (" + std::to_string(openFiles) + ") is below the client count");

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(options.port));
    if (inet_pton(AF_INET, options.host.c_str(), &address.sin_addr) != 1)
        die("--host must be an IPv4 address");

    Shared shared;
    shared.clients = options.clients;
    const ServerUsage beforeConnect = readUsage(options.serverPids);

    // Connect every stream, spread over the receiver threads.
    std::vector<std::unique_ptr<Receiver>> receivers;
    for (int t = 0; t < options.threads; ++t)
        receivers.push_back(std::make_unique<Receiver>(options, shared, address));
    for (int t = 0; t < options.threads; ++t)
        receivers[size_t(t)]->open(options.clients / options.threads + (t < options.clients % options.threads ? 1 : 0));
    const int64_t connectStart = nowNs();
    std::vector<std::thread> threads;
    for (auto &receiver : receivers)
        threads.emplace_back([&receiver] { receiver->run(); });

    const int64_t connectDeadline = connectStart + int64_t(options.timeoutSeconds * 1e9);
    if (options.clients == 0)
        shared.settledNs = connectStart;
    shared.waitFor([&] { return shared.settledNs.load() != 0; }, connectDeadline);
    const int64_t settled = shared.settledNs.load();
    const int64_t connectEnd = settled != 0 ? settled : nowNs(); // now, when some never settled
    const int connected = shared.connected.load();
    const ServerUsage afterConnect = readUsage(options.serverPids);

    // Idle: what the server spends holding the streams open, and the memory they take.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const ServerUsage idleStart = readUsage(options.serverPids);
    std::this_thread::sleep_for(std::chrono::microseconds(int64_t(options.idleSeconds * 1e6)));
    const ServerUsage idleEnd = readUsage(options.serverPids);

    // Publish, then wait until every stream has every event, or until the time-out.
    const ServerUsage publishStart = readUsage(options.serverPids);
    const int64_t publishStartNs = nowNs();
    std::atomic<int> refusedCount{0};
    std::vector<std::thread> publishers;
    for (int first = 0; first < options.publishers; ++first) {
        publishers.emplace_back([&, first] {
            Publisher publisher(options, address);
            for (int seq = first; seq < options.events; seq += options.publishers) {
                if (options.rate > 0) {
                    const int64_t due = publishStartNs + int64_t(seq * 1e9 / options.rate);
                    while (nowNs() < due)
                        std::this_thread::sleep_for(std::chrono::microseconds(std::max<int64_t>(1, (due - nowNs()) / 1000)));
                }
                const int status = publisher.publish(seq);
                if (status < 200 || status > 299)
                    ++refusedCount;
            }
        });
    }
    for (std::thread &publisher : publishers)
        publisher.join();
    const int refused = refusedCount.load();
    const int64_t publishEndNs = nowNs();
    const uint64_t expected = uint64_t(connected) * uint64_t(options.events - refused);
    const int64_t deliveryDeadline = publishEndNs + int64_t(options.timeoutSeconds * 1e9);
    shared.expectedDeliveries.store(expected);
    shared.waitFor([&] { return shared.deliveries.load() >= expected; }, deliveryDeadline);
    const ServerUsage publishEnd = readUsage(options.serverPids);
    shared.stop = true;
    for (std::thread &thread : threads)
        thread.join();

    // Tally.
    uint64_t deliveries = 0, lost = 0, duplicates = 0, reordered = 0;
    int dropped = 0;
    std::vector<uint32_t> latencies;
    for (auto &receiver : receivers) {
        for (const Stream &stream : receiver->streams()) {
            if (!stream.connected)
                continue;
            if (stream.closed)
                ++dropped;
            uint64_t unique = 0;
            for (uint8_t seen : stream.seen)
                unique += seen;
            deliveries += unique;
            lost += uint64_t(options.events) - unique;
            duplicates += stream.duplicates;
            reordered += stream.reordered;
        }
        latencies.insert(latencies.end(), receiver->latencies().begin(), receiver->latencies().end());
    }
    const int64_t lastDelivery = std::max(shared.lastDeliveryNs.load(), publishStartNs + 1);
    const double deliverySeconds = seconds(lastDelivery - publishStartNs);
    const double publishCpu = publishEnd.cpuSeconds - publishStart.cpuSeconds;
    const bool measured = !options.serverPids.empty();

    std::printf("{\"clients\": %d, \"connected\": %d, \"failedConnections\": %d, \"connectSeconds\": %.4f,\n"
                " \"events\": %d, \"publishers\": %d, \"refusedPublishes\": %d, \"publishSeconds\": %.4f,"
                " \"publishesPerSecond\": %.1f,\n"
                " \"deliveries\": %" PRIu64 ", \"expectedDeliveries\": %" PRIu64 ", \"lost\": %" PRIu64
                ", \"duplicated\": %" PRIu64 ", \"reordered\": %" PRIu64 ", \"droppedStreams\": %d,\n"
                " \"deliveriesPerSecond\": %.1f, \"latencyMs\": {\"p50\": %.3f, \"p99\": %.3f, \"p999\": %.3f, \"max\": %.3f}",
                options.clients, connected, shared.failed.load(), seconds(connectEnd - connectStart), options.events,
                options.publishers, refused, seconds(publishEndNs - publishStartNs),
                double(options.events - refused) / std::max(1e-9, seconds(publishEndNs - publishStartNs)), deliveries, uint64_t(connected) * uint64_t(options.events),
                lost, duplicates, reordered, dropped, deliverySeconds > 0 ? double(deliveries) / deliverySeconds : 0.0,
                percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 0.999),
                percentile(latencies, 1.0));
    if (measured) {
        const double connectCpu = afterConnect.cpuSeconds - beforeConnect.cpuSeconds;
        std::printf(",\n \"server\": {\"cpuMicrosecondsPerDelivery\": %.3f, \"publishCpuSeconds\": %.3f,"
                    " \"cpuMicrosecondsPerConnection\": %.3f,"
                    " \"rssKiB\": %.0f, \"rssPerClientKiB\": %.3f, \"idleCpuPercent\": %.3f}",
                    deliveries ? publishCpu * 1e6 / double(deliveries) : 0.0, publishCpu,
                    connected ? connectCpu * 1e6 / connected : 0.0, idleEnd.rssKiB,
                    connected ? (idleEnd.rssKiB - beforeConnect.rssKiB) / connected : 0.0,
                    100.0 * (idleEnd.cpuSeconds - idleStart.cpuSeconds) / options.idleSeconds);
    }
    std::printf("}\n");
    return lost == 0 && duplicates == 0 && reordered == 0 && connected == options.clients ? 0 : 1;
}
