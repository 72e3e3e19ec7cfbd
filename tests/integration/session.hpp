// One emulator run with its COM1 on a TCP socket: start, expect/send, wait for exit, kill.
// The emulator command line comes from tools/emulator.sh (the one place that knows them); this
// class listens on a free 127.0.0.1 port first, so sessions run in parallel without races.
// Every wait has a timeout, and every failure message ends with the tail of what was received.
#pragma once
#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace vmxlab::test {

using Duration = std::chrono::milliseconds;
using namespace std::chrono_literals;

// Timeouts are multiplied by $VMXLAB_TIMEOUT_SCALE (default 1) for slow machines.
Duration scaled(Duration d);

enum class Mode { qemu_kernel, qemu_iso, qemu_uefi, bochs };
const char* mode_name(Mode m);   // the MODE argument of tools/emulator.sh

struct SessionOptions {
    Mode mode = Mode::qemu_kernel;
    std::string image;                  // kernel.elf for qemu_kernel, else an ISO
    std::string append;                 // kernel arguments (qemu_kernel only)
    std::vector<std::string> modules;   // boot modules, named by file name (qemu_kernel only)
    int memory_mib = 256;
    std::string cpu;                    // "" = emulator.sh's default (max / corei7_skylake_x)
    long bochs_ips = 0;                 // 0 = emulator.sh's default
    std::string bochs_clock;            // "" = emulator.sh's default (fast); "live" = real time
    bool kvm = false;
    std::string name = "session";       // log directory name under the log root
    std::string log_root;               // "" = $VMXLAB_TEST_LOG_DIR or /tmp/vmxlab-test-logs
    std::string emulator_sh;            // path to tools/emulator.sh
    std::string prompt = "> ";          // the kernel's prompt; matched at the start of a line
    std::string continuation = ">> ";   // prompt for the next line of an incomplete chunk
    std::string line_end = "\r";        // what Enter sends (a terminal sends CR)
    Duration connect_timeout = 30s;     // emulator start until COM1 connects
};

// The result of a wait. `text` is the output consumed (CRs stripped), `error` says what went
// wrong and ends with the tail of the output; `groups` holds a regex match's sub-matches.
struct Match {
    bool ok = false;
    std::string text;
    std::string error;
    std::vector<std::string> groups;
    explicit operator bool() const { return ok; }
};

class Session {
public:
    explicit Session(SessionOptions options);
    ~Session();                          // kills the emulator if it still runs
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Starts the emulator and waits until it connects to COM1. False with *error set on failure.
    bool start(std::string* error);

    // Waits for a substring / regex / prompt in the output not yet consumed; consumes and returns
    // everything up to and including the match.
    Match expect(std::string_view needle, Duration timeout);
    Match expect(const std::regex& pattern, Duration timeout);
    Match expect_prompt(Duration timeout);         // options.prompt at the start of a line
    Match expect_continuation(Duration timeout);   // options.continuation at the start of a line

    // Sends one line and waits for the next prompt; `text` is the output in between (the prompt
    // and the newline before it removed). Without echo (kernel arg `batch`) that is the result.
    Match eval(std::string_view line, Duration timeout);

    bool send(std::string_view bytes, std::string* error = nullptr);
    bool send_line(std::string_view line, std::string* error = nullptr);

    // Waits for the emulator to exit and returns its exit status (128 + signal if killed).
    std::optional<int> wait_exit(Duration timeout, std::string* error = nullptr);

    bool running();                      // the emulator process has not exited
    void kill();                         // SIGTERM, then SIGKILL; reaps the process

    const std::string& output() const { return received_; }   // everything, CRs stripped
    std::string pending() const { return received_.substr(consumed_); }
    std::string tail(size_t chars = 1200) const;
    std::string describe() const;        // "qemu-kernel kernel.elf (log: DIR)"
    const std::string& log_dir() const { return log_dir_; }
    const SessionOptions& options() const { return options_; }

private:
    enum class Read { data, idle, closed };
    Read read_some(Duration wait);       // appends to received_; closed at EOF/error
    Match fail(std::string what) const;
    template <class Finder> Match wait_for(Finder find, std::string_view what, Duration timeout);
    std::optional<size_t> find_at_line_start(std::string_view s, size_t from) const;
    void reap(bool block);

    SessionOptions options_;
    std::string log_dir_;
    pid_t pid_ = -1;
    int exit_status_ = -1;
    int listen_fd_ = -1;
    int conn_fd_ = -1;
    int serial_log_fd_ = -1;
    bool closed_ = false;
    std::string received_;
    size_t consumed_ = 0;
};

} // namespace vmxlab::test
