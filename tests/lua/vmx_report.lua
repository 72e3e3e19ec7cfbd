-- vmxlab-test: library
-- Reports for the vmx_*.lua tests in the manner of kvm-unit-tests' lib/report.c: one PASS/FAIL
-- line per check, SKIP with a reason, a closing "N passed, M failed" line. A section that raises
-- an error counts as one FAIL (with the message) and the script goes on, so the summary line is
-- always printed; done() then raises if anything failed, so `run=` powers off with status 1.
--   local t = dofile("vmx_report.lua")
--   t.section("vmxon", function() t.eq(vmx.vmxon(r), true, "vmxon succeeds") end)
--   t.done()
local t = { passed = 0, failed = 0, skipped = 0 }

local function show(v)
  if math.type(v) == "integer" then return string.format("0x%x", v) end
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
                 "got " .. show(s) .. ", want it to contain '" .. needle .. "'")
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
  print(string.format("%d passed, %d failed", t.passed, t.failed)
        .. (t.skipped > 0 and string.format(" (%d skipped)", t.skipped) or ""))
  if t.failed > 0 then error("vmx tests: " .. t.failed .. " check(s) failed", 0) end
end

-- Back to "off": VMXOFF if on, CR4.VMXE clear. Tests start from here.
function t.vmx_off()
  if vmx.state() ~= "off" then assert(vmx.disable()) end
  if cpu.cr4() & 0x2000 ~= 0 then assert(cpu.write_cr4(cpu.cr4() & ~0x2000)) end
end

return t
