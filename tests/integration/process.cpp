#include "tests/integration/process.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace vmxlab::test {

int listen_loopback(int* port, std::string* error)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;   // the kernel picks a free port: no races between parallel tests
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || ::listen(fd, 1) < 0
        || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) < 0) {
        *error = std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno);
        if (fd >= 0)
            ::close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

pid_t spawn(const std::vector<std::string>& args, const std::string& log, std::string* error)
{
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& a : copy)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) {
        *error = "cannot open " + log + ": " + std::strerror(errno);
        return -1;
    }
    const pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
#ifdef __linux__
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);   // never outlive a test process that was killed
#endif
        if (::getppid() != parent)
            ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out);
    ::close(in);
    if (pid < 0) {
        *error = std::string("fork: ") + std::strerror(errno);
        return -1;
    }
    ::setpgid(pid, pid);   // also here: whichever runs first
    return pid;
}

int try_reap(pid_t pid, bool block)
{
    int st = 0;
    if (::waitpid(pid, &st, block ? 0 : WNOHANG) != pid)
        return -1;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

int terminate(pid_t pid, int grace_ms)
{
    if (::kill(-pid, SIGTERM) < 0)
        ::kill(pid, SIGTERM);
    for (int waited = 0; waited < grace_ms; waited += 20) {
        int status = try_reap(pid, false);
        if (status >= 0)
            return status;
        ::poll(nullptr, 0, 20);
    }
    if (::kill(-pid, SIGKILL) < 0)
        ::kill(pid, SIGKILL);
    return try_reap(pid, true);
}

std::string last_lines(const std::string& path, size_t lines)
{
    std::ifstream in(path, std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t pos = all.size();
    for (size_t i = 0; i <= lines && pos > 0; ++i) {
        size_t nl = all.rfind('\n', pos - 1);
        pos = nl == std::string::npos ? 0 : nl;
    }
    std::string tail = all.substr(pos);
    return tail.size() > 2000 ? tail.substr(tail.size() - 2000) : tail;
}

} // namespace vmxlab::test
