// herald-load: Herald's benchmark client. It opens many event streams like browsers do,
// publishes stamped events, and reports delivery, loss, order, latency, and what the server
// spent doing it (CPU and memory, read from /proc). It speaks plain and chunked streams, and
// its paths are templates, so it measures Herald and other SSE servers the same way. Events go
// to every stream, to one topic's streams, or to one client's stream. The streams may come over
// TLS (OpenSSL, on the same epoll loop), as browsers on an HTTPS page do; publishing stays plain.
// No Qt: nothing here should cost more than the server it measures.

#include "deliveryplan.h"
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
#include <openssl/err.h>
#include <openssl/ssl.h>
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
    std::vector<int> ports{8080}; // stream i connects to ports[i mod n], publisher k to ports[k mod n]
    std::vector<int> tlsPorts; // when given: stream i connects over TLS to tlsPorts[i mod n] instead
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
    int topics = 0; // streams take topic i mod topics, and each event goes to one of them
    bool targets = false; // each stream has a client id of its own, and each event goes to one of them
    uint64_t seed = 1; // for the events' topics or targets
    int batch = 1; // events a publish carries: above 1, as lines of application/x-ndjson
    std::string batchLine; // each line of a batch: {body} the event's text, {topic} or {client} its destination
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

/// Fills a path template's {topic} and {client} with their numbers.
std::string expandPath(const std::string &path, uint32_t topic, uint64_t client)
{
    std::string expanded;
    for (size_t i = 0; i < path.size();) {
        if (path.compare(i, 7, "{topic}") == 0) {
            expanded += std::to_string(topic);
            i += 7;
        } else if (path.compare(i, 8, "{client}") == 0) {
            expanded += std::to_string(client);
            i += 8;
        } else {
            expanded += path[i++];
        }
    }
    return expanded;
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
    uint64_t index = 0; // among all the streams: its client number
    uint32_t destination = 0; // what it listens to (DeliveryPlan)
    int fd = -1;
    SSL *ssl = nullptr; // over TLS
    bool handshaking = false; // over TLS: the request goes once the handshake is done
    bool connected = false; // the 200 head arrived
    bool closed = false;
    bool chunked = false;
    bool headDone = false;
    std::string head;
    int64_t chunkLeft = 0; // bytes of chunk data still to come; -1 while reading a size line
    std::string sizeLine;
    std::string line; // the current event-stream line, while incomplete
    std::vector<uint64_t> seen; // a bit for each event meant for it, by its slot in the plan
    std::vector<int64_t> lastSeqOf; // by publisher: each publisher's events must arrive in its order
    uint64_t received = 0;
    uint64_t unique = 0; // events meant for it, each counted once
    uint64_t duplicates = 0;
    uint64_t reordered = 0;
    uint64_t unexpected = 0; // events it got that were meant for other streams
};

