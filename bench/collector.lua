-- wrk script for bench/collector.sh. Arguments after `--`: MODE [RATE]
--   game   GET /purchase_a_sword, the Host header rotating over a few users
--   batch  POST /v1/events, a JSON array of 1,000 events of mixed types and users
--   RATE   requests/s for this wrk thread; without it wrk sends as fast as it can.
-- done() prints one line `BENCH {json}` that collector.sh parses.

local users = { "user1", "user2", "user3", "user4", "user5" }
local types = { "purchase_sword", "join_guild", "slay_dragon", "catch_butterfly" }
local requests, n = {}, 0
local threads = {}
late_ms = 0 -- how far behind its schedule a paced thread sent, at worst (read by done())

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local mode, rate = args[1] or "game", tonumber(args[2])
  for u, user in ipairs(users) do
    local headers = { Host = user .. ".datafun.com" }
    if mode == "batch" then
      local events = {}
      for e = 1, 1000 do
        events[e] = string.format('{"event_type":"%s","user_id":"%s"}',
          types[(e + u) % #types + 1], users[(e * 7 + u) % #users + 1])
      end
      headers["Content-Type"] = "application/json"
      requests[u] = wrk.format("POST", "/v1/events", headers, "[" .. table.concat(events, ",") .. "]")
    else
      requests[u] = wrk.format("GET", "/purchase_a_sword", headers)
    end
  end

  if rate then
    -- Debian has no wrk2, so pace with delay(): wrk calls it before every request and waits that
    -- many ms. Each call takes the next slot of a fixed schedule (one per 1000/rate ms) shared by the
    -- thread's connections, so the rate holds whatever the latency, and a late server is caught up on.
    -- wrk times a request from when it is sent, not from its slot: late_ms tells how much that hides.
    local ffi = require("ffi")
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clock, bench_timespec *ts);
    ]]
    local ts, interval, next_slot = ffi.new("bench_timespec"), 1000 / rate, nil
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
