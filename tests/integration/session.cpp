// Session: fork/exec of tools/emulator.sh, a listening socket for COM1, and poll()-based waits.
#include "tests/integration/session.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace vmxlab::test {
namespace {

using Clock = std::chrono::steady_clock;

Duration remaining(Clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
    return left.count() > 0 ? left : Duration(0);
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

int decode_status(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return -1;
}

// Each session gets its own log directory; a name used twice in one process gets a suffix.
std::string unique_log_dir(const std::string& root, const std::string& name)
{
    static std::map<std::string, int> used;
    int n = ++used[name];
    std::string dir = root + "/" + name + (n > 1 ? "-" + std::to_string(n) : "");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    return dir;
}

} // namespace

Duration scaled(Duration d)
{
    const char* s = std::getenv("VMXLAB_TIMEOUT_SCALE");
    double k = s ? std::atof(s) : 1.0;
    return k > 0 ? Duration(static_cast<long long>(double(d.count()) * k)) : d;
}

const char* mode_name(Mode m)
{
    switch (m) {
    case Mode::qemu_kernel: return "qemu-kernel";
    case Mode::qemu_iso: return "qemu-iso";
    case Mode::qemu_uefi: return "qemu-uefi";
    case Mode::bochs: return "bochs";
    }
    return "?";
}

Session::Session(SessionOptions options) : options_(std::move(options)) {}

Session::~Session() { kill(); }

bool Session::start(std::string* error)
{
    std::string root = options_.log_root;
    if (root.empty())
        root = std::getenv("VMXLAB_TEST_LOG_DIR") ? std::getenv("VMXLAB_TEST_LOG_DIR") : "/tmp/vmxlab-test-logs";
    log_dir_ = unique_log_dir(root, options_.name);

    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;   // the kernel picks a free port
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0
        || ::listen(listen_fd_, 1) < 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) < 0) {
        *error = std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno);
        return false;
    }
    const std::string port = std::to_string(ntohs(addr.sin_port));

    std::vector<std::string> args = {"bash", options_.emulator_sh, mode_name(options_.mode),
        "--image", options_.image, "--port", port, "--memory", std::to_string(options_.memory_mib),
        "--workdir", log_dir_};
    if (!options_.append.empty())
        args.insert(args.end(), {"--append", options_.append});
    for (const auto& m : options_.modules)
        args.insert(args.end(), {"--module", m});
    if (!options_.cpu.empty())
        args.insert(args.end(), {"--cpu", options_.cpu});
    if (options_.bochs_ips > 0)
        args.insert(args.end(), {"--ips", std::to_string(options_.bochs_ips)});
    if (options_.kvm)
        args.push_back("--kvm");
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    {
        std::ofstream cmd(log_dir_ + "/command");
        for (const auto& a : args)
            cmd << a << ' ';
        cmd << '\n';
    }

    const std::string emu_log = log_dir_ + "/emulator.log";
    int out = ::open(emu_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) {
        *error = "cannot open " + emu_log + ": " + std::strerror(errno);
        return false;
    }
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
        ::setpgid(0, 0);