/// What the receiver threads share with the main thread. The main thread sleeps until a
/// receiver reports that every stream is settled or every delivery is in, rather than polling:
/// a thread waking every few hundred microseconds would take the two cores from the very
/// server and receivers it measures.
struct Shared
{
    int clients = 0;
    std::unique_ptr<std::atomic<uint32_t>[]> connectedTo; // streams connected, by destination
    std::atomic<uint64_t> deliveries{0}; // of events meant for the stream, each counted once
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
        if (deliveries.fetch_add(1, std::memory_order_relaxed) + 1
            == expectedDeliveries.load(std::memory_order_relaxed))
            notify();
    }
    void notify()
    {
        {
            std::lock_guard<std::mutex> lock(mutex);
        }
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

/// Where the streams connect from. One source address has about 28,000 ports toward one server
/// port, and ports still in TIME-WAIT from an earlier run make the kernel's search for a free one
/// slow long before they run out. So streams to a loopback server come from all over
/// 127.0.0.0/8, at most StreamsPerAddress from each address, the port picked at connect as
/// usual. Each run starts at a place of its own, so it does not meet the TIME-WAIT leftovers of
/// the runs before.
class SourceAddresses
{
public:
    static constexpr uint64_t StreamsPerAddress = 1000;

    SourceAddresses(const sockaddr_in &server, int streams)
    {
        m_spread = (ntohl(server.sin_addr.s_addr) >> 24) == 127;
        const auto now = std::chrono::system_clock::now().time_since_epoch().count();
        const uint64_t mix = (uint64_t(getpid()) << 32) ^ uint64_t(now);
        m_first = (mix * 0x9e3779b97f4a7c15ull >> 11) % Addresses;
        m_count = m_spread ? (uint64_t(streams) + StreamsPerAddress - 1) / StreamsPerAddress : (streams > 0 ? 1 : 0);
    }

    /// How many addresses the streams come from.
    uint64_t count() const { return m_count; }

    /// Binds \a fd, the socket of stream \a index, to its source address, leaving the port to
    /// connect().
    void bind(int fd, uint64_t index) const
    {
        if (!m_spread)
            return;
        const int one = 1;
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr = htonl(addressNumber((m_first + index / StreamsPerAddress) % Addresses));
        if (::bind(fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) < 0)
            die(std::string("bind: ") + std::strerror(errno));
    }

private:
    // 127.a.b.c with c from 1 to 254: no network or broadcast address of any subnet in between.
    static constexpr uint64_t Addresses = 256 * 256 * 254;
    static uint32_t addressNumber(uint64_t n)
    {
        return (127u << 24) | uint32_t(n / (256 * 254)) << 16 | uint32_t(n / 254 % 256) << 8 | uint32_t(n % 254 + 1);
    }

    bool m_spread = false;
    uint64_t m_first = 0;
    uint64_t m_count = 0;
};

class Receiver
{
public:
    /// With \a tls, the streams speak TLS to \a servers.
    Receiver(const Options &options, const DeliveryPlan &plan, const SourceAddresses &sources, Shared &shared,
             const std::vector<sockaddr_in> &servers, SSL_CTX *tls)
        : m_options(options)
        , m_plan(plan)
        , m_sources(sources)
        , m_shared(shared)
        , m_servers(servers)
        , m_tls(tls)
    {
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            die("epoll_create1 failed");
    }
    ~Receiver()
    {
        for (Stream &stream : m_streams) {
            SSL_free(stream.ssl);
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
    /// The streams are numbered from \a first on, among those of every receiver.
    void open(int count, uint64_t first)
    {
        m_streams.resize(size_t(count));
        size_t expected = 0;
        for (size_t i = 0; i < m_streams.size(); ++i) {
            Stream &stream = m_streams[i];
            stream.index = first + i;
            stream.destination = m_plan.destinationOfStream(stream.index);
            expected += m_plan.eventsFor(stream.destination);
            stream.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (stream.fd < 0)
                die(std::string("socket: ") + std::strerror(errno) + " (raise the open-file limit)");
            m_sources.bind(stream.fd, stream.index);
        }
        m_latenciesUs.reserve(expected);
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
                if (stream.ssl) {
                    serveTls(stream, events[i].data.u64, buffer, sizeof buffer);
                    continue;
                }
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
            const sockaddr_in &server = serverOf(stream);
            if (::connect(stream.fd, reinterpret_cast<const sockaddr *>(&server), sizeof server) < 0
                && errno != EINPROGRESS)
                die(std::string("connect: ") + std::strerror(errno));
            if (m_tls) {
                // The handshake goes on as the socket allows, then the request.
                stream.ssl = SSL_new(m_tls);
                SSL_set_fd(stream.ssl, stream.fd);
                SSL_set_connect_state(stream.ssl);
                stream.handshaking = true;
                epoll_event event{};
                event.events = EPOLLOUT;
                event.data.u64 = m_opened;
                epoll_ctl(m_epoll, EPOLL_CTL_ADD, stream.fd, &event);
                continue;
            }
            // On loopback the handshake has usually finished by now, as a browser's would have by
            // the time it sends; then the request goes at once, and only a connection still
            // being set up waits for writability.
            const bool sent = writeRequest(stream);
            if (stream.closed)
                continue;
            epoll_event event{};
            event.events = sent ? EPOLLIN : EPOLLOUT;
            event.data.u64 = m_opened;
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, stream.fd, &event);
        }
    }

    void sendRequest(Stream &stream, uint64_t index)
    {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(stream.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0 || !writeRequest(stream)) {
            end(stream);
            return;
        }
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = index;
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, stream.fd, &event);
    }

    /// Goes on with a TLS stream as far as its socket allows: the handshake, the request, then
    /// whatever has arrived, until OpenSSL has nothing more (epoll does not see what it holds).
    void serveTls(Stream &stream, uint64_t index, char *buffer, size_t size)
    {
        const auto waitFor = [&](int error) {
            if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
                ERR_clear_error();
                end(stream);
                return;
            }
            epoll_event event{};
            event.events = error == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT;
            event.data.u64 = index;
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, stream.fd, &event);
        };
        if (stream.handshaking) {
            const int done = SSL_do_handshake(stream.ssl);
            if (done != 1)
                return waitFor(SSL_get_error(stream.ssl, done));
            stream.handshaking = false;
            const std::string request = requestFor(stream);
            if (SSL_write(stream.ssl, request.data(), int(request.size())) != int(request.size())) {
                end(stream); // a request this small goes in one record or not at all
                return;
            }
            waitFor(SSL_ERROR_WANT_READ);
        }
        for (;;) {
            const int got = SSL_read(stream.ssl, buffer, int(size));
            if (got > 0) {
                consume(stream, buffer, size_t(got));
                if (stream.closed)
                    return;
                continue;
            }
            const int error = SSL_get_error(stream.ssl, got);
            if (error != SSL_ERROR_WANT_READ)
                waitFor(error); // ends the stream
            return;
        }
    }

    /// The stream request: without a {client} in the path, each stream still gets a client id of
    /// its own.
    std::string requestFor(const Stream &stream) const
    {
        std::string path = expandPath(m_options.subscribePath, stream.destination, stream.index);
        if (m_options.subscribePath.find("{client}") == std::string::npos)
            path += (path.find('?') == std::string::npos ? "?" : "&") + std::string("client=load-")
                + std::to_string(getpid()) + "-" + std::to_string(stream.index);
        return "GET " + path + " HTTP/1.1\r\nHost: " + m_options.host + ":"
            + std::to_string(ntohs(serverOf(stream).sin_port))
            + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\nUser-Agent: herald-load\r\n\r\n";
    }

    /// Sends the stream request; false when the connection is not up yet. Ends the stream when
    /// the connection failed.
    bool writeRequest(Stream &stream)
    {
        const std::string request = requestFor(stream);
        const ssize_t written = ::send(stream.fd, request.data(), request.size(), MSG_NOSIGNAL);
        if (written == ssize_t(request.size()))
            return true;
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN))
            return false;
        end(stream); // failed, or a partial write of a request this small: give up on it
        return false;
    }

    const sockaddr_in &serverOf(const Stream &stream) const { return m_servers[stream.index % m_servers.size()]; }

    void end(Stream &stream)
    {
        if (stream.closed)
            return;
        stream.closed = true;
        if (!stream.connected)
            m_shared.streamSettled(false);
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, stream.fd, nullptr);
        SSL_free(stream.ssl);
        stream.ssl = nullptr;
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
                std::fprintf(stderr, "herald-load: a stream was refused: %s\n",
                             head.substr(0, head.find('\r')).c_str());
                end(stream);
                return;
            }
            std::transform(head.begin(), head.end(), head.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            stream.chunked = head.find("transfer-encoding: chunked") != std::string::npos;
            stream.chunkLeft = stream.chunked ? -1 : 0;
            stream.connected = true;
            stream.seen.assign((m_plan.eventsFor(stream.destination) + 63) / 64, 0);
            stream.lastSeqOf.assign(size_t(m_options.publishers), -1);
            m_shared.connectedTo[stream.destination].fetch_add(1);
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
        if (m_plan.destinationOf(int(seq)) != stream.destination) {
            ++stream.unexpected;
            return;
        }
        const uint32_t slot = m_plan.slotOf(int(seq));
        const uint64_t bit = uint64_t(1) << (slot % 64);
        if (stream.seen[slot / 64] & bit) {
            ++stream.duplicates;
            return;
        }
        stream.seen[slot / 64] |= bit;
        ++stream.unique;
        int64_t &lastSeq = stream.lastSeqOf[size_t(seq % m_options.publishers)];
        if (seq < lastSeq)
            ++stream.reordered;
        lastSeq = std::max<int64_t>(lastSeq, seq);
        m_latenciesUs.push_back(uint32_t(std::max<int64_t>(0, now - stamp) / 1000));
        m_shared.delivered(now);
    }

    const Options &m_options;
    const DeliveryPlan &m_plan;
    const SourceAddresses &m_sources;
    Shared &m_shared;
    const std::vector<sockaddr_in> &m_servers;
    SSL_CTX *m_tls; // null for plain streams
    int m_epoll = -1;
    std::vector<Stream> m_streams;
    size_t m_opened = 0; // streams connected so far, in order
    std::vector<uint32_t> m_latenciesUs;
};

