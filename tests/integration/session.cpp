// Session: fork/exec of tools/emulator.sh, a listening socket for COM1, and poll()-based waits.
#include "tests/integration/session.hpp"

#include "tests/integration/process.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <poll.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace vmxlab::test {
namespace {

using Clock = std::chrono::steady_clock;

Duration remaining(Clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
    return left.count() > 0 ? left : Duration(0);
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

    int port_number = 0;
    listen_fd_ = listen_loopback(&port_number, error);
    if (listen_fd_ < 0)
        return false;
    const std::string port = std::to_string(port_number);

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
    if (!options_.bochs_clock.empty())
        args.insert(args.end(), {"--clock", options_.bochs_clock});
    if (options_.kvm)
        args.push_back("--kvm");
    {
        std::ofstream cmd(log_dir_ + "/command");
        for (const auto& a : args)
            cmd << a << ' ';
        cmd << '\n';
    }

    const std::string emu_log = log_dir_ + "/emulator.log";
    pid_ = spawn(args, emu_log, error);
    if (pid_ < 0)
        return false;

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
    if (pid_ > 0 && exit_status_ < 0)
        exit_status_ = try_reap(pid_, block);
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
    if (running())
        exit_status_ = terminate(pid_, 500);   // Bochs ignores SIGTERM: SIGKILL soon
    for (int* fd : {&listen_fd_, &conn_fd_, &serial_log_fd_})
        if (*fd >= 0) {
            ::close(*fd);
            *fd = -1;
        }
}

} // namespace vmxlab::test
