// The `mem` module: physical memory (identity-mapped, so physical == virtual). Reads go
// anywhere mapped; a fault comes back as a value. Writes are refused where they would corrupt
// the running kernel: they must land in a mem.alloc block, below 1 MiB, or outside the RAM the
// kernel manages (pages the page allocator has handed out or never hands out).
#include "lua_bindings/util.hpp"
#include "kernel/heap.hpp"
#include "kernel/page_alloc.hpp"
#include <stdio.h>
#include <string.h>

namespace bindings {
namespace {

constexpr const char* allocs_key = "vmxlab.mem.allocs";   // registry: { [addr] = size }

void push_allocs(lua_State* L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, allocs_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, allocs_key);
    }
}

// Does [addr, addr+len) touch RAM the kernel uses (heap, image, modules, page tables)? Memory
// below 1 MiB and outside the allocator's span is the user's to scribble on.
bool kernel_owned(uint64_t addr, uint64_t len)
{
    const kernel::PageAllocator& pa = kernel::pages();
    uint64_t lo = addr < (1u << 20) ? (1u << 20) : addr, hi = addr + len;
    if (lo < pa.base())
        lo = pa.base();
    if (hi > pa.end())
        hi = pa.end();
    for (uint64_t p = lo & ~uint64_t(4095); p < hi; p += 4096)
        if (!pa.is_free(p))
            return true;
    return false;
}

// Is [addr, addr+len) inside one mem.alloc block?
bool in_alloc_block(lua_State* L, uint64_t addr, uint64_t len)
{
    push_allocs(L);
    bool inside = false;
    lua_pushnil(L);
    while (!inside && lua_next(L, -2)) {
        uint64_t base = uint64_t(lua_tointeger(L, -2)), size = uint64_t(lua_tointeger(L, -1));
        inside = addr >= base && addr - base <= size && len <= size - (addr - base);
        lua_pop(L, 1);
    }
    if (inside)
        lua_pop(L, 1);          // lua_next left the key on the stack
    lua_pop(L, 1);
    return inside;
}

const char* write_refusal(lua_State* L, uint64_t addr, uint64_t len)
{
    if (len && addr + len - 1 < addr)
        return "range wraps around the address space";
    if (len == 0 || in_alloc_block(L, addr, len))
        return nullptr;
    if (kernel_owned(addr, len))
        return "memory in use by the kernel (write inside a mem.alloc block, below 1 MiB, or outside RAM)";
    return nullptr;
}

void what(char* buf, size_t n, const char* op, uint64_t addr)
{
    snprintf(buf, n, "%s(0x%llx)", op, (unsigned long long)addr);
}

template <typename T>
int read_n(lua_State* L, const char* op)
{
    uint64_t addr = check_u64(L, 1);
    T v = 0;
    arch::Fault f;
    if (!arch::try_run([&] { v = *reinterpret_cast<volatile T*>(addr); }, &f)) {
        char w[48];
        what(w, sizeof w, op, addr);
        return push_fault(L, w, f);
    }
    push_u64(L, uint64_t(v));
    return 1;
}

template <typename T>
int write_n(lua_State* L, const char* op)
{
    uint64_t addr = check_u64(L, 1);
    uint64_t v = check_u64(L, 2);
    char w[48];
    what(w, sizeof w, op, addr);
    if (sizeof(T) < 8)
        luaL_argcheck(L, v < (uint64_t(1) << (8 * sizeof(T))), 2, "value does not fit the access size");
    if (const char* why = write_refusal(L, addr, sizeof(T)))
        return push_refusal(L, w, why);
    arch::Fault f;
    if (!arch::try_run([&] { *reinterpret_cast<volatile T*>(addr) = T(v); }, &f))
        return push_fault(L, w, f);
    lua_pushboolean(L, 1);
    return 1;
}

