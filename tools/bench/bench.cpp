// vmxlab-bench: the figures ./vmxlab bench prints. Measurements, not pass/fail tests: boot time
// against the floor (GRUB + a tiny kernel, minimal grub.cfg), kernel size, memory left for Lua, the same Lua benchmark in the
// kernel and on the host's lua5.4 (both counted in instructions), and VMX round trips.
//
//   vmxlab-bench BUILD_DIR SOURCE_DIR [--runs N] [--rounds N] [--no-bochs] [--idle S] [--drift S]
//                [--interactive]   (only the interactive Bochs session's figures)
//   vmxlab-bench BUILD_DIR SOURCE_DIR --soak [MINUTES]     (default 30; not part of CI)
#include "tests/integration/session.hpp"
#include "tools/bench/interactive.hpp"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <sys/stat.h>
#include <vector>

using namespace vmxlab::test;
using Clock = std::chrono::steady_clock;

namespace {

std::string build_dir, source_dir;
int runs = 5, rounds = 10, idle_s = 20, drift_s = 60, soak_minutes = 0;
bool with_bochs = true, interactive_only = false;

SessionOptions base(Mode mode, const std::string& image, const char* name)
{
    SessionOptions o;
    o.mode = mode;
    o.image = image;
    o.name = std::string("bench-") + name;
    o.log_root = build_dir + "/bench-logs";
    o.emulator_sh = source_dir + "/tools/emulator.sh";
    return o;
}

// Seconds from starting the emulator until `needle` appears on COM1 (one run).
std::optional<double> boot_once(const SessionOptions& o, const std::string& needle)
{
    Session s(o);
    auto start = Clock::now();
    std::string err;
    if (!s.start(&err) || !s.expect(needle, scaled(std::chrono::seconds(120)))) {
        std::fprintf(stderr, "bench: %s did not reach \"%s\" (logs: %s)\n", s.describe().c_str(),
                     needle.c_str(), s.log_dir().c_str());
        return std::nullopt;
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// vmxlab and the floor booted alternately (the machine's load hits both alike).
void print_boot(const char* label, Mode mode)
{
    std::vector<double> vmxlab, floor;
    for (int i = 0; i < runs; ++i) {
        auto v = boot_once(base(mode, build_dir + "/vmxlab-test.iso", "boot"), "\n> ");
        auto f = boot_once(base(mode, build_dir + "/floor.iso", "floor"), "vmxlab-floor: up");
        if (!v || !f) {
            std::printf("  %-22s (failed, see above)\n", label);
            return;
        }
        vmxlab.push_back(*v);
        floor.push_back(*f);
    }
    double vm = median(vmxlab), fm = median(floor);
    double vb = *std::min_element(vmxlab.begin(), vmxlab.end()), fb = *std::min_element(floor.begin(), floor.end());
    std::printf("  %-22s vmxlab %5.2f s  floor %5.2f s  ratio %.2f (median; best %.2f/%.2f = %.2f; target <= 1.20)\n",
                label, vm, fm, vm / fm, vb, fb, vb / fb);
}

void print_size()
{
    std::ifstream f(build_dir + "/kernel.elf", std::ios::binary);
    Elf64_Ehdr eh {};
    f.read(reinterpret_cast<char*>(&eh), sizeof eh);
    uint64_t file_bytes = 0, mem_bytes = 0;
    for (int i = 0; f && i < eh.e_phnum; ++i) {
        Elf64_Phdr ph {};
        f.seekg(std::streamoff(eh.e_phoff + uint64_t(i) * eh.e_phentsize));
        f.read(reinterpret_cast<char*>(&ph), sizeof ph);
        if (ph.p_type == PT_LOAD) {
            file_bytes += ph.p_filesz;
            mem_bytes += ph.p_memsz;
        }
    }
    struct stat iso {};
    stat((build_dir + "/vmxlab.iso").c_str(), &iso);
    std::printf("  kernel image: %llu KiB loaded (%llu KiB with .bss: stacks, page tables, buffers); vmxlab.iso %.1f MiB\n",
                (unsigned long long)(file_bytes / 1024), (unsigned long long)(mem_bytes / 1024),
                double(iso.st_size) / (1 << 20));
}

void print_memory(int mib)
{
    SessionOptions o = base(Mode::qemu_kernel, build_dir + "/kernel.elf", "memory");
    o.append = "batch test";
    o.memory_mib = mib;
    Session s(o);
    std::string err;
    if (!s.start(&err)) {
        std::printf("  %3d MiB machine: %s\n", mib, err.c_str());
        return;
    }
    Match m = s.expect(std::regex("Memory: ([0-9]+) KiB free for Lua"), scaled(std::chrono::seconds(30)));
    if (m)
        std::printf("  %3d MiB machine: %s KiB free for Lua (%.1f%% of RAM)\n", mib, m.groups[0].c_str(),
                    100.0 * std::stod(m.groups[0]) / (mib * 1024.0));
    else
        std::printf("  %3d MiB machine: no banner (logs: %s)\n", mib, s.log_dir().c_str());
}

// Instructions the host's lua5.4 executes for the workload: valgrind's count for N rounds
// minus its count for 0 rounds (interpreter start-up and parsing cancel out).
std::optional<unsigned long long> host_instructions()
{
    auto count = [](int n) -> std::optional<unsigned long long> {
        std::string cmd = "valgrind --tool=callgrind --callgrind-out-file=/dev/null lua5.4 '" + source_dir +
                          "/tests/lua/bench_lua.lua' " + std::to_string(n) + " 2>&1 >/dev/null";
        FILE* p = popen(cmd.c_str(), "r");
        if (!p)
            return std::nullopt;
        char line[512];
        std::optional<unsigned long long> v;
        while (std::fgets(line, sizeof line, p))
            if (const char* c = std::strstr(line, "Collected : "))
                v = std::strtoull(c + 12, nullptr, 10);
        pclose(p);
        return v;
    };
    auto full = count(rounds), empty = count(0);
    if (!full || !empty)
        return std::nullopt;
    return *full - *empty;
}

void print_lua()
{
    auto host = host_instructions();
    std::optional<unsigned long long> kernel;
    std::string roundtrip;
    if (with_bochs) {
        SessionOptions o = base(Mode::bochs, build_dir + "/vmxlab-test.iso", "lua");
        Session s(o);
        std::string err;
        if (s.start(&err) && s.expect_prompt(scaled(std::chrono::seconds(120)))) {
            Match m = s.eval("do local b = require 'bench_lua'; local t0 = cpu.rdtsc(); b.run(" +
                                 std::to_string(rounds) + "); print('instructions', cpu.rdtsc() - t0) end",
                             scaled(std::chrono::seconds(300)));
            std::smatch g;
            if (m && std::regex_search(m.text, g, std::regex("instructions\\s+([0-9]+)")))
                kernel = std::stoull(g[1]);
            // VMX round trips, when the vmx module offers its benchmark.
            Match r = s.eval("print(require('vmxlib').bench(1000))",
                             scaled(std::chrono::seconds(300)));
            if (r)
                roundtrip = r.text;
        }
        if (!kernel)
            std::fprintf(stderr, "bench: Lua benchmark in Bochs failed (logs: %s)\n", s.log_dir().c_str());
    }
    std::printf("Lua benchmark (tests/lua/bench_lua.lua, %d rounds), instructions retired:\n", rounds);
    if (kernel)
        std::printf("  kernel (Bochs, RDTSC counts instructions): %llu\n", *kernel);
    else
        std::printf("  kernel: not measured%s\n", with_bochs ? " (failed)" : " (--no-bochs)");
    if (host)
        std::printf("  host lua5.4 (valgrind):                    %llu\n", *host);
    else
        std::printf("  host lua5.4: not measured (needs valgrind and lua5.4)\n");
    if (kernel && host)
        std::printf("  ratio kernel/host: %.3f (target <= 1.10)\n", double(*kernel) / double(*host));
    std::smatch g;
    if (std::regex_search(roundtrip, g, std::regex("([0-9.]+)\\s+([0-9.]+)")))
        std::printf("VMX exit round trip (Bochs, guest CPUID -> exit -> VMRESUME), instructions per exit:\n"
                    "  through a Lua loop: %s (target <= 2000)\n  through the C++ path: %s (target <= 150)\n",
                    g[1].str().c_str(), g[2].str().c_str());
    else if (with_bochs)
        std::printf("VMX exit round trip: not measured (%s)\n", roundtrip.c_str());
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: vmxlab-bench BUILD_DIR SOURCE_DIR [--runs N] [--rounds N] [--no-bochs]\n");
        return 2;
    }
    build_dir = argv[1];
    source_dir = argv[2];
    for (int i = 3; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--no-bochs"))
            with_bochs = false;
        else if (!std::strcmp(argv[i], "--idle") && i + 1 < argc)
            idle_s = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--drift") && i + 1 < argc)
            drift_s = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--interactive"))
            interactive_only = true;
        else if (!std::strcmp(argv[i], "--soak"))
            soak_minutes = i + 1 < argc && std::atoi(argv[i + 1]) > 0 ? std::atoi(argv[++i]) : 30;
    }
    const vmxlab::bench::Paths paths{build_dir, source_dir};
    if (soak_minutes > 0)
        return vmxlab::bench::run_soak(paths, soak_minutes);
    if (interactive_only) {
        vmxlab::bench::print_interactive(paths, idle_s, drift_s);
        return 0;
    }
    std::printf("vmxlab bench (figures, not pass/fail)\n");
    std::printf("Size:\n");
    print_size();
    std::printf("Memory left for Lua:\n");
    print_memory(256);
    print_memory(32);
    std::printf("Boot to the prompt, test-suite configuration (median of %d, runs interleaved; floor = GRUB with\n"
                "a one-entry grub.cfg, no modules, booting a tiny multiboot2 kernel to its first COM1 line):\n", runs);
    print_boot("QEMU (SeaBIOS, GRUB)", Mode::qemu_iso);
    if (with_bochs)
        print_boot("Bochs (rombios, GRUB)", Mode::bochs);
    print_lua();
    if (with_bochs)
        vmxlab::bench::print_interactive(paths, idle_s, drift_s);
    return 0;
}
