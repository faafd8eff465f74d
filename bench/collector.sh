#!/usr/bin/env bash
# Benchmarks the event collector (GameAnalytics.Api) against the dev Kafka broker on this machine:
#   1. GET /purchase_a_sword at fixed concurrency: max requests/s, p50/p99
#   2. the same route at a constant rate (half of 1, or RATE): p50/p99
#   3. POST /v1/events with 1,000 events per request: events/s, p50/p99
#   4. peak RSS (VmHWM) of the API and the broker
# Prints a Markdown table and writes bench/results/collector-<UTC date>.json.
# Exits 1 if any response was not 2xx or a socket error/timeout happened (a 503 = Kafka did not ack).
#
# Overrides: DURATION=15s WARMUP=5s CONNECTIONS=50 RATE=<req/s> RATE_CONNECTIONS=100 BATCH_CONNECTIONS=8 THREADS=1
#            API_PORT=15000 BROKER_PORT=19092 BROKER_HTTP_PORT=15192 SKIP_BUILD=1
set -euo pipefail

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-50}
# Spare connections let the paced run send on schedule through a stall, so the stall shows in its latencies.
RATE_CONNECTIONS=${RATE_CONNECTIONS:-$((CONNECTIONS * 2))}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-8}
THREADS=${THREADS:-1} # the load generator shares the 2 cores with the API and the broker
RATE=${RATE:-}
API_PORT=${API_PORT:-15000}
BROKER_PORT=${BROKER_PORT:-19092}
BROKER_HTTP_PORT=${BROKER_HTTP_PORT:-15192}

BENCH=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$BENCH/common.sh"
ROOT=$(dirname "$BENCH")
# A build output of our own, so a concurrent build of the tree (bin/, obj/) neither disturbs nor is disturbed.
ARTIFACTS=$BENCH/.artifacts
API_DIR=$ARTIFACTS/bin/GameAnalytics.Api/release
BROKER_DIR=$ARTIFACTS/bin/GameAnalytics.DevBroker/release
URL=http://127.0.0.1:$API_PORT
LOGS=$(mktemp -d /tmp/collector-bench.XXXXXX)

command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }

for port in "$API_PORT" "$BROKER_PORT" "$BROKER_HTTP_PORT"; do
  if port_open "$port"; then echo "port $port is already in use; set API_PORT/BROKER_PORT/BROKER_HTTP_PORT" >&2; exit 1; fi
done

if [[ -z ${SKIP_BUILD:-} ]]; then
  for project in GameAnalytics.Api GameAnalytics.DevBroker; do
    dotnet build "$ROOT/$project/$project.csproj" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >"$LOGS/build-$project.log" 2>&1 \
      || { tail -30 "$LOGS/build-$project.log" >&2; exit 1; }
  done
fi

