// memory_init: what must never be handed out, then the allocators in dependency order.
#include "kernel/memory.hpp"

#include "kernel/heap_core.hpp"
#include "kernel/modules.hpp"
#include "kernel/page_alloc.hpp"

namespace kernel {

bool memory_init(const BootInfo& info, uint64_t kernel_start, uint64_t kernel_end, uint64_t mapped_end) {
    MemoryRange ranges[BootInfo::max_ranges];
    size_t nranges = 0;
    for (size_t i = 0; i < info.range_count; i++) {
        MemoryRange r = info.ranges[i];
        if (r.type == 1) {                                  // only what the page tables cover
            if (r.base >= mapped_end) continue;
            if (r.length > mapped_end - r.base) r.length = mapped_end - r.base;
        }
        ranges[nranges++] = r;
    }

    constexpr size_t max_reserved = 2 + BootInfo::max_modules + BootInfo::max_info_spans;
    Reserved reserved[max_reserved];
    size_t n = 0;
    reserved[n++] = Reserved{0, 0x100000};
    reserved[n++] = Reserved{kernel_start, kernel_end};
    for (size_t i = 0; i < info.module_count; i++)
        reserved[n++] = Reserved{info.modules[i].start, info.modules[i].end};
    for (size_t i = 0; i < info.info_span_count; i++)
        reserved[n++] = info.info_spans[i];

    register_modules(info.modules, info.module_count);
    if (!pages().init(ranges, nranges, reserved, n)) return false;
    return heap().init(&pages());
}

} // namespace kernel
