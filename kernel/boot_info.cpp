// Multiboot1 and multiboot2 boot information, read field by field with bounds checks: a loader
// bug or a truncated tag must give a partial BootInfo (truncated = true), never a wild read
// past what the loader said it wrote.
#include "kernel/boot_info.hpp"

#include <string.h>

namespace kernel {
namespace {

uint32_t rd32(const uint8_t* p) { uint32_t v; memcpy(&v, p, 4); return v; }
uint64_t rd64(const uint8_t* p) { uint64_t v; memcpy(&v, p, 8); return v; }
const uint8_t* at(uint64_t phys) { return reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(phys)); }

// Copies at most `max` bytes of a string that may lack its NUL; returns false if it was cut.
bool copy_string(char* dst, size_t dst_size, const char* src, size_t max) {
    size_t n = 0;
    while (n < max && src[n] != '\0') n++;
    bool whole = n < max;                 // the NUL was inside the bound
    if (n >= dst_size) { n = dst_size - 1; whole = false; }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return whole;
}

void add_range(BootInfo& bi, uint64_t base, uint64_t length, uint32_t type) {
    if (length == 0) return;
    if (base + length < base) length = ~0ull - base;              // wraps: clip at the top
    if (bi.range_count == BootInfo::max_ranges) { bi.truncated = true; return; }
    bi.ranges[bi.range_count++] = MemoryRange{base, length, type};
}

void add_module(BootInfo& bi, uint64_t start, uint64_t end, const char* string, size_t string_max) {
    if (end < start) { bi.truncated = true; return; }
    if (bi.module_count == BootInfo::max_modules) { bi.truncated = true; return; }
    BootModule& m = bi.modules[bi.module_count];
    m.start = start;
    m.end = end;
    char buf[256];
    if (string == nullptr) buf[0] = '\0';
    else copy_string(buf, sizeof buf, string, string_max);
    module_name_from_string(buf, bi.module_count, m.name, sizeof m.name);
    bi.module_count++;
}

void add_span(BootInfo& bi, uint64_t base, uint64_t length) {
    if (length == 0 || bi.info_span_count == BootInfo::max_info_spans) return;
    bi.info_spans[bi.info_span_count++] = AddressSpan{base, base + length};
}

// The fallback when there is no memory map: mem_lower KiB at 0, mem_upper KiB at 1 MiB.
void add_basic_meminfo(BootInfo& bi, uint32_t lower_kib, uint32_t upper_kib) {
    add_range(bi, 0, uint64_t(lower_kib) * 1024, 1);
    add_range(bi, 0x100000, uint64_t(upper_kib) * 1024, 1);
}

constexpr uint32_t mb2_max_total = 16u << 20;   // anything bigger is not a real info block

void parse_mb2(const uint8_t* info, BootInfo& bi) {
    const uint32_t total = rd32(info);
    if (total < 8 || total > mb2_max_total) return;
    bi.valid = true;
    bi.format = BootInfo::Format::multiboot2;
    add_span(bi, reinterpret_cast<uintptr_t>(info), total);

    bool have_basic = false, saw_end = false;
    uint32_t mem_lower = 0, mem_upper = 0;
    uint32_t off = 8;
    while (off + 8 <= total) {
        const uint8_t* tag = info + off;
        const uint32_t type = rd32(tag), size = rd32(tag + 4);
        if (type == 0) { saw_end = true; break; }
        if (size < 8 || size > total - off) { bi.truncated = true; break; }
        const char* payload = reinterpret_cast<const char*>(tag + 8);
        switch (type) {
        case 1:   // boot command line
            if (!copy_string(bi.cmdline, sizeof bi.cmdline, payload, size - 8)) bi.truncated = true;
            break;
        case 2:   // boot loader name
            if (!copy_string(bi.loader, sizeof bi.loader, payload, size - 8)) bi.truncated = true;
            break;
        case 3:   // module: mod_start, mod_end, string
            if (size < 16) { bi.truncated = true; break; }
            add_module(bi, rd32(tag + 8), rd32(tag + 12), reinterpret_cast<const char*>(tag + 16), size - 16);
            break;
        case 4:   // basic memory information
            if (size < 16) { bi.truncated = true; break; }
            have_basic = true;
            mem_lower = rd32(tag + 8);
            mem_upper = rd32(tag + 12);
            break;
        case 6: { // memory map: entry_size, entry_version, entries (base, length, type, reserved)
            if (size < 16) { bi.truncated = true; break; }
            const uint32_t entry_size = rd32(tag + 8);
            if (entry_size < 20) { bi.truncated = true; break; }   // newer versions only grow it
            for (uint32_t e = 16; e + entry_size <= size; e += entry_size)
                add_range(bi, rd64(tag + e), rd64(tag + e + 8), rd32(tag + e + 16));
            break;
        }
        default:  // framebuffer, ELF sections, APM, EFI, ACPI...: not ours
            break;
        }
        off += (size + 7) & ~7u;             // tags are 8-byte aligned
    }
    if (!saw_end) bi.truncated = true;
    if (bi.range_count == 0 && have_basic) add_basic_meminfo(bi, mem_lower, mem_upper);
}

// Multiboot 1 info structure: field offsets (multiboot specification 0.6.96, section 3.3).
constexpr uint32_t mb1_flag_mem = 1u << 0, mb1_flag_cmdline = 1u << 2, mb1_flag_mods = 1u << 3,
                   mb1_flag_mmap = 1u << 6, mb1_flag_loader = 1u << 9;
constexpr size_t mb1_info_size = 120;        // through the framebuffer fields, rounded up
constexpr size_t mb1_string_max = 4096;      // loader strings are not bounded by the spec

void parse_mb1(const uint8_t* info, BootInfo& bi) {
    bi.valid = true;
    bi.format = BootInfo::Format::multiboot1;
    add_span(bi, reinterpret_cast<uintptr_t>(info), mb1_info_size);
    const uint32_t flags = rd32(info);

    if ((flags & mb1_flag_cmdline) && rd32(info + 16) != 0)
        if (!copy_string(bi.cmdline, sizeof bi.cmdline, reinterpret_cast<const char*>(at(rd32(info + 16))), mb1_string_max))
            bi.truncated = true;
    if ((flags & mb1_flag_loader) && rd32(info + 64) != 0)
        if (!copy_string(bi.loader, sizeof bi.loader, reinterpret_cast<const char*>(at(rd32(info + 64))), mb1_string_max))
            bi.truncated = true;

    if ((flags & mb1_flag_mods) && rd32(info + 20) != 0 && rd32(info + 24) != 0) {
        const uint32_t count = rd32(info + 20), addr = rd32(info + 24);
        add_span(bi, addr, uint64_t(count) * 16);
        for (uint32_t i = 0; i < count; i++) {
            const uint8_t* mod = at(addr + uint64_t(i) * 16);
            const uint32_t str = rd32(mod + 8);
            add_module(bi, rd32(mod), rd32(mod + 4),
                       str ? reinterpret_cast<const char*>(at(str)) : nullptr, mb1_string_max);
        }
    }

    if ((flags & mb1_flag_mmap) && rd32(info + 48) != 0) {
        const uint32_t length = rd32(info + 44), addr = rd32(info + 48);
        add_span(bi, addr, length);
        const uint8_t* map = at(addr);
        // Each entry: u32 size (not counting itself), u64 base, u64 length, u32 type.
        uint32_t off = 0;
        while (off + 4 <= length) {
            const uint32_t size = rd32(map + off);
            if (size < 20 || size > length - off - 4) { bi.truncated = true; break; }
            add_range(bi, rd64(map + off + 4), rd64(map + off + 12), rd32(map + off + 20));
            off += size + 4;
        }
    }
    if (bi.range_count == 0 && (flags & mb1_flag_mem))
        add_basic_meminfo(bi, rd32(info + 4), rd32(info + 8));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

} // namespace

void module_name_from_string(const char* s, size_t index, char* out, size_t out_size) {
    if (out_size == 0) return;
    const char* w1 = s;
    while (*w1 && is_space(*w1)) w1++;
    const char* w1_end = w1;
    while (*w1_end && !is_space(*w1_end)) w1_end++;
    const char* w2 = w1_end;
    while (*w2 && is_space(*w2)) w2++;
    const char* w2_end = w2;
    while (*w2_end && !is_space(*w2_end)) w2_end++;

    const char* b;
    const char* e;
    if (w2 != w2_end) { b = w2; e = w2_end; }          // an explicit name: verbatim
    else {                                              // a path: its last component
        b = w1; e = w1_end;
        for (const char* p = w1; p < w1_end; p++)
            if (*p == '/') b = p + 1;
    }
    if (b == e) {                                       // nothing usable: module<N>
        char digits[24];
        size_t n = 0;
        do { digits[n++] = char('0' + index % 10); index /= 10; } while (index && n < sizeof digits);
        const char prefix[] = "module";
        size_t k = 0;
        for (size_t i = 0; prefix[i] && k + 1 < out_size; i++) out[k++] = prefix[i];
        while (n && k + 1 < out_size) out[k++] = digits[--n];
        out[k] = '\0';
        return;
    }
    size_t n = size_t(e - b);
    if (n >= out_size) n = out_size - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

void parse_boot_info(uint32_t magic, const void* info, BootInfo& out) {
    memset(static_cast<void*>(&out), 0, sizeof out);   // all defaults are zero; no 7 KiB temporary
    if (info == nullptr) return;
    const uint8_t* p = static_cast<const uint8_t*>(info);
    if (magic == multiboot2_magic) parse_mb2(p, out);
    else if (magic == multiboot1_magic) parse_mb1(p, out);
}

BootInfo parse_boot_info(uint32_t magic, const void* info) {
    BootInfo bi;
    parse_boot_info(magic, info, bi);
    return bi;
}

uint64_t available_ram(const BootInfo& info) {
    uint64_t sum = 0;
    for (size_t i = 0; i < info.range_count; i++)
        if (info.ranges[i].type == 1) sum += info.ranges[i].length;
    return sum;
}

} // namespace kernel
