-- A tiny test reporter in the manner of kvm-unit-tests' report.c: one PASS/FAIL line per check,
-- then "N passed, M failed" (the closing line test drivers and CI read).
--   local t = require "testlib"
--   t.check("1+1", 1 + 1 == 2)
--   t.equal("cpuid leaf 0 vendor", cpu.vendor(), "GenuineIntel")
--   t.errors("bad field", function() vmx.vmread("NOPE") end, "unknown VMCS field")
--   return t.summary()
local M = { passed = 0, failed = 0, skipped = 0, prefix = "" }

local function report(ok, name, detail)
  if ok then
    M.passed = M.passed + 1
    print(("PASS: %s%s"):format(M.prefix, name))
  else
    M.failed = M.failed + 1
    print(("FAIL: %s%s%s"):format(M.prefix, name, detail and (" (" .. detail .. ")") or ""))
  end
  return ok
end

function M.section(name) M.prefix = name and (name .. ": ") or "" end

function M.check(name, cond, detail) return report(not not cond, name, detail) end

function M.equal(name, got, want)
  return report(got == want, name, ("got %s, want %s"):format(tostring(got), tostring(want)))
end

-- Passes when `got` (a string) contains the plain text `want`.
function M.contains(name, got, want)
  local ok = type(got) == "string" and got:find(want, 1, true) ~= nil
  return report(ok, name, ("got %q, want it to contain %q"):format(tostring(got), want))
end

-- Passes when f() raises an error whose message contains `want`.
function M.errors(name, f, want)
  local ok, err = pcall(f)
  if ok then return report(false, name, "no error raised") end
  return M.contains(name, tostring(err), want)
end

function M.skip(name, why)
  M.skipped = M.skipped + 1
  print(("SKIP: %s%s (%s)"):format(M.prefix, name, why))
end

-- Prints the closing line and returns true when nothing failed.
function M.summary()
  local line = ("%d passed, %d failed"):format(M.passed, M.failed)
  if M.skipped > 0 then line = line .. (", %d skipped"):format(M.skipped) end
  print(line)
  return M.failed == 0
end

return M
