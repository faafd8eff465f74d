-- wrk script for one fixed request, given on wrk's command line (URL, -H): no request() function, so wrk sends it
-- on its own fast path, as a plain `wrk -H ...` run does. Arguments after `--`: [RATE] requests/s for this thread.
-- done() prints one line `BENCH {json}`.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-common.lua")
local threads = {}
late_ms = 0 -- how far behind its schedule a paced thread sent, at worst (read by done())

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local rate = tonumber(args[1])
  if rate then
    delay = common.paced_delay(rate)
  end
end

function done(summary, latency, _)
  common.report(summary, latency, threads)
end