// ---- The publisher: one keep-alive connection, one request at a time ----

class Publisher
{
public:
    Publisher(const Options &options, const sockaddr_in &address)
        : m_options(options)
        , m_address(address)
    {
        connect();
    }
    ~Publisher() { ::close(m_fd); }

    /// Publishes event \a seq to \a path, stamped now. Returns the HTTP status.
    int publish(int seq, const std::string &path) { return send(path, "text/plain", eventText(seq)); }

    /// Publishes the events \a seqs in one request to \a path, each line \a lines[i]'s template
    /// with the event's text for {body}. Returns the HTTP status.
    int publishBatch(const std::vector<int> &seqs, const std::vector<std::string> &lines, const std::string &path)
    {
        std::string body;
        for (size_t i = 0; i < seqs.size(); ++i) {
            const std::string &line = lines[i];
            const size_t at = line.find("{body}");
            body += line.substr(0, at) + eventText(seqs[i]) + line.substr(at + 6) + '\n';
        }
        return send(path, "application/x-ndjson", body);
    }

private:
    /// Event \a seq's text, stamped now: plain characters only, so that it needs no escaping in JSON.
    std::string eventText(int seq) const
    {
        std::string body = "seq=" + std::to_string(seq) + " t=" + std::to_string(nowNs()) + " ";
        if (int(body.size()) < m_options.payloadBytes)
            body.append(size_t(m_options.payloadBytes) - body.size(), 'x');
        return body;
    }

