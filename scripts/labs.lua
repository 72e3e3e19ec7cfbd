-- labs: what the lecture's labs (scripts/labN_*.lua) share, and the prompt's labs() and lab(n).
--
--   labs()              lists the labs: number, name, one line each
--   lab(n | "name")     runs one; true when every fact it asserts held, else false, what failed
--   labs.try(n [, i])   runs lab n's "try this" exercise i (all of them without i) and checks
--                       each outcome; true, or false and what differed
--   labs.use(n)         puts back the globals lab n left (g, machine, vars, ...), which a later
--                       lab may have replaced; labs.try(n) does it first
--   labs.last           the last run: .facts {name=, ok=, detail=}, .v (the values it measured)
--
-- When a lab ends, its runner prints one line for machines (the classroom server), alone on a line:
--   vmxlab-lab: n=<N> name=<script file> result=pass|fail
--
-- A lab is a module returning { n=, name=, title=, seed=, goal=, run = function(L) ... end,
-- leaves = { global names it sets }, needs = "what its tries need, in words",
-- setup = function() -> what it did (puts that state back before labs.try; nil when nothing),
-- tries = { {say=, code=, expect=, check = function(...) -> ok [, detail] end}, ... } }.
-- run(L) prints its steps with L:step / L:say / L:show and asserts facts with L:fact / L:eq;
-- what the tests need is stored in L.v. Run as a script (GRUB's lab=NAME, dofile) the module
-- runs itself through labs.main(def). The guest helpers (V86 image, machine[], results[]) are
-- in labs_vm.lua.
local labs = {}

labs.list = {
  { n = 1, name = "readiness", module = "lab1_readiness",
    line = "CPU readiness: CPUID.1:ECX[5], IA32_FEATURE_CONTROL, CR0/CR4, the A20 line (Our planned VMX demo)" },
  { n = 2, name = "vmxon", module = "lab2_vmxon",
    line = "VMXON: the revision id from 0x480, a 4 KiB region, CF/ZF; what fails; VMXOFF (More on VMXON)" },
  { n = 3, name = "prevmx", module = "lab3_prevmx",
    line = "Pre-VMX operation: CR0/CR4 fixed bits bit by bit, #GP from VMXON, the lock bit (Pre-VMX Operation)" },
  { n = 4, name = "fields", module = "lab4_fields",
    line = "Field encodings, vmwrite and vmread: width/type/index/access, read-only fields (Setup for VM launch)" },
  { n = 5, name = "entry", module = "lab5_entry",
    line = "Entry controls 0x484/0x490, IA-32e mode guest, MSR loading, #GP injection (VMX Entry Control fields)" },
  { n = 6, name = "demo", module = "lab6_demo",
    line = "The VMX demo: V86 guest from machine[], vmlaunch, results[], vmresume, vmxoff (Our planned VMX demo)" },
  { n = 7, name = "cr0_shadow", module = "lab7_cr0_shadow",
    line = "CR0 guest/host mask and read shadow: actual/mask/shadow/apparent (the in-class exercise)" },
}

local NO_VMX = [[this CPU has no VMX (CPUID.1:ECX[5] = 0): the labs stop here.
They need a processor with VMX, emulated or passed through:
  Bochs       ./vmxlab run --bochs   (VMX emulated; every lab also has its own GRUB menu entry)
  QEMU + KVM  ./vmxlab run --kvm     (a host whose CPU and kernel offer nested VMX)
QEMU without KVM (./vmxlab run --qemu: its TCG emulator) does not emulate VMX.]]
labs.NO_VMX = NO_VMX

function labs.has_vmx() return select(3, cpu.cpuid(1)) & 0x20 ~= 0 end

-- ---- formatting -------------------------------------------------------------------------------

function labs.hex(v, digits) return hex(v, digits) end

-- "bit 5 (VMXE)" style lists of the 1 bits of v that names[] names.
function labs.bit_list(v, names)
  local out = {}
  for b = 0, 63 do
    if (v >> b) & 1 == 1 then out[#out + 1] = names[b] or ("bit " .. b) end
  end
  return #out > 0 and table.concat(out, " ") or "(none)"
end

-- { [bit] = NAME } for a control kind of vmx.ctl ("pin", "cpu", "exit", "entry", ...).
function labs.ctl_names(kind)
  local names = {}
  for name, mask in pairs(vmx.ctl[kind] or {}) do
    for b = 0, 63 do if mask == 1 << b then names[b] = name end end
  end
  return names
end

labs.CR0_BITS = { [0] = "PE", "MP", "EM", "TS", "ET", "NE", [16] = "WP", [18] = "AM", [29] = "NW",
                  [30] = "CD", [31] = "PG" }
labs.CR4_BITS = { [0] = "VME", "PVI", "TSD", "DE", "PSE", "PAE", "MCE", "PGE", "PCE", "OSFXSR",
                  "OSXMMEXCPT", "UMIP", "LA57", "VMXE", "SMXE", [16] = "FSGSBASE", "PCIDE",
                  "OSXSAVE", "KL", "SMEP", "SMAP", "PKE", "CET", "PKS", "UINTR" }

-- ---- the state a lab's tries start from (def.setup) ----------------------------------------

-- VMX off and CR4.VMXE = 1, as labs 2 and 3 end. Returns what it changed, or nil.
function labs.vmx_off_vmxe_on()
  local did = {}
  if vmx.state() ~= "off" then
    assert(vmx.disable())
    did[#did + 1] = "vmx.disable() (VMX was on)"
  end
  if cpu.cr4() & 0x2000 == 0 then
    assert(cpu.write_cr4(cpu.cr4() | 0x2000))
    did[#did + 1] = "CR4.VMXE := 1"
  end
  return #did > 0 and table.concat(did, ", ") or nil
end

-- ---- the context a lab runs in ----------------------------------------------------------------

local Ctx = {}
Ctx.__index = Ctx

local function new_ctx(def)
  return setmetatable({ def = def, nstep = 0, facts = {}, v = {} }, Ctx)
end

function Ctx:step(text)
  self.nstep = self.nstep + 1
  print(("\n[lab %d] step %d: %s"):format(self.def.n, self.nstep, text))
end

-- Explanations, indented; several arguments are several lines.
function Ctx:say(...)
  for i = 1, select("#", ...) do
    for line in (tostring(select(i, ...)) .. "\n"):gmatch("(.-)\n") do print("    " .. line) end
  end
end

function Ctx:show(label, value, note)
  print(("    %-30s %s%s"):format(label, tostring(value), note and ("   " .. note) or ""))
end

function Ctx:fact(name, ok, detail)
  ok = not not ok
  self.facts[#self.facts + 1] = { name = name, ok = ok, detail = detail }
  if ok then
    print("    fact: " .. name)
  else
    print("    FACT FAILED: " .. name .. (detail and (" (" .. tostring(detail) .. ")") or ""))
  end
  return ok
end

local function show_value(v)
  if math.type(v) == "integer" then return (v >= 0 and v < 256) and tostring(v) or hex(v) end
  if type(v) == "table" and getmetatable(v) == nil then
    local keys, parts = {}, {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for _, k in ipairs(keys) do parts[#parts + 1] = k .. " = " .. show_value(v[k]) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  return tostring(v)
end

function Ctx:eq(name, got, want)
  return self:fact(name, got == want, ("got %s, want %s"):format(show_value(got), show_value(want)))
end

-- The hardware said no when it should not have: stop the lab with its message.
function Ctx:must(ok, msg, ...)
  if ok == nil then error(tostring(msg), 2) end
  return ok, msg, ...
end

function Ctx:no_vmx()
  print()
  self:say(NO_VMX)
  self:fact("CPUID.1:ECX[5] = 1 (VMX)", false, "this CPU has no VMX: run the labs under Bochs or KVM")
end

-- ---- running labs ----------------------------------------------------------------------------

local function find(which)
  for _, info in ipairs(labs.list) do
    if info.n == which or info.name == which or info.module == which then return info end
  end
  local names = {}
  for _, info in ipairs(labs.list) do names[#names + 1] = info.n .. " " .. info.name end
  error(("no lab %s (labs: %s)"):format(tostring(which), table.concat(names, ", ")), 3)
end

local function failures(facts)
  local out = {}
  for _, f in ipairs(facts) do
    if not f.ok then out[#out + 1] = f.name .. (f.detail and (" (" .. tostring(f.detail) .. ")") or "") end
  end
  return out
end

local function print_tries(def)
  if not def.tries or #def.tries == 0 then return end
  print(("\n[lab %d] try this (labs.try(%d) runs them and checks the outcomes):"):format(def.n, def.n))
  if def.needs then
    print(("  (they need %s; after another lab, labs.try(%d) or labs.use(%d) sets that up)"):format(def.needs, def.n, def.n))
  end
  for i, t in ipairs(def.tries) do
    print(("  %d. %s"):format(i, t.say))
    print("       > " .. t.code)
    print("       expect: " .. t.expect)
  end
end

-- The globals each lab left, by lab number: { [name] = value }.
labs.saved = {}

local function save_globals(def)
  if not def.leaves then return end
  local saved = {}
  for _, name in ipairs(def.leaves) do saved[name] = rawget(_G, name) end
  labs.saved[def.n] = saved
end

-- The machine-readable verdict (docs/labs.md, "For machines").
local function print_result(def, ok)
  local info = find(def.n)
  print(("vmxlab-lab: n=%d name=%s.lua result=%s"):format(def.n, info.module, ok and "pass" or "fail"))
end

-- Runs a lab definition: header, its steps, the try-this list, the verdict.
function labs.main(def)
  local L = new_ctx(def)
  labs.last = L
  print(("\n== Lab %d: %s =="):format(def.n, def.title))
  print("   follows: " .. def.seed)
  print("   goal: " .. def.goal)
  if def.n ~= 1 and not labs.has_vmx() then
    L:no_vmx()
  else
    local ok, err = xpcall(def.run, debug.traceback, L)
    -- Ctrl-C is the student's choice, not a failed fact: no verdict line (the classroom would
    -- count it as a failed lab), and the objects made so far stay in globals.
    if not ok and tostring(err):match("^[^\n]*interrupted!") then
      save_globals(def)
      print(("\n[lab %d] interrupted (Ctrl-C) after step %d; lab(%d) runs it again."):format(def.n, L.nstep, def.n))
      return false, "interrupted"
    end
    if not ok then L:fact("the lab ran to its end", false, err) end
    save_globals(def)
    if not L.v.stopped then print_tries(def) end   -- lab 1 without VMX: nothing to try
  end
  local failed = failures(L.facts)
  if #failed == 0 then
    print(("\n[lab %d] done: all %d facts held. Its objects stay in globals; see the try-this list."):format(def.n, #L.facts))
    print_result(def, true)
    return true
  end
  print(("\n[lab %d] done: %d of %d facts FAILED:"):format(def.n, #failed, #L.facts))
  for _, f in ipairs(failed) do print("    " .. f) end
  print_result(def, false)
  return false, table.concat(failed, "; ")
end

function labs.def(which)
  local info = find(which)
  return require(info.module)
end

-- lab(n | "name") -> true | false, what failed
function labs.run(which) return labs.main(labs.def(which)) end

local function pack(...) return { n = select("#", ...), ... } end

local function show_results(r)
  local parts = {}
  for i = 1, r.n do parts[#parts + 1] = show_value(r[i]) end
  return table.concat(parts, "  ")
end

-- labs.use(n) -> true | false, why: lab n's globals back, and the state its tries need.
function labs.use(which)
  local def = labs.def(which)
  if def.leaves then
    local saved = labs.saved[def.n]
    if not saved then
      local msg = ("lab %d has not run in this session: lab(%d) first (its try-this list uses the %s it leaves)")
                  :format(def.n, def.n, table.concat(def.leaves, ", "))
      print(msg)
      return false, msg
    end
    local back = {}
    for _, name in ipairs(def.leaves) do
      if rawget(_G, name) ~= saved[name] then
        rawset(_G, name, saved[name])
        back[#back + 1] = name
      end
    end
    if #back > 0 then
      print(("[lab %d] its globals are back: %s (a later lab had replaced them)"):format(def.n, table.concat(back, ", ")))
    end
  end
  local did = def.setup and def.setup()
  if did then print(("[lab %d] set up for its tries: %s"):format(def.n, did)) end
  return true
end

-- labs.try(n [, i]) -> true | false, what differed
function labs.try(which, i)
  local def = labs.def(which)
  if not labs.has_vmx() then
    print(NO_VMX)
    return false, "this CPU has no VMX"
  end
  local ready, why = labs.use(def.n)
  if not ready then return false, why end
  local bad = {}
  for k, t in ipairs(def.tries or {}) do
    if i == nil or i == k then
      print(("\n[lab %d] try %d: %s\n    > %s"):format(def.n, k, t.say, t.code))
      local f, err = load("return " .. t.code, "=try", "t")
      if not f then f, err = load(t.code, "=try", "t") end
      local trace
      local r = f and pack(xpcall(f, function(e) trace = debug.traceback(e, 2); return e end))
                  or { n = 2, false, err }
      local ok, detail
      if not r[1] then
        print("    " .. (trace or tostring(r[2])))    -- the traceback once; the outcome names the error
        ok, detail = false, "raised an error: " .. tostring(r[2])
      else
        local values = pack(table.unpack(r, 2, r.n))
        if values.n > 0 then print("    " .. show_results(values)) end
        ok, detail = def.tries[k].check(table.unpack(values, 1, values.n))
        detail = detail or ("got " .. show_results(values))
      end
      if ok then
        print("  outcome: as expected (" .. t.expect .. ")")
      else
        print("  outcome: NOT as expected: " .. tostring(detail))
        bad[#bad + 1] = ("try %d.%d (%s): %s"):format(def.n, k, t.say, tostring(detail))
      end
    end
  end
  if #bad == 0 then return true end
  return false, table.concat(bad, "; ")
end

-- labs() lists the labs.
local function list()
  print("The lecture's labs (lab(n) or lab(\"name\") runs one; labs.try(n) its exercises):")
  for _, info in ipairs(labs.list) do
    print(("  %d  %-11s %s"):format(info.n, info.name, info.line))
  end
  if not labs.has_vmx() then print(NO_VMX) end
  print("Each also boots straight into its lab: ./vmxlab run --lab N. docs/labs.md is the guide.")
end

setmetatable(labs, { __call = function() list() end })

-- The prompt's two entry points (the shell requires this module at boot).
_G.labs = labs
_G.lab = labs.run

return labs
