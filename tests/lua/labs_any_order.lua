-- vmxlab-test: targets=bochs timeout=600
-- docs/labs.md promises that the labs run in any order and again, and that each one's try-this
-- list works after it. This runs the seven labs in a shuffled order (the seed is printed; set
-- the global LABS_SEED before dofile to repeat one), each followed by its try-this list, then
-- every try-this list again in another shuffled order -- after other labs replaced the shared
-- globals (g, machine, vars, launch) and switched VMX off or on. Nothing may raise an error or
-- print a traceback, and each lab ends with its machine-readable line
-- "vmxlab-lab: n=<N> name=<file> result=pass". Then issue 10's own sequences: lab(7), lab(2),
-- cr0_run(1, 0); and VMRESUME after a failed VMLAUNCH names the failed launch.
local t = dofile("vmx_report.lua")
local labs = require "labs"

local seed = LABS_SEED or (os.time() ~ sys.ticks())
print(("labs_any_order: seed %d (LABS_SEED = %d before dofile repeats this order)"):format(seed, seed))
math.randomseed(seed)

local function shuffled()
  local order = { 1, 2, 3, 4, 5, 6, 7 }
  for i = #order, 2, -1 do
    local j = math.random(i)
    order[i], order[j] = order[j], order[i]
  end
  return order
end

-- Runs f(...) with print captured (and still printed); returns the lines and f's results.
local real_print = print
local function capture(f, ...)
  local lines = {}
  print = function(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[#parts + 1] = tostring(select(i, ...)) end
    for line in (table.concat(parts, "\t") .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = line end
    real_print(...)
  end
  local r = table.pack(pcall(f, ...))
  print = real_print
  return lines, r
end

local function no_traceback(lines, what)
  for _, line in ipairs(lines) do
    if line:find("stack traceback", 1, true) then return t.check(false, what .. ": no traceback", line) end
  end
  return t.check(true, what .. ": no traceback")
end

local function result_lines(lines)
  local found = {}
  for _, line in ipairs(lines) do
    if line:match("^vmxlab%-lab:") then found[#found + 1] = line end
  end
  return found
end

local function run_lab(n)
  local lines, r = capture(lab, n)
  t.check(r[1], ("lab(%d) raises no error"):format(n), r[2])
  t.check(r[1] and r[2] == true, ("lab(%d) returns true: every fact held"):format(n), r[3])
  no_traceback(lines, ("lab(%d)"):format(n))
  local found = result_lines(lines)
  t.eq(#found, 1, ("lab(%d) prints one vmxlab-lab line"):format(n))
  t.eq(found[1], ("vmxlab-lab: n=%d name=%s.lua result=pass"):format(n, labs.list[n].module),
       ("lab(%d)'s vmxlab-lab line"):format(n))
  t.eq(lines[#lines], found[1], ("lab(%d): the vmxlab-lab line is its last"):format(n))
end

local function run_tries(n, when)
  local lines, r = capture(labs.try, n)
  t.check(r[1], ("labs.try(%d) %s raises no error"):format(n, when), r[2])
  t.check(r[1] and r[2] == true, ("labs.try(%d) %s: every outcome as announced"):format(n, when), r[3])
  no_traceback(lines, ("labs.try(%d) %s"):format(n, when))
end

t.section("labs.try before its lab ran", function()
  local lines, r = capture(labs.try, 4)
  t.check(r[1] and r[2] == false, "labs.try(4) refuses before lab(4) ran", tostring(r[2]))
  t.check(r[1] and tostring(r[3]):find("lab(4) first", 1, true), "... and says to run lab(4) first", r[3])
  no_traceback(lines, "labs.try(4) before lab(4)")
end)

local first = shuffled()
t.section("labs in the order " .. table.concat(first, " ") .. ", each with its try-this list", function()
  for _, n in ipairs(first) do
    run_lab(n)
    run_tries(n, "right after it")
  end
end)

local second = shuffled()
t.section("try-this lists again in the order " .. table.concat(second, " "), function()
  for _, n in ipairs(second) do run_tries(n, "after other labs") end
end)

t.section("lab(7), lab(2), cr0_run(1, 0)", function()
  run_lab(7)
  run_lab(2)
  t.eq(vmx.state(), "off", "lab 2 leaves VMX off")
  local lines, r = capture(cr0_run, 1, 0)
  t.check(r[1], "cr0_run(1, 0) after lab(2) raises no error", r[2])
  t.check(r[1] and r[2] ~= nil and r[2] == r[3] & 0xFFFE, "... and shows the actual CR0 with PE hidden",
          tostring(r[2]) .. " " .. tostring(r[3]))
  no_traceback(lines, "cr0_run(1, 0) after lab(2)")
  local lines2, r2 = capture(labs.try, 7)
  t.check(r2[1] and r2[2] == true, "labs.try(7) after lab(2)", r2[3])
  no_traceback(lines2, "labs.try(7) after lab(2)")
end)

t.section("vmresume after a failed vmlaunch", function()
  assert(labs.use(6))
  vars.guest_VMCS_link_pointer = 0
  local e = launch()
  vars.guest_VMCS_link_pointer = -1
  t.check(e and e.entry_failure and e.reason == 33, "lab 6's launch() with link pointer 0: VM-entry failure 33", tostring(e))
  local ok, msg, code = vmx.vmresume()
  t.check(ok == nil and code == 5, "vmresume: VMfailValid(5)", tostring(msg))
  t.check(tostring(msg):find("the last vmlaunch of VMCS", 1, true)
          and tostring(msg):find("failed (VM-entry failure, exit reason 33 INVALID_STATE), so it is still clear", 1, true),
          "the cause names the failed vmlaunch", msg)
  t.check(not tostring(msg):find("never run", 1, true), "... and does not say vmlaunch was never run", msg)
  t.check(launch().reason == 18, "launch() with the link pointer back: exit 18")
end)

t.done()