api_pid='' broker_pid=''
cleanup() { # the API first, so it does not log the broker going away
  for pid in $api_pid $broker_pid; do
    kill "$pid" 2>/dev/null || continue
    timeout 10 tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

die_with_logs() {
  echo "$1; logs in $LOGS" >&2
  for log in api broker; do echo "--- $log (last 40 lines)" >&2; tail -40 "$LOGS/$log.log" >&2 || true; done
  exit 1
}

# --contentRoot: without it the apps read appsettings.json from the current directory, miss it, and log every request.
dotnet "$BROKER_DIR/GameAnalytics.DevBroker.dll" --contentRoot "$BROKER_DIR" --urls "http://127.0.0.1:$BROKER_HTTP_PORT" \
  --DevBroker:Port="$BROKER_PORT" >"$LOGS/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 60); do port_open "$BROKER_PORT" && break; kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.5; done
port_open "$BROKER_PORT" || die_with_logs "the dev broker did not start"

# Keyless, as the original's traffic, and unthrottled: the benchmark measures the collector's own ceiling.
ASPNETCORE_ENVIRONMENT=Production Collector__AllowAnonymous=true Collector__RateLimit__EventsPerSecond=0 ConnectionStrings__kafka=127.0.0.1:$BROKER_PORT \
  dotnet "$API_DIR/GameAnalytics.Api.dll" --contentRoot "$API_DIR" --urls "$URL" >"$LOGS/api.log" 2>&1 &
api_pid=$!
# The health endpoint exists only in Development: probe the route itself, which answers 200 once Kafka acks.
for _ in $(seq 60); do
  curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$URL/purchase_a_sword" && break
  kill -0 "$api_pid" 2>/dev/null || break
  sleep 0.5
done
curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$URL/purchase_a_sword" || die_with_logs "the API did not answer 200"

# A 202 can still carry rejected events, which wrk would not see: check one batch like the ones sent.
types=(purchase_sword join_guild slay_dragon catch_butterfly)
body=$(for i in $(seq 0 999); do printf '{"event_type":"%s","user_id":"user%d"},' "${types[i % 4]}" $((i % 5 + 1)); done)
curl -sf -H 'Content-Type: application/json' --data "[${body%,}]" "$URL/v1/events" | grep -q '"accepted":1000,"rejected":0' \
  || die_with_logs "a batch of 1,000 valid events was not fully accepted"

# run NAME CONNECTIONS DURATION MODE [RATE]: runs wrk, prints its BENCH json line.
run() {
  local name=$1 connections=$2 duration=$3
  shift 3
  wrk -t"$THREADS" -c"$connections" -d"$duration" --latency --timeout 10s -s "$BENCH/collector.lua" "$URL" -- "$@" >"$LOGS/$name.txt" 2>&1 \
    || die_with_logs "wrk failed during $name: $(tail -3 "$LOGS/$name.txt")"
  kill -0 "$api_pid" 2>/dev/null || die_with_logs "the API died during $name"
  grep '^BENCH ' "$LOGS/$name.txt" | cut -d' ' -f2-
}
peak_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

run warmup "$CONNECTIONS" "$WARMUP" game >/dev/null # JIT and connection pools
single=$(run single-max "$CONNECTIONS" "$DURATION" game)
rate=${RATE:-$(awk -v r="$(field "$single" rps)" 'BEGIN { printf "%d", r / 2 }')}
paced=$(run single-rate "$RATE_CONNECTIONS" "$DURATION" game "$(awk -v r="$rate" -v t="$THREADS" 'BEGIN { print r / t }')")
run batch-warmup "$BATCH_CONNECTIONS" 3s batch >/dev/null
batch=$(run batch "$BATCH_CONNECTIONS" "$DURATION" batch)
api_rss=$(peak_mib "$api_pid")
broker_rss=$(peak_mib "$broker_pid")

events_per_s=$(awk -v r="$(field "$batch" rps)" 'BEGIN { printf "%.0f", r * 1000 }')
failures=$(failed_requests "$single" "$paced" "$batch")

date=${BENCH_DATE:-$(date -u +%F)}
mkdir -p "$BENCH/results"
json=$BENCH/results/collector-$date.json
cat >"$json" <<EOF
{
  "benchmark": "collector",
  "time": "$(date -u +%FT%TZ)",
  "commit": "$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)",
  "uncommitted_changes": $(git -C "$ROOT" diff --quiet HEAD 2>/dev/null && echo false || echo true),
  "machine": { "cpus": $(nproc), "load_average_at_start": "$load_start", "dotnet": "$(dotnet --version)", "wrk": "$(wrk -v 2>&1 | head -1 | cut -d' ' -f2)" },
  "settings": { "duration": "$DURATION", "warmup": "$WARMUP", "connections": $CONNECTIONS, "rate_connections": $RATE_CONNECTIONS, "batch_connections": $BATCH_CONNECTIONS, "wrk_threads": $THREADS },
  "single_max": $single,
  "single_fixed_rate": ${paced%\}},"target_rps":$rate},
  "batch_1000": ${batch%\}},"events_per_s":$events_per_s},
  "api_peak_rss_mib": $api_rss,
  "broker_peak_rss_mib": $broker_rss,
  "failed_requests": $failures
}
EOF

row() { # LABEL LOAD THROUGHPUT RESULT
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(field "$4" p50_ms)" "$(field "$4" p99_ms)" \
    "$(field "$4" non_2xx_3xx)" "$(($(field "$4" connect_errors) + $(field "$4" read_errors) + $(field "$4" write_errors) + $(field "$4" timeouts)))"
}
echo
echo "| scenario | load | throughput | p50 ms | p99 ms | non-2xx | socket errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
row "GET /purchase_a_sword, max" "$CONNECTIONS conns, $DURATION" "$(field "$single" rps) req/s" "$single"
row "GET /purchase_a_sword, fixed rate" "$rate req/s, $RATE_CONNECTIONS conns" "$(field "$paced" rps) req/s" "$paced"
row "POST /v1/events x1000" "$BATCH_CONNECTIONS conns, $DURATION" "$events_per_s events/s ($(field "$batch" rps) req/s)" "$batch"
echo
echo "API peak RSS: $api_rss MiB; broker peak RSS: $broker_rss MiB. Load average at start: $load_start ($(nproc) CPUs, shared with wrk)."
late=$(field "$paced" late_ms)
if awk -v l="$late" 'BEGIN { exit !(l > 10) }'; then
  echo "Note: the fixed-rate run fell up to $late ms behind its schedule; its latencies understate what a client would see."
fi
echo "Results: $json (wrk output and app logs: $LOGS)"
if ((failures > 0)); then
  echo "FAILED: $failures requests were not 2xx or hit a socket error/timeout (503 = Kafka did not acknowledge)." >&2
  exit 1
fi
