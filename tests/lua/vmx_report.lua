-- vmxlab-test: library
-- The one reporter of the Lua test scripts (tests/lua/*.lua), in the manner of kvm-unit-tests'
-- lib/report.c: one PASS/FAIL line per check, SKIP with a reason, a closing
-- "N passed, M failed, K skipped" line. A section that raises an error counts as one FAIL (with
-- the message and traceback) and the script goes on, so the summary line is always printed; done()
-- then raises if anything failed, so the script ends in an error (run= powers off with status 1,
-- the test driver sees no normal end). Each dofile gives a fresh reporter.
--   local t = dofile("vmx_report.lua")
--   t.section("vmxon", function() t.eq(vmx.vmxon(r), true, "vmxon succeeds") end)
--   t.done()
-- Checks: t.check(ok, what, detail), t.eq(got, want, what), t.has(s, needle, what),
-- t.raises(f, needle, what), t.fails(what, needle, code, ok, msg, code), t.skip(what, why).
-- A script whose every check is skipped (t.skip only) is reported as skipped with those reasons;
-- a script that checks nothing fails. docs/testing.md describes how the driver reads this.
local t = { passed = 0, failed = 0, skipped = 0 }

local function show(v)
  if math.type(v) == "integer" then return string.format("0x%x", v) end
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function t.check(ok, what, detail)
  if ok then
    t.passed = t.passed + 1
    print("PASS: " .. what)
  else
    t.failed = t.failed + 1
    print("FAIL: " .. what .. (detail ~= nil and (" -- " .. tostring(detail)) or ""))
  end
  return ok
end

function t.eq(got, want, what)
  return t.check(got == want, what, "got " .. show(got) .. ", want " .. show(want))
end

-- s contains the plain text `needle`.
function t.has(s, needle, what)
  return t.check(type(s) == "string" and s:find(needle, 1, true) ~= nil, what,
                 "got " .. show(s) .. ", want it to contain " .. show(needle))
end

-- f() raises an error whose message contains the plain text `needle`.
function t.raises(f, needle, what)
  local ok, err = pcall(f)
  if ok then return t.check(false, what, "no error raised") end
  return t.has(tostring(err), needle, what)
end

-- A hardware failure result: nil, message containing `needle`[, code == want_code].
function t.fails(what, needle, want_code, ok, msg, code)
  t.check(ok == nil, what .. ": fails", "got " .. show(ok) .. " " .. show(msg))
  t.has(msg, needle, what .. ": message")
  if want_code ~= nil then t.eq(code, want_code, what .. ": code") end
end

function t.skip(what, why)
  t.skipped = t.skipped + 1
  print("SKIP: " .. what .. " -- " .. why)
end

function t.section(name, fn)
  print("-- " .. name)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then t.check(false, name .. " raised an error", err) end
end

function t.done()
  print(string.format("%d passed, %d failed, %d skipped", t.passed, t.failed, t.skipped))
  if t.failed > 0 then error("tests: " .. t.failed .. " check(s) failed", 0) end
end

-- Back to "off": VMXOFF if on, CR4.VMXE clear. Tests start from here.
function t.vmx_off()
  if vmx.state() ~= "off" then assert(vmx.disable()) end
  if cpu.cr4() & 0x2000 ~= 0 then assert(cpu.write_cr4(cpu.cr4() & ~0x2000)) end
end

return t
