-- wrk script for bench/landing.sh. Arguments after `--` are key=value pairs:
--   mode=batch  POST /v1/events with `batch` events per request (default 1000), of mixed types, user_id over `users`
--   mode=game   GET /purchase_a_sword, one event per request, the Host header (the user) rotating over `users`
--   users=N     distinct users, hence Kafka keys: enough of them spread the events over every partition (default 1000)
--   rate=R      requests/s for this wrk thread, paced with delay() (wrk-common.lua); without it, as fast as it can
--   max=M       this thread stops once M responses arrived (requests still in flight may land too: count in Kafka),
--   done=PATH   and then creates PATH, so that the caller can end wrk with SIGINT before its -d duration
-- done() prints one line `BENCH {json}` in collector.lua's format.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-common.lua")
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
    delay = common.paced_delay(rate)
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
  common.report(summary, latency, threads)
end
