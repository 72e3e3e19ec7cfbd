// vmxlab-term: the user's terminal bridged raw to an emulator's COM1 over TCP.
//
//   vmxlab-term [--port P] [--log FILE] -- COMMAND [ARG...]
//
// Listens on 127.0.0.1:P (default: any free port), starts COMMAND with VMXLAB_SERIAL_PORT=P in
// its environment and every "@PORT@" in its arguments replaced by P, waits until it connects,
// then copies bytes both ways with the terminal in raw mode, so Ctrl-C, Tab and the arrow keys
// reach the kernel. Ctrl-] quits and stops the emulator. COMMAND's stdout and stderr go to the
// log file, its stdin is /dev/null. Exit status: the emulator's when it exits by itself
// (QEMU: (code << 1) | 1, Bochs: 1), 0 after Ctrl-], 2 on a usage or start-up error.
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <vector>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace {

constexpr unsigned char quit_key = 0x1d;   // Ctrl-]

volatile sig_atomic_t stop_signal = 0;
termios saved_tty;
bool tty_raw = false;
bool at_line_start = true;   // the last byte shown to the user ended a line
pid_t child = -1;
int child_status = -1;

void on_signal(int sig) { stop_signal = sig; }

void restore_tty()
{
    if (tty_raw) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
        tty_raw = false;
    }
}

void make_raw()
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) < 0)
        return;
    termios raw = saved_tty;
    cfmakeraw(&raw);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0)
        tty_raw = true;
}

void say(const char* fmt, const std::string& a = "", const std::string& b = "")
{
    std::string line = at_line_start ? "vmxlab: " : (tty_raw ? "\r\nvmxlab: " : "\nvmxlab: ");
    at_line_start = true;
    char buf[1024];
    std::snprintf(buf, sizeof buf, fmt, a.c_str(), b.c_str());
    line += buf;
    line += tty_raw ? "\r\n" : "\n";
    (void)!write(STDERR_FILENO, line.data(), line.size());
}

bool write_all(int fd, const char* p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= size_t(w);
    }
    return true;
}

bool reap(bool block)
{
    if (child <= 0 || child_status >= 0)
        return true;
    int st;
    if (waitpid(child, &st, block ? 0 : WNOHANG) != child)
        return false;
    child_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return true;
}

void stop_child()
{
    if (reap(false))
        return;
    kill(-child, SIGTERM);
    for (int i = 0; i < 25 && !reap(false); ++i)   // Bochs ignores SIGTERM: SIGKILL after 0.5 s
        poll(nullptr, 0, 20);
    if (!reap(false)) {
        kill(-child, SIGKILL);
        reap(true);
    }
}

int usage()
{
    std::fprintf(stderr, "usage: vmxlab-term [--port P] [--log FILE] -- COMMAND [ARG...]\n"
                         "  COMMAND connects its COM1 to 127.0.0.1:P; \"@PORT@\" in ARGs and\n"
                         "  $VMXLAB_SERIAL_PORT give it P. Ctrl-] quits.\n");
    return 2;
}

