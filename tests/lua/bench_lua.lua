-- The Lua benchmark ./vmxlab bench runs both in the kernel (instructions counted by RDTSC inside
-- Bochs) and on the host's lua5.4 (instructions counted by valgrind). The same workload, so the
-- two counts compare the interpreter + libc + allocator builds, nothing else.
--   host:   lua5.4 bench_lua.lua N        kernel:  require("bench_lua").run(N)
local M = {}

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

function M.run(n)
  local acc = 0
  for round = 1, n do
    acc = acc + fib(18)                                   -- calls and arithmetic
    local t = {}
    for i = 1, 2000 do t[i] = (i * 7919) % 1009 end       -- table writes
    table.sort(t)                                         -- comparisons, table reads
    local parts = {}
    for i = 1, 300 do parts[#parts + 1] = string.format("%d:%x", i, i * round) end
    local s = table.concat(parts, ",")                    -- string building, allocation
    for w in s:gmatch("%d+:") do acc = acc + #w end       -- pattern matching
    local obj = setmetatable({}, { __index = function(_, k) return k * 2 end })
    for i = 1, 500 do acc = acc + obj[i] end              -- metamethods, closures
    acc = acc + math.floor(math.sqrt(round) * 1000)       -- libm
  end
  return acc
end

if arg and arg[1] then print(M.run(tonumber(arg[1]))) end
return M
