-- What collector.lua and landing.lua share, loaded by both with dofile: pacing and the BENCH result line.
local common = {}

-- Debian has no wrk2, so pace with delay(): wrk calls it before every request and waits that many ms.
-- Each call takes the next slot of a fixed schedule (one per 1000/rate ms) shared by the thread's connections,
-- so the rate holds whatever the latency, and a late server is caught up on. wrk times a request from when it
-- is sent, not from its slot: the global late_ms records how much that hides (report() reads it per thread).
function common.paced_delay(rate)
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
  return function()
    local now = now_ms()
    local slot = next_slot or now
    next_slot = slot + interval
    late_ms = math.max(late_ms, now - slot)
    return math.max(0, slot - now)
  end
end

-- Prints one line `BENCH {json}` for the calling script to parse.
function common.report(summary, latency, threads)
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

return common
