// What the boot loader told us, in one form whether it was multiboot2 (GRUB) or multiboot1
// (qemu -kernel). Parsing is pure logic: host tests feed it byte images of both formats.
//
// BootInfo is self-contained: the command line, the loader name and the module names are copied
// into it, so it stays valid (and copyable) after the loader's structures are overwritten. Only
// the modules' contents and the raw info structures (info_spans) stay where the loader put them;
// memory_init() reserves both. The struct is ~7 KiB: keep it static, not on a small boot stack.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kernel {

struct AddressSpan { uint64_t base, end; };                       // [base, end)
struct MemoryRange { uint64_t base, length; uint32_t type; };     // type 1 = available RAM

// Module naming (multiboot leaves it to the string the loader passes with each module):
//   two or more words  -> the second word, verbatim ("file1 name" from qemu -initrd "file1 name")
//   one word           -> its last path component ("lab1.lua" or "/scripts/lab1.lua" -> "lab1.lua")
//   empty string       -> "module<N>"
// GRUB's `module2 /scripts/lab1.lua lab1.lua` passes the string "lab1.lua".
struct BootModule {
    static constexpr size_t max_name = 64;
    uint64_t start, end;
    char name[max_name];                                          // NUL-terminated, truncated
};

struct BootInfo {
    static constexpr size_t max_ranges = 64, max_modules = 64, max_info_spans = 4;
    static constexpr size_t max_cmdline = 512, max_loader = 64;
    enum class Format : uint8_t { none, multiboot1, multiboot2 };

    char cmdline[max_cmdline] = {};
    char loader[max_loader] = {};            // boot loader name if given
    MemoryRange ranges[max_ranges] = {};
    size_t range_count = 0;
    BootModule modules[max_modules] = {};
    size_t module_count = 0;
    AddressSpan info_spans[max_info_spans] = {};   // the loader's own structures (mbi, mmap, ...)
    size_t info_span_count = 0;
    Format format = Format::none;
    bool valid = false;
    bool truncated = false;                  // some tag/range/module/string did not fit or was cut
};

constexpr uint32_t multiboot2_magic = 0x36d76289;
constexpr uint32_t multiboot1_magic = 0x2badb002;

// magic: the value in EAX at entry. info: the address from EBX (identity-mapped).
// Returns valid == false for an unknown magic or a null/implausible info pointer.
BootInfo parse_boot_info(uint32_t magic, const void* info);
// Same, filling `out` in place (avoids a 7 KiB temporary on the caller's stack).
void parse_boot_info(uint32_t magic, const void* info, BootInfo& out);

// The naming rule above, for one module string; exposed for tests and the module registry.
void module_name_from_string(const char* s, size_t index, char* out, size_t out_size);

// Sum of the lengths of the type-1 ranges.
uint64_t available_ram(const BootInfo& info);

} // namespace kernel