    int send(const std::string &path, const char *contentType, const std::string &body)
    {
        std::string request = "POST " + path + " HTTP/1.1\r\nHost: " + m_options.host
            + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
        if (!m_options.publishHeader.empty())
            request += m_options.publishHeader + "\r\n";
        request += "\r\n" + body;
        if (::write(m_fd, request.data(), request.size()) != ssize_t(request.size()))
            die("the publisher's connection failed");
        return readResponse();
    }

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
        // A server may end a kept-alive connection after so many requests (nginx after 1,000 by
        // default); a browser would then open another, and so does the publisher.
        if (head.find("connection: close") != std::string::npos) {
            ::close(m_fd);
            m_buffer.clear();
            connect();
        }
        return status;
    }

    void connect()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<const sockaddr *>(&m_address), sizeof m_address) < 0)
            die(std::string("cannot connect the publisher: ") + std::strerror(errno));
        const int on = 1;
        setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
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
    const sockaddr_in m_address;
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

/// "8081,8082,8083": the ports, or none when one is not a port.
std::vector<int> parsePorts(const std::string &list)
{
    std::vector<int> ports;
    std::istringstream items(list);
    for (std::string item; std::getline(items, item, ',');) {
        const int port = std::atoi(item.c_str());
        if (port <= 0 || port > 65535 || std::to_string(port) != item)
            return {};
        ports.push_back(port);
    }
    return ports;
}

