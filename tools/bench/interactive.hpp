// The interactive Bochs session as `./vmxlab run` starts it (vmxlab.iso, emulator.sh --clock
// live): boot time, idle host CPU, clock drift against the host, and the long soak run.
#pragma once
#include <string>

namespace vmxlab::bench {

struct Paths {
    std::string build_dir, source_dir;
};

// Boot to the prompt, host CPU of the idle prompt over `idle_s` seconds, and how far os.time(),
// os.clock() and sys.ticks() moved against the host's clock over `drift_s` seconds.
void print_interactive(const Paths& p, int idle_s, int drift_s);

// `minutes` of alternating busy and idle phases, asking `1+1` every cycle. Prints each cycle and
// a summary; returns 0 if every answer came back, 1 otherwise.
int run_soak(const Paths& p, int minutes);

} // namespace vmxlab::bench