#ifdef __linux__
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);   // never outlive a test process that was killed
#endif
        if (::getppid() != parent)
            ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execvp("bash", argv.data());
        ::_exit(127);
    }
    ::close(out);
    ::close(in);
    if (pid_ < 0) {
        *error = std::string("fork: ") + std::strerror(errno);
        return false;
    }
    ::setpgid(pid_, pid_);

    const auto deadline = Clock::now() + scaled(options_.connect_timeout);
    while (conn_fd_ < 0) {
        pollfd p{listen_fd_, POLLIN, 0};
        int r = ::poll(&p, 1, 100);
        if (r > 0)
            conn_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (conn_fd_ >= 0)
            break;
        reap(false);
        if (exit_status_ >= 0 || remaining(deadline).count() == 0) {
            *error = (exit_status_ >= 0 ? "emulator exited with status " + std::to_string(exit_status_)
                                        : std::string("emulator did not connect to COM1 in time"))
                + " (" + describe() + ")\n--- emulator.log:\n" + last_lines(emu_log, 15);
            kill();
            return false;
        }
    }
    ::close(listen_fd_);
    listen_fd_ = -1;
    serial_log_fd_ = ::open((log_dir_ + "/serial.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return true;
}

Session::Read Session::read_some(Duration wait)
{
    if (closed_ || conn_fd_ < 0)
        return Read::closed;
    pollfd p{conn_fd_, POLLIN, 0};
    int r = ::poll(&p, 1, int(wait.count()));
    if (r <= 0)
        return Read::idle;
    char buf[65536];
    ssize_t n = ::read(conn_fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return Read::idle;
    if (n <= 0) {
        closed_ = true;
        return Read::closed;
    }
    if (serial_log_fd_ >= 0)
        (void)!::write(serial_log_fd_, buf, size_t(n));
    for (ssize_t i = 0; i < n; ++i)
        if (buf[i] != '\r')
            received_.push_back(buf[i]);
    return Read::data;
}

std::string Session::tail(size_t chars) const
{
    std::string t = received_.size() > chars ? "..." + received_.substr(received_.size() - chars) : received_;
    return t.empty() ? "(nothing)" : t;
}

std::string Session::describe() const
{
    std::string image = std::filesystem::path(options_.image).filename().string();
    return std::string(mode_name(options_.mode)) + (options_.kvm ? "+kvm " : " ") + image
        + (options_.cpu.empty() ? "" : " cpu=" + options_.cpu) + " -m " + std::to_string(options_.memory_mib)
        + (options_.append.empty() ? "" : " args \"" + options_.append + "\"") + ", logs in " + log_dir_;
}

Match Session::fail(std::string what) const
{
    Match m;
    std::ostringstream s;
    s << what;
    if (exit_status_ >= 0)
        s << " (emulator exited with status " << exit_status_ << ")";
    s << "\n--- " << describe() << "\n--- last output received:\n" << tail();
    if (exit_status_ >= 0)
        s << "\n--- emulator.log:\n" << last_lines(log_dir_ + "/emulator.log", 8);
    m.error = s.str();
    return m;
}

template <class Finder>
Match Session::wait_for(Finder find, std::string_view what, Duration timeout)
{
    const auto deadline = Clock::now() + scaled(timeout);
    for (;;) {
        Match m;
        if (auto end = find(m.groups)) {
            m.ok = true;
            m.text = received_.substr(consumed_, *end - consumed_);
            consumed_ = *end;
            return m;
        }
        if (closed_) {
            const auto grace = Clock::now() + 5s;
            while (running() && Clock::now() < grace)
                ::poll(nullptr, 0, 20);
            return fail("COM1 closed while waiting for " + std::string(what));
        }
        if (remaining(deadline).count() == 0)
            return fail("timed out after " + std::to_string(scaled(timeout).count()) + " ms waiting for "
                + std::string(what));
        read_some(std::min(remaining(deadline), Duration(200)));
    }
}

Match Session::expect(std::string_view needle, Duration timeout)
{
    return wait_for([&](std::vector<std::string>&) -> std::optional<size_t> {
        size_t at = received_.find(needle, consumed_);
        return at == std::string::npos ? std::nullopt : std::optional<size_t>(at + needle.size());
    }, "\"" + std::string(needle) + "\"", timeout);
}

Match Session::expect(const std::regex& pattern, Duration timeout)
{
    return wait_for([&](std::vector<std::string>& groups) -> std::optional<size_t> {
        std::smatch sm;
        auto begin = received_.cbegin() + std::ptrdiff_t(consumed_);
        if (!std::regex_search(begin, received_.cend(), sm, pattern))
            return std::nullopt;
        groups.clear();
        for (size_t i = 1; i < sm.size(); ++i)
            groups.push_back(sm[i].str());
        return consumed_ + size_t(sm.position(0) + sm.length(0));
    }, "a regex match", timeout);
}

std::optional<size_t> Session::find_at_line_start(std::string_view s, size_t from) const
{
    for (size_t at = received_.find(s, from); at != std::string::npos; at = received_.find(s, at + 1))
        if (at == consumed_ || received_[at - 1] == '\n')
            return at + s.size();
    return std::nullopt;
}

Match Session::expect_prompt(Duration timeout)
{
    return wait_for([&](std::vector<std::string>&) { return find_at_line_start(options_.prompt, consumed_); },
        "the prompt \"" + options_.prompt + "\"", timeout);
}

Match Session::expect_continuation(Duration timeout)
{
    return wait_for([&](std::vector<std::string>&) { return find_at_line_start(options_.continuation, consumed_); },
        "the continuation prompt \"" + options_.continuation + "\"", timeout);
}

Match Session::eval(std::string_view line, Duration timeout)
{
    Match m;
    if (!send_line(line, &m.error))
        return m;
    m = expect_prompt(timeout);
    if (m.ok) {
        m.text.resize(m.text.size() - options_.prompt.size());
        if (!m.text.empty() && m.text.back() == '\n')
            m.text.pop_back();
    } else {
        std::string shown(line.substr(0, 120));
        m.error = "after sending \"" + shown + (line.size() > 120 ? "...\"" : "\"") + ": " + m.error;
    }
    return m;
}

bool Session::send(std::string_view bytes, std::string* error)
{
    const auto deadline = Clock::now() + scaled(30s);
    while (!bytes.empty()) {
        if (closed_ || conn_fd_ < 0) {
            if (error)
                *error = fail("COM1 closed while sending").error;
            return false;
        }
        // Keep reading while writing: a kernel that echoes must never block on its output.
        pollfd p{conn_fd_, POLLIN | POLLOUT, 0};
        if (::poll(&p, 1, 100) > 0) {
            if (p.revents & (POLLIN | POLLHUP | POLLERR))
                read_some(Duration(0));
            if (p.revents & POLLOUT) {
                ssize_t n = ::send(conn_fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0)
                    bytes.remove_prefix(size_t(n));
                else if (n < 0 && errno != EAGAIN && errno != EINTR)
                    closed_ = true;
            }
        }
        if (!bytes.empty() && remaining(deadline).count() == 0) {
            if (error)
                *error = fail("timed out sending (the guest stopped reading COM1)").error;
            return false;
        }
    }
    return true;
}

bool Session::send_line(std::string_view line, std::string* error)
{
    std::string l(line);
    l += options_.line_end;
    return send(l, error);
}

void Session::reap(bool block)
{
    if (pid_ <= 0 || exit_status_ >= 0)
        return;
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, block ? 0 : WNOHANG);
    if (r == pid_)
        exit_status_ = decode_status(st);
}

bool Session::running()
{
    reap(false);
    return pid_ > 0 && exit_status_ < 0;
}

std::optional<int> Session::wait_exit(Duration timeout, std::string* error)
{
    const auto deadline = Clock::now() + scaled(timeout);
    while (running()) {
        if (remaining(deadline).count() == 0) {
            if (error)
                *error = fail("timed out after " + std::to_string(scaled(timeout).count())
                    + " ms waiting for the emulator to exit").error;
            return std::nullopt;
        }
        if (read_some(std::min(remaining(deadline), Duration(50))) == Read::closed)
            ::poll(nullptr, 0, 20);
    }
    while (read_some(Duration(0)) == Read::data) {
    }
    return exit_status_;
}

void Session::kill()
{
    if (running()) {
        if (::kill(-pid_, SIGTERM) < 0)
            ::kill(pid_, SIGTERM);
        const auto deadline = Clock::now() + 3s;
        while (running() && Clock::now() < deadline)
            ::poll(nullptr, 0, 20);
        if (running()) {
            if (::kill(-pid_, SIGKILL) < 0)
                ::kill(pid_, SIGKILL);
            reap(true);
        }
    }
    for (int* fd : {&listen_fd_, &conn_fd_, &serial_log_fd_})
        if (*fd >= 0) {
            ::close(*fd);
            *fd = -1;
        }
}

} // namespace vmxlab::test
