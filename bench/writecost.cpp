// herald-writecost: what the kernel charges a server for one small write to a loopback client.
// That is the floor under any server that sends an event to each client in a write of its own,
// as every server must when events come one at a time (the paced scenario). A child process
// holds the client ends and reads them with epoll, like herald-load; the parent writes one
// event-sized message to each connection, in rounds a gap apart, and reports its CPU per write.
// No Qt, and nothing but the writes in the measured part.

#include "openfiles.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

struct Options
{
    int connections = 10000;
    int rounds = 10;
    int gapMs = 200;
    int bytes = 128;
};

[[noreturn]] void die(const std::string &message)
{
    std::fprintf(stderr, "herald-writecost: %s\n", message.c_str());
    std::exit(2);
}

double processCpuSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

/// The client ends: connects them all, then reads until the server hangs up. Exits 0 only if
/// every byte written arrived.
[[noreturn]] void runReader(const sockaddr_in &address, int connections, size_t expectedBytes)
{
    const int epoll = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < connections; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0
            || (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) < 0
                && errno != EINPROGRESS))
            die(std::string("connect: ") + std::strerror(errno));
        epoll_event event{};
        event.events = EPOLLIN | EPOLLRDHUP;
        event.data.fd = fd;
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
    }
    int open = connections;
    epoll_event ready[256];
    static char buffer[64 * 1024];
    size_t received = 0;
    while (open > 0) {
        const int count = epoll_wait(epoll, ready, 256, -1);
        for (int i = 0; i < count; ++i) {
            for (;;) {
                const ssize_t got = ::read(ready[i].data.fd, buffer, sizeof buffer);
                if (got > 0) {
                    received += size_t(got);
                    continue;
                }
                if (got < 0 && (errno == EAGAIN || errno == EINTR))
                    break;
                ::close(ready[i].data.fd); // also leaves the epoll set
                --open;
                break;
            }
        }
    }
    std::_Exit(received == expectedBytes ? 0 : 1);
}

Options parse(int argc, char **argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help") {
            std::printf("usage: herald-writecost [--connections N] [--rounds N] [--gap-ms N] [--bytes N]\n");
            std::exit(0);
        }
        if (i + 1 >= argc)
            die("give a value after " + flag);
        const int value = std::atoi(argv[++i]);
        if (value <= 0)
            die(flag + " takes a positive number");
        if (flag == "--connections")
            options.connections = value;
        else if (flag == "--rounds")
            options.rounds = value;
        else if (flag == "--gap-ms")
            options.gapMs = value;
        else if (flag == "--bytes")
            options.bytes = value;
        else
            die("unknown option " + flag);
    }
    return options;
}

} // namespace

int main(int argc, char **argv)
{
    const Options options = parse(argc, argv);
    const rlim_t openFiles = raiseOpenFileLimit(rlim_t(options.connections) + 16);
    if (openFiles < rlim_t(options.connections) + 16)
        die("the open-file limit (" + std::to_string(openFiles) + ") is below --connections");

    // Set up like Herald's listener: a large backlog, and no Nagle delay on what it sends.
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(listener, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener, reinterpret_cast<const sockaddr *>(&address), sizeof address) < 0
        || ::listen(listener, 4096) < 0 || getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) < 0)
        die(std::string("listen: ") + std::strerror(errno));

    // An event of the usual size, as a server would have encoded it once for everyone.
    std::string event = "id: 1\ndata: ";
    event.append(size_t(std::max(1, options.bytes - int(event.size()) - 2)), 'x');
    event += "\n\n";

    const pid_t reader = fork();
    if (reader < 0)
        die(std::string("fork: ") + std::strerror(errno));
    if (reader == 0) {
        ::close(listener);
        runReader(address, options.connections, event.size() * size_t(options.connections) * size_t(options.rounds));
    }

    std::vector<int> connections;
    connections.reserve(size_t(options.connections));
    while (int(connections.size()) < options.connections) {
        const int fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            die(std::string("accept: ") + std::strerror(errno));
        connections.push_back(fd);
    }

    usleep(useconds_t(options.gapMs) * 1000); // let the reader settle into waiting
    double cpu = 0;
    for (int round = 0; round < options.rounds; ++round) {
        const double start = processCpuSeconds();
        for (int fd : connections) {
            if (::send(fd, event.data(), event.size(), MSG_NOSIGNAL) != ssize_t(event.size()))
                die(std::string("send: ") + std::strerror(errno));
        }
        cpu += processCpuSeconds() - start;
        usleep(useconds_t(options.gapMs) * 1000);
    }
    for (int fd : connections)
        ::close(fd);
    int status = 0;
    waitpid(reader, &status, 0);

    const double writes = double(options.connections) * options.rounds;
    std::printf("{\"connections\": %d, \"rounds\": %d, \"gapMs\": %d, \"bytes\": %zu, "
                "\"cpuMicrosecondsPerWrite\": %.3f}\n",
                options.connections, options.rounds, options.gapMs, event.size(), cpu * 1e6 / writes);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