int l_read8(lua_State* L) { return read_n<uint8_t>(L, "read8"); }
int l_read16(lua_State* L) { return read_n<uint16_t>(L, "read16"); }
int l_read32(lua_State* L) { return read_n<uint32_t>(L, "read32"); }
int l_read64(lua_State* L) { return read_n<uint64_t>(L, "read64"); }
int l_write8(lua_State* L) { return write_n<uint8_t>(L, "write8"); }
int l_write16(lua_State* L) { return write_n<uint16_t>(L, "write16"); }
int l_write32(lua_State* L) { return write_n<uint32_t>(L, "write32"); }
int l_write64(lua_State* L) { return write_n<uint64_t>(L, "write64"); }

int l_read(lua_State* L)
{
    uint64_t addr = check_u64(L, 1);
    lua_Integer len = luaL_checkinteger(L, 2);
    luaL_argcheck(L, len >= 0, 2, "length must be >= 0");
    luaL_Buffer b;
    char* dst = luaL_buffinitsize(L, &b, size_t(len));
    arch::Fault f;
    if (!arch::try_run([&] { memcpy(dst, reinterpret_cast<const void*>(addr), size_t(len)); }, &f)) {
        char w[48];
        what(w, sizeof w, "read", addr);
        return push_fault(L, w, f);
    }
    luaL_pushresultsize(&b, size_t(len));
    return 1;
}

int l_write(lua_State* L)
{
    uint64_t addr = check_u64(L, 1);
    size_t len;
    const char* src = luaL_checklstring(L, 2, &len);
    char w[48];
    what(w, sizeof w, "write", addr);
    if (const char* why = write_refusal(L, addr, len))
        return push_refusal(L, w, why);
    arch::Fault f;
    if (!arch::try_run([&] { memcpy(reinterpret_cast<void*>(addr), src, len); }, &f))
        return push_fault(L, w, f);
    lua_pushboolean(L, 1);
    return 1;
}

int l_fill(lua_State* L)
{
    uint64_t addr = check_u64(L, 1);
    lua_Integer len = luaL_checkinteger(L, 2);
    lua_Integer byte = luaL_optinteger(L, 3, 0);
    luaL_argcheck(L, len >= 0, 2, "length must be >= 0");
    luaL_argcheck(L, byte >= 0 && byte <= 255, 3, "byte must be 0..255");
    char w[48];
    what(w, sizeof w, "fill", addr);
    if (const char* why = write_refusal(L, addr, uint64_t(len)))
        return push_refusal(L, w, why);
    arch::Fault f;
    if (!arch::try_run([&] { memset(reinterpret_cast<void*>(addr), int(byte), size_t(len)); }, &f))
        return push_fault(L, w, f);
    lua_pushboolean(L, 1);
    return 1;
}

int l_alloc(lua_State* L)
{
    lua_Integer size = luaL_checkinteger(L, 1);
    lua_Integer align = luaL_optinteger(L, 2, 4096);
    luaL_argcheck(L, size > 0, 1, "size must be > 0");
    luaL_argcheck(L, align > 0 && (align & (align - 1)) == 0, 2, "alignment must be a power of two");
    if (align < 4096)
        align = 4096;       // page-aligned by default: what VMX regions need
    void* p = kheap_alloc_aligned(size_t(size), size_t(align));
    if (!p) {
        lua_pushnil(L);
        lua_pushfstring(L, "alloc(%I): out of memory", size);
        return 2;
    }
    memset(p, 0, size_t(size));
    push_allocs(L);
    lua_pushinteger(L, lua_Integer(uintptr_t(p)));
    lua_pushinteger(L, size);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_pushinteger(L, lua_Integer(uintptr_t(p)));
    return 1;
}

