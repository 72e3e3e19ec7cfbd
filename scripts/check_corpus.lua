-- check_corpus: the differential run of the VM-entry checker against the processor (Bochs, the
-- independent oracle). From each base state that really enters, every mutation of
-- check_corpus_mutations is applied alone; for each, vmx.check() predicts the verdict and a real
-- VMLAUNCH gives it. One line per mutation:
--   corpus: <n> <base> <mutation> predicted=<class>[ rule=<id>] actual=<class>
-- with class one of: enters, VMfailValid 7, VMfailValid 8, exit 33, exit 34, VMX abort, other.
-- Before each VMLAUNCH an RDMSR of the unknown MSR 0x4C000000 + n (a #GP the script expects)
-- makes Bochs log "RDMSR: Unknown register 0x4c0000NN" at error level: tools/check_corpus.py
-- pairs each mutation with the VM-entry check Bochs logs after that marker.
-- A mutation the checker says would abort the first VM exit (SDM 28.7) is never executed:
-- vmx.vmlaunch refuses it, and the line says "actual=refused".
--
--   local corpus = require "check_corpus"
--   corpus.run { every = 4 }         -- every 4th mutation (a subset); default: all
local corpus = {}
local mutations = require "check_corpus_mutations"

local MARKER = 0x4C000000

-- ---- base states: each sets up a fresh current VMCS that enters and exits at once ----------

corpus.bases = {
  { name = "guest64", setup = function()
      require("vmxlib").guest64("cpuid_hlt_vmcall")
    end },
  { name = "v86", setup = function()
      local vm = require "labs_vm"
      local g = vm.load_v86(vm.DEFAULT_BASE)
      -- Unconditional I/O exiting: the guest's first OUT exits instead of writing to COM1.
      local machine, vars = vm.v86_machine(g, { cpu = vmx.ctl.cpu.UNCOND_IO_EXITING })
      vm.prepare(machine, vars)
    end },
  { name = "real", setup = function()
      require("vmxlib_ept").real_mode()
    end,
    available = function()
      local c = vmx.caps()
      local a = c.controls.cpu2
      return a.available and a.allowed1 & (vmx.ctl.cpu2.ENABLE_EPT | vmx.ctl.cpu2.UNRESTRICTED_GUEST)
             == (vmx.ctl.cpu2.ENABLE_EPT | vmx.ctl.cpu2.UNRESTRICTED_GUEST)
    end },
}

-- Every field this VMCS has and VMWRITE may write (read-only fields excluded), with its value.
local function save()
  local fields = {}
  for name, enc in pairs(vmx.fields) do
    if not name:match("_HIGH$") and (enc >> 10) & 3 ~= 1 then
      local v = vmx.vmread(enc)
      if v ~= nil then fields[#fields + 1] = { enc, v } end
    end
  end
  table.sort(fields, function(a, b) return a[1] < b[1] end)
  return { vmcs = assert(vmx.vmptrst()), fields = fields, regs = { rsp = vmx.regs.rsp } }
end

local function restore(base)
  assert(vmx.vmclear(base.vmcs))
  assert(vmx.vmptrld(base.vmcs))
  local write = vmx.vmwrite
  for _, f in ipairs(base.fields) do assert(write(f[1], f[2])) end
end

-- ---- verdicts -----------------------------------------------------------------------------

-- The first finding's class, and the ids of all findings ("a,b,c"): the processor reports the
-- first check it makes, which for a change that breaks two rules may be either of them.
local function predicted()
  local findings = assert(vmx.check())
  local f = findings[1]
  if not f then return "enters" end
  local ids = {}
  for i, x in ipairs(findings) do ids[i] = x.id end
  return f.class, table.concat(ids, ",")
end

local function actual(e, msg, code)
  if e then
    if e.entry_failure then return "exit " .. (e.reason & 0xFFFF) end
    return "enters"
  end
  if code == 7 or code == 8 then return "VMfailValid " .. code end
  if type(msg) == "table" then return "refused" end      -- vmlaunch's VMX-abort refusal
  return "other"
end

-- Runs one mutation on a restored base. Returns the result record.
local function run_one(n, base, m, ctx)
  restore(base)
  local ok, err = pcall(m.apply, ctx)
  if not ok then return { n = n, base = base.name, name = m.name, skipped = tostring(err) } end
  local pclass, rule = predicted()
  local r = { n = n, base = base.name, name = m.name, predicted = pclass, rule = rule, abort = m.abort }
  if m.abort and pclass ~= "VMX abort" then
    r.actual = "not_run"                                    -- would take the machine down: never run
    return r
  end
  cpu.rdmsr(MARKER + n)                                     -- the marker in Bochs's log (#GP expected)
  local e, msg, code
  -- The real-mode guest runs whatever its mutated CS:IP points at: always with a budget there.
  if m.budget or base.name == "real" then
    if not vmx.caps().preemption_timer then
      return { n = n, base = base.name, name = m.name, skipped = "needs the VMX-preemption timer" }
    end
    e, msg, code = vmx.vmlaunch(200000)
  else
    e, msg, code = vmx.vmlaunch()
  end
  r.actual = actual(e, msg, code)
  r.detail = r.actual == "other" and tostring(msg) or nil
  return r
end

local function show(r)
  if r.skipped then
    print(("corpus: %d %s %s skipped=%s"):format(r.n, r.base, r.name, r.skipped:gsub("%s+", "_")))
  else
    print(("corpus: %d %s %s predicted=%s%s actual=%s%s"):format(r.n, r.base, r.name, r.predicted:gsub(" ", "_"),
          r.rule and (" rule=" .. r.rule) or "", r.actual:gsub(" ", "_"), r.detail and (" detail=" .. r.detail:gsub("%s+", "_")) or ""))
  end
end

-- corpus.run([opts]) -> results, counts. opts.every = k runs mutation 1, 1 + k, ... of each base;
-- opts.bases = { "guest64", ... } limits the bases; opts.quiet: no per-mutation lines.
function corpus.run(opts)
  opts = opts or {}
  local results, n = {}, 0
  if not opts.quiet then
    for _, r in ipairs(vmx.rules()) do
      print(("corpus-rule: %s\t%s\t%s\t%s"):format(r.id, r.section, r.class, r.rule))
    end
  end
  for _, b in ipairs(corpus.bases) do
    local wanted = not opts.bases
    for _, name in ipairs(opts.bases or {}) do wanted = wanted or name == b.name end
    if wanted and (not b.available or b.available()) then
      b.setup()
      local base = save()
      local ctx = mutations.context(base)
      for i, m in ipairs(mutations.list(b.name, ctx)) do
        n = n + 1
        if (i - 1) % (opts.every or 1) == 0 then
          local r = run_one(n, { name = b.name, vmcs = base.vmcs, fields = base.fields }, m, ctx)
          results[#results + 1] = r
          if not opts.quiet then show(r) end
        end
      end
    elseif wanted then
      print(("corpus: base %s not available on this CPU"):format(b.name))
    end
  end
  if vmx.state() ~= "off" then vmx.disable() end
  print(("corpus-done: %d mutations run"):format(#results))
  return results
end

return corpus
