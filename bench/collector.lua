-- wrk script for bench/collector.sh. Arguments after `--`: MODE [RATE]
--   game   GET /purchase_a_sword, the Host header rotating over a few users
--   batch  POST /v1/events, a JSON array of 1,000 events of mixed types and users
--   RATE   requests/s for this wrk thread; without it wrk sends as fast as it can.
-- done() prints one line `BENCH {json}` that collector.sh parses.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-common.lua")
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
    delay = common.paced_delay(rate)
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function done(summary, latency, _)
  common.report(summary, latency, threads)
end
