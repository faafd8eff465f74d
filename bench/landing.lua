-- wrk script for bench/landing.sh. Arguments after `--` are key=value pairs:
--   mode=batch  POST /v1/events with `batch` events per request (default 1000), of mixed types, user_id over `users`
--   mode=game   GET /purchase_a_sword, one event per request, the Host header (the user) rotating over `users`
--   users=N     distinct users, hence Kafka keys: enough of them spread the events over every partition (default 1000)
--   rate=R      requests/s for this wrk thread, paced with delay() as in collector.lua; without it, as fast as it can
--   max=M       this thread stops once M responses arrived (requests still in flight may land too: count in Kafka),
--   done=PATH   and then creates PATH, so that the caller can end wrk with SIGINT before its -d duration
-- done() prints one line `BENCH {json}` in collector.lua's format.

local types = { "purchase_sword", "join_guild", "slay_dragon", "catch_butterfly" }
local requests, n = {}, 0
local threads = {}
local responses, max_responses, done_file = 0, nil, nil
late_ms = 0 -- how far behind its schedule a paced thread sent, at worst (read by done())

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local options = { mode = "batch", batch = "1000", users = "1000" }
  for _, arg in ipairs(args) do
    local key, value = arg:match("^(%w+)=(.*)$")
    if not key then error("landing.lua: expected key=value, got " .. arg) end
    options[key] = value
  end
  local batch, users, rate = tonumber(options.batch), tonumber(options.users), tonumber(options.rate)
  max_responses, done_file = tonumber(options.max), options.done

  if options.mode == "batch" then
    for u = 1, 5 do
      local events = {}
      for e = 1, batch do
        events[e] = string.format('{"event_type":"%s","user_id":"user%d"}', types[(e + u) % #types + 1], (e * 7 + u * 131) % users + 1)
      end
      requests[u] = wrk.format("POST", "/v1/events", { Host = "user" .. u .. ".datafun.com", ["Content-Type"] = "application/json" },
        "[" .. table.concat(events, ",") .. "]")
    end
  elseif options.mode == "game" then
    for u = 1, users do
      requests[u] = wrk.format("GET", "/purchase_a_sword", { Host = "user" .. u .. ".datafun.com" })
    end
  else
    error("landing.lua: unknown mode " .. options.mode)
  end

  if rate and rate > 0 then
    -- As in collector.lua: each delay() call takes the next slot of a fixed schedule shared by the thread's connections.
    local ffi = require("ffi")
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } landing_timespec;
      int clock_gettime(int clock, landing_timespec *ts);
    ]]
    local ts, interval, next_slot = ffi.new("landing_timespec"), 1000 / rate, nil
    local function now_ms()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
    end
    delay = function()
      local now = now_ms()
      local slot = next_slot or now
      next_slot = slot + interval
      late_ms = math.max(late_ms, now - slot)
      return math.max(0, slot - now)
    end
  end
end

-- Defined at load time, because wrk decides there whether to parse responses for the script.
function response()
  responses = responses + 1
  if max_responses and responses == max_responses then
    wrk.thread:stop()
    if done_file then io.open(done_file, "w"):close() end
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function done(summary, latency, _)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local function ms(p) return latency:percentile(p) / 1000 end
  local late = 0
  for _, thread in ipairs(threads) do late = math.max(late, thread:get("late_ms")) end
  io.write(string.format(
    'BENCH {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"non_2xx_3xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"late_ms":%.1f}\n',
    summary.requests, seconds, summary.requests / seconds, ms(50), ms(90), ms(99), latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, late))
end