// Copies terminal <-> socket until Ctrl-], EOF on the socket or a signal. True if the user quit.
bool bridge(int conn)
{
    int in = STDIN_FILENO;
    char buf[4096];
    while (!stop_signal) {
        pollfd p[2] = {{conn, POLLIN, 0}, {in, POLLIN, 0}};
        if (poll(p, in >= 0 ? 2 : 1, 500) < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (p[0].revents) {
            ssize_t n = read(conn, buf, sizeof buf);
            if (n <= 0)
                return false;   // the emulator closed COM1: it is exiting
            if (!write_all(STDOUT_FILENO, buf, size_t(n)))
                return false;
            at_line_start = buf[n - 1] == '\n';
        }
        if (in >= 0 && p[1].revents) {
            ssize_t n = read(in, buf, sizeof buf);
            if (n <= 0) {
                in = -1;        // stdin ended (a pipe): keep showing output until the emulator exits
                continue;
            }
            void* q = std::memchr(buf, quit_key, size_t(n));
            size_t keep = q ? size_t(static_cast<char*>(q) - buf) : size_t(n);
            if (!write_all(conn, buf, keep))
                return false;
            if (q)
                return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    int port = 0;
    const char* tmp = std::getenv("TMPDIR");
    std::string log = std::string(tmp && *tmp ? tmp : "/tmp") + "/vmxlab-term.log";
    int i = 1;
    for (; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
        if (!std::strcmp(argv[i], "--port") && i + 1 < argc)
            port = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--log") && i + 1 < argc)
            log = argv[++i];
        else
            return usage();
    }
    if (i + 1 >= argc)
        return usage();

    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(uint16_t(port));
    socklen_t len = sizeof addr;
    if (ls < 0 || bind(ls, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || listen(ls, 1) < 0
        || getsockname(ls, reinterpret_cast<sockaddr*>(&addr), &len) < 0) {
        say("cannot listen on 127.0.0.1:%s: %s", std::to_string(port), std::strerror(errno));
        return 2;
    }
    const std::string p = std::to_string(ntohs(addr.sin_port));
    setenv("VMXLAB_SERIAL_PORT", p.c_str(), 1);

    std::vector<std::string> args(argv + i + 1, argv + argc);
    std::vector<char*> cargv;
    for (auto& a : args) {
        for (size_t at; (at = a.find("@PORT@")) != std::string::npos;)
            a.replace(at, 6, p);
        cargv.push_back(a.data());
    }
    cargv.push_back(nullptr);

    int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0) {
        say("cannot write the log %s: %s", log, std::strerror(errno));
        return 2;
    }
    struct sigaction sa{};
    sa.sa_handler = on_signal;   // no SA_RESTART: poll/accept return EINTR
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
        sigaction(sig, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);

    const pid_t parent = getpid();
    child = fork();
    if (child == 0) {
        setpgid(0, 0);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);   // the emulator dies with us, however we die
#endif
        if (getppid() != parent)
            _exit(127);
        dup2(devnull, 0);
        dup2(out, 1);
        dup2(out, 2);
        execvp(cargv[0], cargv.data());
        std::fprintf(stderr, "vmxlab-term: cannot run %s: %s\n", cargv[0], std::strerror(errno));
        _exit(127);
    }
    if (child < 0) {
        say("fork: %s", std::strerror(errno));
        return 2;
    }
    setpgid(child, child);
    close(out);
    close(devnull);
    say("starting %s (COM1 on 127.0.0.1:%s)", args[0] + (args.size() > 1 ? " " + args[1] : ""), p);

    int conn = -1;
    for (int waited = 0; conn < 0 && !stop_signal; waited += 100) {
        pollfd pl{ls, POLLIN, 0};
        if (poll(&pl, 1, 100) > 0)
            conn = accept4(ls, nullptr, nullptr, SOCK_CLOEXEC);
        if (conn < 0 && (reap(false) || waited > 60000)) {
            say(child_status >= 0 ? "the emulator exited (status %s) before connecting to COM1; see %s"
                                  : "the emulator did not connect to COM1 in 60 s%s; see %s",
                child_status >= 0 ? std::to_string(child_status) : "", log);
            stop_child();
            return 2;
        }
    }
    close(ls);
    bool quit = false;
    if (conn >= 0) {
        make_raw();
        say("connected to COM1; Ctrl-] quits (emulator log: %s)", log);
        quit = bridge(conn);
        close(conn);
    }
    // The emulator closes COM1 as it exits; give it a moment before stopping it.
    for (int t = 0; !quit && !stop_signal && t < 100 && !reap(false); ++t)
        poll(nullptr, 0, 20);
    bool exited_by_itself = reap(false);
    stop_child();
    restore_tty();
    if (exited_by_itself) {
        say("the emulator exited with status %s", std::to_string(child_status));
        return child_status;
    }
    say("stopped the emulator%s", quit ? "" : " (signal)");
    return 0;
}
