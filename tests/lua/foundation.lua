-- The foundation's bindings and libraries, checked from inside the kernel (any emulator).
-- Run: dofile("foundation.lua") at the prompt, or kernel argument run=foundation.lua.
local t = require "testlib"

t.section("lua")
t.equal("integers are 64-bit", math.maxinteger, 0x7fffffffffffffff)
t.equal("string.format %a", string.format("%a", 1.5), "0x1.8p+0")
t.equal("string.format %g", string.format("%g", 1e100), "1e+100")
t.equal("string.format %5.2f", string.format("%5.2f", math.pi), " 3.14")
t.equal("tonumber hex float", tonumber("0x1p4"), 16.0)
t.equal("utf8", utf8.char(0x263A), "\u{263A}")
t.equal("coroutine", coroutine.wrap(function() coroutine.yield(7) end)(), 7)
t.check("pcall(error({})) returns the table", select(2, pcall(error, {})) ~= nil)
t.errors("deep recursion is a stack overflow", function()
  local function r() return 1 + r() end
  return r()
end, "stack overflow")
-- Lua 5.4.4 caps strings at INT_MAX bytes ("resulting string too large", as Debian's lua5.4 says);
-- 2 GiB - 2 passes that check and then finds no memory.
t.errors("1 TiB string is refused", function() return string.rep("x", 1 << 40) end, "too large")
t.errors("2 GiB string is not enough memory", function() return string.rep("x", (1 << 31) - 2) end,
         "not enough memory")
t.equal("still works after memory exhaustion", #string.rep("y", 1000), 1000)

t.section("io/os")
t.check("io.write returns the file", io.write("") == io.stdout)
t.check("os.clock advances", (function() local a = os.clock(); for _ = 1, 1e5 do end; return os.clock() > a end)())
t.check("os.time is after 2020", os.time() > 1577836800)
t.check("os.date formats", os.date("!%Y-%m-%d", 0) == "1970-01-01")
t.check("os.getenv is nil", os.getenv("HOME") == nil)
t.check("io.open of a missing file fails", io.open("no-such-file.lua") == nil)
local f = io.open("testlib.lua")
t.check("io.open finds a shipped script", f ~= nil and f:read("l"):find("tiny test reporter", 1, true))
if f then f:close() end
t.check("scripts() lists testlib.lua", (function()
  for _, n in ipairs(scripts(true)) do if n == "testlib.lua" then return true end end
end)())

t.section("cpu")
local a, b, c, d = cpu.cpuid(0)
t.check("cpuid(0) max leaf", a >= 1)
t.equal("vendor is 12 chars", #cpu.vendor(), 12)
t.check("features().lm", cpu.features().lm)
t.check("cr0 has PE and PG", cpu.cr0() & 0x80000001 == 0x80000001)
t.check("cr4 has PAE", cpu.cr4() & 0x20 ~= 0)
t.check("rdtsc advances", cpu.rdtsc() ~= cpu.rdtsc())
t.check("rflags bit 1 is set", cpu.rflags() & 2 == 2)
local ok, msg, vec = cpu.write_cr4(cpu.cr4() | (1 << 30))
if sys.emulator() == "qemu" and cpu.features().hypervisor then
  t.contains("write_cr4 reserved bit is refused under QEMU", msg, "reserved CR4 bit")
else
  t.check("write_cr4 reserved bit is #GP", ok == nil and vec == 13, msg)
  t.contains("write_cr4 #GP message", msg, "write_cr4: #GP(0)")
end
ok, msg = cpu.write_cr4(cpu.cr4() & ~0x200)
t.contains("write_cr4 clearing OSFXSR is refused", msg, "refused")
ok, msg = cpu.write_cr3(0x1000)
t.contains("write_cr3 without the kernel mapped is refused", msg, "refused")
t.equal("write_cr3 of the current value", cpu.write_cr3(cpu.cr3()), true)
ok, msg = cpu.outb(0x3f9, 0)
t.contains("outb to COM1's IER is refused", msg, "refused")
t.equal("inb(0x92) answers", math.type(cpu.inb(0x92)), "integer")
t.errors("port out of range", function() cpu.inb(0x10000) end, "port out of range")
if sys.emulator() == "bochs" then
  ok, msg, vec = cpu.rdmsr(0xdeadbeef)
  t.equal("rdmsr(0xdeadbeef) message", msg, "rdmsr(0xdeadbeef): #GP(0)")
  t.equal("rdmsr(0xdeadbeef) vector", vec, 13)
end
t.errors("rdmsr(-1) is a bad argument", function() cpu.rdmsr(-1) end, "bad argument #1 to 'rdmsr'")

t.section("mem")
local p = mem.alloc(100)
t.check("alloc is page-aligned", p and p % 4096 == 0)
t.equal("alloc is zeroed", mem.read(p, 100), string.rep("\0", 100))
t.equal("write64/read64", (mem.write64(p, -1) and mem.read64(p)), -1)
t.equal("write32/read32", (mem.write32(p + 8, 0xdeadbeef) and mem.read32(p + 8)), 0xdeadbeef)
t.equal("write16/read16", (mem.write16(p + 12, 0xbeef) and mem.read16(p + 12)), 0xbeef)
t.equal("write8/read8", (mem.write8(p + 14, 0x7f) and mem.read8(p + 14)), 0x7f)
t.equal("write/read string", (mem.write(p + 16, "vmxlab") and mem.read(p + 16, 6)), "vmxlab")
t.equal("fill", (mem.fill(p + 32, 4, 0xab) and mem.read32(p + 32)), 0xabababab)
t.errors("write8 value too big", function() mem.write8(p, 256) end, "does not fit")
ok, msg, vec = mem.read64(1 << 47)
t.equal("non-canonical read is #GP", vec, 13)
ok, msg, vec = mem.read8(0x7f0000000000)
t.equal("unmapped read is #PF", vec, 14)
t.contains("#PF message names the address", msg, "at 0x7f0000000000")
ok, msg = mem.write64(0x200000, 0)
t.contains("write into the kernel image is refused", msg, "refused")
t.check("write below 1 MiB is allowed", mem.write8(0x7000, 1))
t.equal("free", mem.free(p), true)
t.errors("double free", function() mem.free(p) end, "not an address returned by mem.alloc")
local s = mem.stats()
t.check("stats", s.free > 0 and s.total >= s.free and s.used > 0)

t.section("sys")
t.check("emulator()", ({ qemu = true, bochs = true, unknown = true })[sys.emulator()])
t.equal("cmdline is a string", type(sys.cmdline()), "string")
t.check("ticks", math.type(sys.ticks()) == "integer")
t.equal("hex(-1)", hex(-1), "0xffffffffffffffff")
t.equal("hex(0x2b, 8)", hex(0x2b, 8), "0x0000002b")

return t.summary()
