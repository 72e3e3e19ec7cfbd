// Memory bring-up: one call after parse_boot_info() sets up the page allocator, the heap and
// the boot-module registry.
#pragma once
#include <stdint.h>
#include "kernel/boot_info.hpp"

namespace kernel {

// RAM above this is ignored unless the caller says more is identity-mapped.
constexpr uint64_t default_mapped_end = 4ull << 30;

// Reserves page 0 and the first 1 MiB (BIOS, real-mode structures), [kernel_start, kernel_end)
// (the linker's __kernel_start/__kernel_end, .bss included), every boot module and the loader's
// info structures; gives the rest of the type-1 RAM below mapped_end (everything the boot code
// identity-mapped) to pages(); binds kheap_* to it; registers the modules.
// Returns false if there is no usable RAM (then kheap_* return NULL).
bool memory_init(const BootInfo& info, uint64_t kernel_start, uint64_t kernel_end,
                 uint64_t mapped_end = default_mapped_end);

} // namespace kernel