Options parseOptions(int argc, char **argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string name = argv[i];
        if (name == "--help") {
            std::puts(
                "usage: herald-load --port N[,N...] [--tls-port N[,N...]] [--host ADDR] [--clients N] [--events M]\n"
                "         [--rate PER_SECOND]\n"
                "         [--subscribe-path PATH] [--publish-path PATH] [--publish-header 'Name: value']\n"
                "         [--payload BYTES] [--server-pid PID]... [--idle-seconds S] [--timeout S] [--threads N]\n"
                "         [--publishers N] [--topics T | --targets] [--seed S] [--batch N --batch-line JSON]\n"
                "With --publishers N, N connections publish at once, event k from connection k mod N.\n"
                "With several ports, as for servers sharing one stream, stream i connects to the (i mod n)th\n"
                "port and publisher k to the (k mod n)th.\n"
                "With --tls-port, the streams connect over TLS to those ports (the same way), and the\n"
                "publishers still to --port, in plain HTTP.\n"
                "With --topics T, stream i subscribes to topic i mod T and each event goes to one topic\n"
                "drawn at random (from --seed, so every run with the same flags draws the same).\n"
                "With --targets, each stream has a client id of its own and each event goes to one of them.\n"
                "The paths are templates: {topic} becomes the topic's number and {client} the client's,\n"
                "e.g. --subscribe-path '/events?topic={topic}' --publish-path '/publish?topic={topic}'.\n"
                "Without {client}, a stream asks for a client id of its own with ?client=.\n"
                "With --clients 0 it only publishes, and reports how many publishes a second were answered.\n"
                "With --batch N, each publisher sends N of its events at once, as application/x-ndjson: one\n"
                "line each, --batch-line with {body} standing for the event's text and {topic} or {client}\n"
                "for its destination, e.g. --batch-line '{\"data\":\"{body}\",\"topic\":\"t{topic}\"}'.\n"
                "Prints one JSON object with the results on stdout.");
            std::exit(0);
        }
        if (name == "--targets") {
            options.targets = true;
            continue;
        }
        if (i + 1 >= argc)
            die("missing value for " + name);
        const std::string value = argv[++i];
        if (name == "--host")
            options.host = value;
        else if (name == "--port")
            options.ports = parsePorts(value);
        else if (name == "--tls-port")
            options.tlsPorts = parsePorts(value);
        else if (name == "--subscribe-path")
            options.subscribePath = value;
        else if (name == "--publish-path")
            options.publishPath = value;
        else if (name == "--publish-header")
            options.publishHeader = value;
        else if (name == "--clients")
            options.clients = std::atoi(value.c_str());
        else if (name == "--events")
            options.events = std::atoi(value.c_str());
        else if (name == "--rate")
            options.rate = std::atof(value.c_str());
        else if (name == "--payload")
            options.payloadBytes = std::atoi(value.c_str());
        else if (name == "--server-pid")
            options.serverPids.push_back(std::atoi(value.c_str()));
        else if (name == "--idle-seconds")
            options.idleSeconds = std::atof(value.c_str());
        else if (name == "--timeout")
            options.timeoutSeconds = std::atof(value.c_str());
        else if (name == "--threads")
            options.threads = std::max(1, std::atoi(value.c_str()));
        else if (name == "--publishers")
            options.publishers = std::max(1, std::atoi(value.c_str()));
        else if (name == "--topics")
            options.topics = std::atoi(value.c_str());
        else if (name == "--seed")
            options.seed = std::strtoull(value.c_str(), nullptr, 10);
        else if (name == "--batch")
            options.batch = std::max(1, std::atoi(value.c_str()));
        else if (name == "--batch-line")
            options.batchLine = value;
        else
            die("unknown option " + name + "; see --help");
    }
    if (options.ports.empty() || options.clients < 0 || options.events < 1)
        die("give --port, a positive --events and --clients of 0 or more");
    if (options.topics < 0 || (options.topics > 0 && options.targets))
        die("give --topics T (a positive T) or --targets, not both");
    if (options.targets && options.clients < 1)
        die("--targets sends each event to one of the clients: give --clients of 1 or more");
    const auto uses = [](const std::string &path, const char *field) {
        return path.find(field) != std::string::npos;
    };
    if ((options.batch > 1) != uses(options.batchLine, "{body}") || (options.batch > 1 && options.rate > 0))
        die("--batch needs a --batch-line with {body}, and no --rate; --batch-line needs --batch");
    // Where an event's destination is named: in each line of a batch, or in the publish's path.
    const std::string &destined = options.batch > 1 ? options.batchLine : options.publishPath;
    if ((options.topics > 0) != uses(options.subscribePath, "{topic}")
        || (options.topics > 0) != uses(destined, "{topic}"))
        die("--topics needs {topic} in --subscribe-path and in --publish-path (or --batch-line), and {topic} needs "
            "--topics");
    if (options.targets != uses(destined, "{client}") || (options.targets && !uses(options.subscribePath, "{client}")))
        die("--targets needs {client} in --subscribe-path and in --publish-path, and {client} in --publish-path "
            "needs --targets");
    return options;
}

} // namespace

