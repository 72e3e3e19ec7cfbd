// Figures for the interactive Bochs session (see interactive.hpp). The session is the one
// `./vmxlab run` starts: vmxlab.iso (prompt with echo), tools/emulator.sh bochs --clock live.
#include "tools/bench/interactive.hpp"
#include "tests/integration/session.hpp"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace vmxlab::test;
using Clock = std::chrono::steady_clock;

namespace vmxlab::bench {
namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

SessionOptions live_options(const Paths& p, const char* name)
{
    SessionOptions o;
    o.mode = Mode::bochs;
    o.image = p.build_dir + "/vmxlab.iso";
    o.bochs_clock = "live";
    o.name = std::string("bench-") + name;
    o.log_root = p.build_dir + "/bench-logs";
    o.emulator_sh = p.source_dir + "/tools/emulator.sh";
    return o;
}

// The Bochs process of a session: the one whose command line names the session's bochsrc.
pid_t find_bochs(const std::string& log_dir)
{
    const std::string want = log_dir + "/bochsrc";
    DIR* d = opendir("/proc");
    pid_t found = -1;
    while (dirent* e = d ? readdir(d) : nullptr) {
        pid_t pid = std::atoi(e->d_name);
        if (pid <= 0)
            continue;
        std::ifstream f("/proc/" + std::string(e->d_name) + "/cmdline");
        std::string cmd((std::istreambuf_iterator<char>(f)), {});
        std::replace(cmd.begin(), cmd.end(), '\0', ' ');
        if (cmd.find("bochs-bin") != std::string::npos && cmd.find(want) != std::string::npos)
            found = pid;
    }
    if (d)
        closedir(d);
    return found;
}

// Host CPU seconds (user + system) a process has used so far.
double cpu_seconds(pid_t pid)
{
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), {});
    size_t paren = s.rfind(')');
    if (paren == std::string::npos)
        return 0;
    std::istringstream in(s.substr(paren + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {   // fields 14 and 15: utime, stime
        if (i == 14)
            utime = std::atof(field.c_str());
        if (i == 15)
            stime = std::atof(field.c_str());
    }
    return (utime + stime) / double(sysconf(_SC_CLK_TCK));
}

struct Clocks {
    double host;         // host steady clock, seconds, at the middle of the request
    double time, clock;  // os.time(), os.clock() in seconds
    double ticks;        // sys.ticks() in seconds
};

std::optional<Clocks> read_clocks(Session& s)
{
    auto t0 = Clock::now();
    if (!s.send_line("print(string.format('clk %d %.3f %d', os.time(), os.clock(), sys.ticks()))"))
        return std::nullopt;
    Match m = s.expect(std::regex("clk ([0-9]+) ([0-9.]+) ([0-9]+)\n"), scaled(std::chrono::seconds(30)));
    if (!m || !s.expect_prompt(scaled(std::chrono::seconds(30))))
        return std::nullopt;
    double mid = std::chrono::duration<double>(t0.time_since_epoch()).count() + since(t0) / 2;
    return Clocks{mid, std::stod(m.groups[0]), std::stod(m.groups[1]), std::stod(m.groups[2]) / 1000};
}

// Sends `1+1` and waits for the echoed line, `2` and the prompt: seconds, or nothing.
std::optional<double> ask(Session& s, std::chrono::seconds timeout)
{
    auto t0 = Clock::now();
    if (!s.send_line("1+1") || !s.expect("1+1\n2\n", timeout) || !s.expect_prompt(timeout))
        return std::nullopt;
    return since(t0);
}

struct Booted {
    std::unique_ptr<Session> session;
    double boot_s = 0;
    pid_t pid = -1;
};

Booted boot_live(const Paths& p, const char* name)
{
    Booted b;
    b.session = std::make_unique<Session>(live_options(p, name));
    auto t0 = Clock::now();
    std::string err;
    if (!b.session->start(&err) || !b.session->expect_prompt(scaled(std::chrono::seconds(120)))) {
        std::fprintf(stderr, "bench: the interactive Bochs session did not boot (logs: %s) %s\n",
                     b.session->log_dir().c_str(), err.c_str());
        b.session.reset();
        return b;
    }
    b.boot_s = since(t0);
    b.pid = find_bochs(b.session->log_dir());
    return b;
}

void print_drift(const char* what, double guest, double host)
{
    std::printf("    %-10s %8.2f s in %6.2f s of host time: %+.2f%% (target within 2%%)\n", what, guest, host,
                100.0 * (guest - host) / host);
}

void sleep_s(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

} // namespace

void print_interactive(const Paths& p, int idle_s, int drift_s)
{
    std::printf("Interactive Bochs session (vmxlab.iso, emulator.sh bochs --clock live, as ./vmxlab run):\n");
    Booted b = boot_live(p, "interactive");
    if (!b.session) {
        std::printf("  (failed, see above)\n");
        return;
    }
    std::printf("  boot to the prompt: %.2f s (target < 5 s)\n", b.boot_s);
    auto tc0 = Clock::now();
    auto c0 = read_clocks(*b.session);
    sleep_s(2);   // let the output of the boot settle
    double cpu0 = cpu_seconds(b.pid);
    auto t0 = Clock::now();
    sleep_s(idle_s);
    double idle = (cpu_seconds(b.pid) - cpu0) / since(t0);
    std::printf("  idle prompt: %.1f%% of one host core over %d s (target < 10%%)\n", 100 * idle, idle_s);
    if (c0 && since(tc0) < drift_s)
        sleep_s(drift_s - since(tc0));
    auto c1 = read_clocks(*b.session);
    if (!c0 || !c1) {
        std::printf("  clocks: not measured (no answer)\n");
        return;
    }
    double host = c1->host - c0->host;
    std::printf("  guest clocks against the host's:\n");
    print_drift("os.time()", c1->time - c0->time, host);
    print_drift("os.clock()", c1->clock - c0->clock, host);
    print_drift("sys.ticks()", c1->ticks - c0->ticks, host);
}

int run_soak(const Paths& p, int minutes)
{
    std::printf("Soak: interactive Bochs session for %d min, alternately busy (Lua loop, 20 s) and idle "
                "(60 s), asking 1+1 after each phase\n", minutes);
    std::fflush(stdout);
    Booted b = boot_live(p, "soak");
    if (!b.session)
        return 1;
    auto start = Clock::now();
    auto c0 = read_clocks(*b.session);
    std::vector<double> answers;
    int lost = 0, cycle = 0;
    while (since(start) < minutes * 60.0 && lost == 0) {
        ++cycle;
        auto busy = b.session->eval("local t = os.clock() while os.clock() - t < 20 do end",
                                    scaled(std::chrono::seconds(120)));
        auto a1 = ask(*b.session, std::chrono::seconds(30));
        sleep_s(60);
        auto a2 = ask(*b.session, std::chrono::seconds(30));
        for (auto a : {a1, a2})
            a ? answers.push_back(*a) : void(++lost);
        if (!busy)
            ++lost;
        std::printf("  %5.1f min  cycle %3d  1+1 after busy %s s, after idle %s s  Bochs CPU %.0f s\n",
                    since(start) / 60, cycle, a1 ? std::to_string(*a1).substr(0, 5).c_str() : "NO ANSWER",
                    a2 ? std::to_string(*a2).substr(0, 5).c_str() : "NO ANSWER", cpu_seconds(b.pid));
        std::fflush(stdout);
    }
    auto c1 = read_clocks(*b.session);
    std::sort(answers.begin(), answers.end());
    double total = since(start);
    std::printf("Soak result: %s after %.1f min (%d cycles, %zu answers, %d lost)\n",
                lost ? "STOPPED RESPONDING" : "responsive throughout", total / 60, cycle, answers.size(), lost);
    if (!answers.empty())
        std::printf("  1+1 answered in: median %.3f s, max %.3f s\n", answers[answers.size() / 2], answers.back());
    std::printf("  Bochs used %.0f s of host CPU in %.0f s (%.1f%% of a core, busy phases included)\n",
                cpu_seconds(b.pid), total, 100 * cpu_seconds(b.pid) / total);
    if (c0 && c1) {
        double host = c1->host - c0->host;
        print_drift("os.time()", c1->time - c0->time, host);
        print_drift("sys.ticks()", c1->ticks - c0->ticks, host);
    }
    return lost ? 1 : 0;
}

} // namespace vmxlab::bench