int l_free(lua_State* L)
{
    lua_Integer addr = luaL_checkinteger(L, 1);
    push_allocs(L);
    lua_pushinteger(L, addr);
    if (lua_rawget(L, -2) == LUA_TNIL)
        return luaL_argerror(L, 1, "not an address returned by mem.alloc (or already freed)");
    lua_pop(L, 1);
    lua_pushinteger(L, addr);
    lua_pushnil(L);
    lua_rawset(L, -3);
    kheap_free(reinterpret_cast<void*>(uintptr_t(addr)));
    lua_pushboolean(L, 1);
    return 1;
}

int l_stats(lua_State* L)
{
    kheap_stats s = kheap_get_stats();
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, lua_Integer(s.free_bytes));
    lua_setfield(L, -2, "free");
    lua_pushinteger(L, lua_Integer(s.used_bytes));
    lua_setfield(L, -2, "used");
    lua_pushinteger(L, lua_Integer(s.total_bytes));
    lua_setfield(L, -2, "total");
    lua_pushinteger(L, lua_gc(L, LUA_GCCOUNT, 0) * 1024 + lua_gc(L, LUA_GCCOUNTB, 0));
    lua_setfield(L, -2, "lua");
    return 1;
}

const luaL_Reg mem_funcs[] = {
    { "alloc", l_alloc }, { "free", l_free }, { "read8", l_read8 }, { "read16", l_read16 },
    { "read32", l_read32 }, { "read64", l_read64 }, { "write8", l_write8 }, { "write16", l_write16 },
    { "write32", l_write32 }, { "write64", l_write64 }, { "read", l_read }, { "write", l_write },
    { "fill", l_fill }, { "stats", l_stats }, { nullptr, nullptr },
};

const Doc mem_docs[] = {
    { "alloc", "mem.alloc(size [, align]) -> addr | nil, msg", "Allocates zeroed memory and returns its physical address. It is page-aligned (4 KiB) unless a larger power-of-two alignment is given. Example: local vmxon_region = mem.alloc(4096)." },
    { "free", "mem.free(addr) -> true", "Frees a block from mem.alloc." },
    { "read8", "mem.read8(addr) -> value | nil, msg, vector", "Reads a byte (also read16, read32, read64). An unmapped address gives nil, \"read8(0x...): #PF(...)\", 14." },
    { "read16", "mem.read16(addr) -> value | nil, msg, vector", "Reads 16 bits." },
    { "read32", "mem.read32(addr) -> value | nil, msg, vector", "Reads 32 bits." },
    { "read64", "mem.read64(addr) -> value | nil, msg, vector", "Reads 64 bits." },
    { "write8", "mem.write8(addr, v) -> true | nil, msg[, vector]", "Writes a byte (also write16, write32, write64). Writes into the kernel's own memory are refused." },
    { "write16", "mem.write16(addr, v) -> true | nil, msg[, vector]", "Writes 16 bits." },
    { "write32", "mem.write32(addr, v) -> true | nil, msg[, vector]", "Writes 32 bits. Example: mem.write32(region, cpu.rdmsr(0x480) & 0x7fffffff) puts the VMCS revision id in a region." },
    { "write64", "mem.write64(addr, v) -> true | nil, msg[, vector]", "Writes 64 bits." },
    { "read", "mem.read(addr, len) -> string | nil, msg, vector", "Reads len bytes as a Lua string." },
    { "write", "mem.write(addr, s) -> true | nil, msg[, vector]", "Writes the bytes of string s." },
    { "fill", "mem.fill(addr, len [, byte]) -> true | nil, msg[, vector]", "Fills len bytes with byte (default 0)." },
    { "stats", "mem.stats() -> {free=, used=, total=, lua=}", "Memory figures in bytes: the kernel heap and what Lua holds. free, used and total are the heap's, lua what Lua itself holds." },
    { nullptr, nullptr, nullptr },
};

} // namespace

int luaopen_mem(lua_State* L)
{
    luaL_newlib(L, mem_funcs);
    register_module(L, "mem", "physical memory: alloc/free, read/write 8..64 bits and strings", mem_docs);
    lua_getglobal(L, "mem");
    return 1;
}

} // namespace bindings
