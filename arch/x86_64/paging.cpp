// Identity map of RAM. boot.asm maps 0..4 GiB with 2 MiB pages; map_identity() extends the
// map to cover all RAM the memory map reports, with 1 GiB pages where the CPU has them
// (CPUID 80000001h:EDX[26]) and 2 MiB pages from a static pool otherwise.
#include "arch/x86_64/x86.hpp"

extern "C" uint64_t boot_pdpt[512];

namespace arch {
namespace {
constexpr uint64_t gib = 1ull << 30;
constexpr int extra_pd_pages = 28;                   // 2 MiB pages: up to 32 GiB in all
alignas(4096) uint64_t extra_pd[extra_pd_pages][512];
uint64_t top = 4 * gib;
} // namespace

void map_identity(uint64_t want)
{
    bool huge = cpuid(0x80000001).edx & (1u << 26);
    uint64_t limit = huge ? 512 * gib : (4 + extra_pd_pages) * gib;
    if (want > limit)
        want = limit;
    for (uint64_t g = top / gib; g * gib < want; ++g) {
        if (huge) {
            boot_pdpt[g] = (g * gib) | 0x83;          // present, writable, PS
        } else {
            uint64_t* pd = extra_pd[g - 4];
            for (uint64_t i = 0; i < 512; ++i)
                pd[i] = (g * gib + i * (2ull << 20)) | 0x83;
            boot_pdpt[g] = uint64_t(pd) | 0x03;
        }
        top = (g + 1) * gib;
    }
    write_cr3(read_cr3());                           // flush the TLB
}

uint64_t mapped_top() { return top; }

} // namespace arch