int main(int argc, char **argv)
{
    const Options options = parseOptions(argc, argv);
    const rlim_t filesNeeded = rlim_t(options.clients) + rlim_t(options.publishers) + 64;
    const rlim_t openFiles = raiseOpenFileLimit(filesNeeded);
    if (openFiles < filesNeeded)
        die("the open-file limit (" + std::to_string(openFiles) + ") is below the " + std::to_string(filesNeeded)
            + " files these clients need; only root (with CAP_SYS_RESOURCE) may raise the hard limit");

    const auto addresses = [&](const std::vector<int> &ports) {
        std::vector<sockaddr_in> servers;
        for (const int port : ports) {
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(uint16_t(port));
            if (inet_pton(AF_INET, options.host.c_str(), &address.sin_addr) != 1)
                die("--host must be an IPv4 address");
            servers.push_back(address);
        }
        return servers;
    };
    const std::vector<sockaddr_in> servers = addresses(options.ports);
    const bool tls = !options.tlsPorts.empty();
    const std::vector<sockaddr_in> streamServers = tls ? addresses(options.tlsPorts) : servers;
    // As a browser: TLS 1.2 or 1.3, the server's certificate taken as it is (the benchmark
    // measures the servers, not the verification).
    const std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> tlsContext(tls ? SSL_CTX_new(TLS_client_method()) : nullptr,
                                                                       &SSL_CTX_free);
    if (tlsContext) {
        SSL_CTX_set_min_proto_version(tlsContext.get(), TLS1_2_VERSION);
        SSL_CTX_set_mode(tlsContext.get(), SSL_MODE_RELEASE_BUFFERS);
    }

    const DeliveryPlan::Mode mode = options.topics > 0 ? DeliveryPlan::Mode::Topics
        : options.targets                              ? DeliveryPlan::Mode::Targets
                                                       : DeliveryPlan::Mode::Broadcast;
    const DeliveryPlan plan(mode, options.events, options.clients, options.topics, options.seed);
    const SourceAddresses sources(streamServers.front(), options.clients);

    Shared shared;
    shared.clients = options.clients;
    shared.connectedTo.reset(new std::atomic<uint32_t>[plan.destinations()]());
    const ServerUsage beforeConnect = readUsage(options.serverPids);

    // Connect every stream, spread over the receiver threads.
    std::vector<std::unique_ptr<Receiver>> receivers;
    for (int t = 0; t < options.threads; ++t)
        receivers.push_back(
            std::make_unique<Receiver>(options, plan, sources, shared, streamServers, tlsContext.get()));
    uint64_t firstStream = 0;
    for (int t = 0; t < options.threads; ++t) {
        const int count = options.clients / options.threads + (t < options.clients % options.threads ? 1 : 0);
        receivers[size_t(t)]->open(count, firstStream);
        firstStream += uint64_t(count);
    }
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

    // Publish, then wait until every stream has every event meant for it, or until the time-out.
    const ServerUsage publishStart = readUsage(options.serverPids);
    const int64_t publishStartNs = nowNs();
    std::vector<uint8_t> refusedEvent(size_t(options.events), 0); // each publisher writes its own events'
    std::vector<std::thread> publishers;
    for (int first = 0; first < options.publishers; ++first) {
        publishers.emplace_back([&, first] {
            Publisher publisher(options, servers[size_t(first) % servers.size()]);
            std::vector<int> batch;
            std::vector<std::string> lines;
            for (int seq = first; seq < options.events; seq += options.publishers) {
                if (options.batch > 1) {
                    const uint32_t destination = plan.destinationOf(seq);
                    batch.push_back(seq);
                    lines.push_back(expandPath(options.batchLine, destination, destination));
                    if (int(batch.size()) < options.batch && seq + options.publishers < options.events)
                        continue;
                    const int status = publisher.publishBatch(batch, lines, options.publishPath);
                    for (const int sent : batch)
                        refusedEvent[size_t(sent)] = status < 200 || status > 299;
                    batch.clear();
                    lines.clear();
                    continue;
                }
                if (options.rate > 0) {
                    const int64_t due = publishStartNs + int64_t(seq * 1e9 / options.rate);
                    while (nowNs() < due)
                        std::this_thread::sleep_for(
                            std::chrono::microseconds(std::max<int64_t>(1, (due - nowNs()) / 1000)));
                }
                const uint32_t destination = plan.destinationOf(seq);
                const int status = publisher.publish(seq, expandPath(options.publishPath, destination, destination));
                if (status < 200 || status > 299)
                    refusedEvent[size_t(seq)] = 1;
            }
        });
    }
    for (std::thread &publisher : publishers)
        publisher.join();
    const int64_t publishEndNs = nowNs();
    std::vector<uint32_t> acceptedFor(plan.destinations(), 0);
    int refused = 0;
    for (int seq = 0; seq < options.events; ++seq) {
        refused += refusedEvent[size_t(seq)];
        acceptedFor[plan.destinationOf(seq)] += 1 - refusedEvent[size_t(seq)];
    }
    uint64_t expected = 0;
    for (uint32_t destination = 0; destination < plan.destinations(); ++destination)
        expected += uint64_t(shared.connectedTo[destination].load()) * acceptedFor[destination];
    const int64_t deliveryDeadline = publishEndNs + int64_t(options.timeoutSeconds * 1e9);
    shared.expectedDeliveries.store(expected);
    shared.waitFor([&] { return shared.deliveries.load() >= expected; }, deliveryDeadline);
    const ServerUsage publishEnd = readUsage(options.serverPids);
    shared.stop = true;
    for (std::thread &thread : threads)
        thread.join();

    // Tally.
    uint64_t deliveries = 0, expectedDeliveries = 0, lost = 0, duplicates = 0, reordered = 0, unexpected = 0;
    int dropped = 0;
    std::vector<uint32_t> latencies;
    for (auto &receiver : receivers) {
        for (const Stream &stream : receiver->streams()) {
            if (!stream.connected)
                continue;
            if (stream.closed)
                ++dropped;
            deliveries += stream.unique;
            expectedDeliveries += plan.eventsFor(stream.destination);
            lost += plan.eventsFor(stream.destination) - stream.unique;
            duplicates += stream.duplicates;
            reordered += stream.reordered;
            unexpected += stream.unexpected;
        }
        latencies.insert(latencies.end(), receiver->latencies().begin(), receiver->latencies().end());
    }
    const int accepted = options.events - refused;
    const int64_t lastDelivery = std::max(shared.lastDeliveryNs.load(), publishStartNs + 1);
    const double deliverySeconds = seconds(lastDelivery - publishStartNs);
    const double publishSeconds = std::max(1e-9, seconds(publishEndNs - publishStartNs));
    const double publishCpu = publishEnd.cpuSeconds - publishStart.cpuSeconds;
    const bool measured = !options.serverPids.empty();
    const char *modeName = mode == DeliveryPlan::Mode::Topics ? "topics"
        : mode == DeliveryPlan::Mode::Targets                 ? "targets"
                                                              : "broadcast";

    std::printf("{\"tls\": %s, \"servers\": %zu, \"clients\": %d, \"connected\": %d, \"failedConnections\": %d, "
                "\"connectSeconds\": %.4f,\n"
                " \"sourceAddresses\": %" PRIu64 ", \"openFileLimit\": %llu,\n"
                " \"events\": %d, \"publishers\": %d, \"refusedPublishes\": %d, \"publishSeconds\": %.4f,"
                " \"publishesPerSecond\": %.1f,\n"
                " \"delivery\": \"%s\", \"topics\": %d, \"targets\": %s, \"seed\": %" PRIu64 ", \"payloadBytes\": %d,\n"
                " \"deliveries\": %" PRIu64 ", \"expectedDeliveries\": %" PRIu64 ", \"lost\": %" PRIu64
                ", \"duplicated\": %" PRIu64 ", \"reordered\": %" PRIu64 ", \"unexpected\": %" PRIu64
                ", \"droppedStreams\": %d,\n"
                " \"deliveriesPerSecond\": %.1f, \"eventsDeliveredPerSecond\": %.1f,\n"
                " \"latencyMs\": {\"p50\": %.3f, \"p99\": %.3f, \"p999\": %.3f, \"max\": %.3f}",
                tls ? "true" : "false", servers.size(), options.clients, connected, shared.failed.load(),
                seconds(connectEnd - connectStart), sources.count(), static_cast<unsigned long long>(openFiles),
                options.events, options.publishers, refused, seconds(publishEndNs - publishStartNs),
                double(accepted) / publishSeconds, modeName, options.topics, options.targets ? "true" : "false",
                options.seed, options.payloadBytes, deliveries, expectedDeliveries, lost, duplicates, reordered,
                unexpected, dropped, deliverySeconds > 0 ? double(deliveries) / deliverySeconds : 0.0,
                deliverySeconds > 0 && deliveries > 0 ? double(accepted) / deliverySeconds : 0.0,
                percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 0.999),
                percentile(latencies, 1.0));
    if (measured) {
        const double connectCpu = afterConnect.cpuSeconds - beforeConnect.cpuSeconds;
        std::printf(
            ",\n \"server\": {\"cpuMicrosecondsPerDelivery\": %.3f, \"cpuMicrosecondsPerEvent\": %.3f,"
            " \"publishCpuSeconds\": %.3f, \"cpuMicrosecondsPerConnection\": %.3f,"
            " \"rssKiB\": %.0f, \"rssPerClientKiB\": %.3f, \"idleCpuPercent\": %.3f}",
            deliveries ? publishCpu * 1e6 / double(deliveries) : 0.0, accepted > 0 ? publishCpu * 1e6 / accepted : 0.0,
            publishCpu, connected ? connectCpu * 1e6 / connected : 0.0, idleEnd.rssKiB,
            connected ? (idleEnd.rssKiB - beforeConnect.rssKiB) / connected : 0.0,
            options.idleSeconds > 0 ? 100.0 * (idleEnd.cpuSeconds - idleStart.cpuSeconds) / options.idleSeconds : 0.0);
    }
    std::printf("}\n");
    const bool complete = lost == 0 && duplicates == 0 && reordered == 0 && unexpected == 0;
    return complete && connected == options.clients ? 0 : 1;
}
