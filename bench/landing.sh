#!/usr/bin/env bash
# Benchmarks the stream processor (GameAnalytics.Streaming) against the dev Kafka broker on this machine:
#   1. landing throughput, Kafka to committed Parquet: the topic is filled with EVENTS events while Streaming is
#      not running, the API is stopped, then Streaming lands the backlog alone: events/s (wall clock) and events
#      per CPU-second of Streaming (utime+stime), and its peak RSS
#   2. Streaming's peak RSS with API + Streaming at a steady STEADY_RATE events/s, and whether it kept up
#   3. freshness at FRESH_RATE events/s: per event, (its commit record's committed_at) - received_at, p50/p99
# Each step has its own topic (landing, steady, fresh) on one broker and its own lake, under a temp folder.
# Prints a Markdown table and writes bench/results/landing-<UTC date>.json.
# Exits 1 if a request was not 2xx, the broker dropped events, Streaming logged DATA LOST, died, or did not catch up.
#
# Overrides: EVENTS=800000 FILL_CONNECTIONS=4 USERS=1000
#            STEADY_RATE=50000 STEADY_BATCH=1000 STEADY_DURATION=30s STEADY_CONNECTIONS=8
#            FRESH_RATE=5000 FRESH_BATCH=1 (1 = single GET events; >1 = POST /v1/events batches) FRESH_DURATION=30s
#            FRESH_WARMUP=5s FRESH_CONNECTIONS=200 PARTITIONS=12 LANDING_TIMEOUT=120 CATCHUP_TIMEOUT=30
#            KEPT_UP_WITHIN=3 (seconds from the end of the load to the last commit for the steady rate to count as kept up:
#            the flush interval (0.5 s by default), plus up to 0.5 s that the dev broker holds a fetch that found nothing, plus margin)
#            API_PORT=15100 BROKER_PORT=19192 BROKER_HTTP_PORT=15292 STREAMING_HTTP_PORT=15293 SKIP_BUILD=1 KEEP_LAKES=1
# Streaming's own settings come through the environment as usual (e.g. Streaming__FlushInterval=00:00:00.5), or as
# STREAMING_ARGS, e.g. STREAMING_ARGS='--Streaming:Consumer:fetch.wait.max.ms=50' for a name that is no shell variable.
#
# The dev broker (librdkafka's mock cluster) keeps at most 5 MiB of compressed batches per partition and drops
# older ones silently: about 92,000 of these events. With 1,000 users the busiest of 12 partitions gets about
# 9.4% of the events, so 1,000,000 events come within 1% of that limit; hence 800,000 by default. The script checks
# the low watermarks after the fill and fails if anything was dropped.
set -euo pipefail

EVENTS=${EVENTS:-800000}
FILL_CONNECTIONS=${FILL_CONNECTIONS:-4}
USERS=${USERS:-1000} # Kafka keys: enough of them to spread the events over every partition
STEADY_RATE=${STEADY_RATE:-50000}
STEADY_BATCH=${STEADY_BATCH:-1000}
STEADY_DURATION=${STEADY_DURATION:-30s}
STEADY_CONNECTIONS=${STEADY_CONNECTIONS:-8}
FRESH_RATE=${FRESH_RATE:-5000}
FRESH_BATCH=${FRESH_BATCH:-1}
FRESH_DURATION=${FRESH_DURATION:-30s}
FRESH_WARMUP=${FRESH_WARMUP:-5s}
FRESH_CONNECTIONS=${FRESH_CONNECTIONS:-200} # spare connections keep the paced run on schedule through a slow patch
PARTITIONS=${PARTITIONS:-12}
LANDING_TIMEOUT=${LANDING_TIMEOUT:-120}
CATCHUP_TIMEOUT=${CATCHUP_TIMEOUT:-30}
KEPT_UP_WITHIN=${KEPT_UP_WITHIN:-3}
API_PORT=${API_PORT:-15100}
BROKER_PORT=${BROKER_PORT:-19192}
BROKER_HTTP_PORT=${BROKER_HTTP_PORT:-15292}
STREAMING_HTTP_PORT=${STREAMING_HTTP_PORT:-15293} # Streaming serves health checks; without --urls it would take port 5000

BENCH=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$BENCH/common.sh"
ROOT=$(dirname "$BENCH")
# A build output of our own, so a concurrent build of the tree (bin/, obj/) neither disturbs nor is disturbed.
ARTIFACTS=$BENCH/.artifacts
API_DIR=$ARTIFACTS/bin/GameAnalytics.Api/release
BROKER_DIR=$ARTIFACTS/bin/GameAnalytics.DevBroker/release
STREAMING_DIR=$ARTIFACTS/bin/GameAnalytics.Streaming/release
URL=http://127.0.0.1:$API_PORT
KAFKA=127.0.0.1:$BROKER_PORT
LOGS=$(mktemp -d /tmp/landing-bench.XXXXXX)
TICKS=$(getconf CLK_TCK)

command -v wrk >/dev/null || { apt-get update && apt-get install -y wrk; }

for port in "$API_PORT" "$BROKER_PORT" "$BROKER_HTTP_PORT" "$STREAMING_HTTP_PORT"; do
  if port_open "$port"; then echo "port $port is already in use; set API_PORT/BROKER_PORT/BROKER_HTTP_PORT/STREAMING_HTTP_PORT" >&2; exit 1; fi
done

if [[ -z ${SKIP_BUILD:-} ]]; then
  for project in GameAnalytics.Api GameAnalytics.DevBroker GameAnalytics.Streaming; do
    dotnet build "$ROOT/$project/$project.csproj" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >"$LOGS/build-$project.log" 2>&1 \
      || { tail -30 "$LOGS/build-$project.log" >&2; exit 1; }
  done
  # The two file-based helpers (DuckDB, Confluent.Kafka), built now rather than on first use in a measured step.
  for tool in kafka-offsets freshness; do
    dotnet build "$BENCH/$tool.cs" -nologo -v q >"$LOGS/build-$tool.log" 2>&1 || { tail -30 "$LOGS/build-$tool.log" >&2; exit 1; }
  done
fi

api_pid='' broker_pid='' streaming_pid='' sampler_pid='' watcher_pid=''
stop() { # PID: SIGTERM, then SIGKILL after 15 s
  [[ -n $1 ]] || return 0
  kill "$1" 2>/dev/null || return 0
  timeout 15 tail --pid="$1" -f /dev/null || kill -9 "$1" 2>/dev/null || true
}
cleanup() { # the clients first, so they do not log the broker going away
  for pid in $watcher_pid $sampler_pid $streaming_pid $api_pid $broker_pid; do stop "$pid"; done
  [[ -n ${KEEP_LAKES:-} ]] || rm -rf "$LOGS"/lake-*
}
trap cleanup EXIT

die_with_logs() {
  echo "$1; logs in $LOGS" >&2
  for log in "$LOGS"/broker.log "$LOGS"/api-*.log "$LOGS"/streaming-*.log; do
    [[ -e $log ]] || continue
    echo "--- $(basename "$log") (last 30 lines)" >&2
    tail -30 "$log" >&2
  done
  exit 1
}

now() { date +%s.%N; }
iso_to_epoch() { date -u -d "$1" +%s.%N; }
commit_time() { [[ $1 == 20* ]] && iso_to_epoch "$1" || now; } # a commit's committed_at, or now when nothing was committed
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }'; }
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; } # utime + stime, after "(comm) "
status_mib() { awk -v k="$2:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

offsets() { # TOPIC: one JSON line with the topic's low/high watermarks
  timeout 60 dotnet run "$BENCH/kafka-offsets.cs" -- "$KAFKA" "$1" 2>>"$LOGS/kafka-offsets.log" || die_with_logs "could not read the watermarks of $1"
}
lake_files() { find "$1" -name '*.parquet' -not -name '.*' 2>/dev/null | wc -l; } # LAKE: its visible Parquet files (a compaction's replaced files stay for its retention)
highs() { grep -o '"high":\[[0-9,]*\]' <<<"$1" | grep -o '[0-9,]*' | tr , ' '; }

# lake_state LAKE TOPIC: "<next offset of partition 0> ... <of partition N-1> <latest committed_at>", from each
# partition's newest commit record (0 and no time when nothing is committed yet). Globbing skips the .tmp files.
lake_state() {
  local dir=$1/_streaming/$2 p records args=()
  shopt -s nullglob
  for ((p = 0; p < PARTITIONS; p++)); do
    records=("$dir"/p"$(printf %03d "$p")"/[0-9]*.json)
    # Glob order is sequence order (the names are zero-padded); awk reads "p=N" as an assignment before the next file.
    ((${#records[@]} == 0)) || args+=("p=$p" "${records[${#records[@]} - 1]}")
  done
  shopt -u nullglob
  awk -v n="$PARTITIONS" '
    /"last_offset"/ { gsub(/[^0-9]/, ""); next_offset[p] = $0 + 1 }
    /"committed_at"/ { sub(/^[^:]*: *"/, ""); sub(/".*$/, ""); if ($0 > last) last = $0 }
    END { for (i = 0; i < n; i++) printf "%d ", next_offset[i]; print last }' "${args[@]}" </dev/null
}
# behind "HIGHS" "STATE": how many records the lake has not landed yet
behind() {
  local -a high=($1) state=($2)
  local p total=0
  for ((p = 0; p < PARTITIONS; p++)); do total=$((total + high[p] - state[p])); done
  echo "$total"
}
# wait_landed LAKE TOPIC "HIGHS" TIMEOUT: until the lake covers every offset; prints the final lake state
wait_landed() {
  local state deadline
  deadline=$(($(date +%s) + $4))
  while :; do
    state=$(lake_state "$1" "$2")
    (($(behind "$3" "$state") <= 0)) && { echo "$state"; return 0; }
    (($(date +%s) < deadline)) || { echo "$state"; return 1; }
    kill -0 "$streaming_pid" 2>/dev/null || { echo "$state"; return 1; }
    sleep 0.2
  done
}

start_api() { # TOPIC
  # Keyless, as the original's traffic, and unthrottled: the benchmark measures the collector's own ceiling.
  ASPNETCORE_ENVIRONMENT=Production Collector__AllowAnonymous=true Collector__RateLimit__EventsPerSecond=0 ConnectionStrings__kafka=$KAFKA Kafka__Topic=$1 \
    dotnet "$API_DIR/GameAnalytics.Api.dll" --contentRoot "$API_DIR" --urls "$URL" >"$LOGS/api-$1.log" 2>&1 &
  api_pid=$!
  # The health endpoint exists only in Development: probe the route itself, which answers 200 once Kafka acks.
  for _ in $(seq 60); do
    curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$URL/purchase_a_sword" && return 0
    kill -0 "$api_pid" 2>/dev/null || break
    sleep 0.5
  done
  die_with_logs "the API did not answer 200"
}

start_streaming() { # TOPIC: lands it in $LOGS/lake-TOPIC, logging with UTC timestamps
  Logging__Console__TimestampFormat='yyyy-MM-ddTHH:mm:ss.fffZ ' Logging__Console__UseUtcTimestamp=true \
    DOTNET_ENVIRONMENT=Production ConnectionStrings__kafka=$KAFKA Lake__Root=$LOGS/lake-$1 \
    Streaming__Topic=$1 Streaming__GroupId=bench-landing-$1-$$ \
    dotnet "$STREAMING_DIR/GameAnalytics.Streaming.dll" --contentRoot "$STREAMING_DIR" --urls "http://127.0.0.1:$STREAMING_HTTP_PORT" \
    ${STREAMING_ARGS:-} >"$LOGS/streaming-$1.log" 2>&1 &
  streaming_pid=$!
  streaming_started=$(now)
}

wait_assigned() { # TOPIC: until Streaming has logged every partition's assignment; sets assigned_at (epoch)
  local log=$LOGS/streaming-$1.log
  for _ in $(seq 300); do
    (($(grep -c 'assigned: resuming at offset' "$log") >= PARTITIONS)) && break
    kill -0 "$streaming_pid" 2>/dev/null || die_with_logs "Streaming died while starting on $1"
    sleep 0.1
  done
  (($(grep -c 'assigned: resuming at offset' "$log") >= PARTITIONS)) || die_with_logs "Streaming was not assigned the $PARTITIONS partitions of $1 within 30 s"
  # The timestamp is on the line before the message: "2026-11-29T21:15:40.123Z info: ...LakeConsumerService[...]".
  assigned_at=$(iso_to_epoch "$(grep -m1 -B1 'assigned: resuming at offset' "$log" | head -1 | cut -d' ' -f1)")
}

start_sampler() { # PID FILE: RSS (MiB) and CPU ticks every 0.5 s while PID lives (at most 10 minutes)
  local start
  start=$(now)
  (
    for _ in $(seq 1200); do
      [[ -e /proc/$1/status ]] || break
      printf '%s %s %s\n' "$(sub "$(now)" "$start")" "$(status_mib "$1" VmRSS)" "$(cpu_ticks "$1")" >>"$2" 2>/dev/null || break
      sleep 0.5
    done
  ) &
  sampler_pid=$!
}
stop_sampler() { stop "$sampler_pid"; sampler_pid=''; }

# run_wrk NAME CONNECTIONS DURATION ARGS...: runs wrk with landing.lua, prints its BENCH json line
run_wrk() {
  local name=$1 connections=$2 duration=$3
  shift 3
  wrk -t1 -c"$connections" -d"$duration" --latency --timeout 10s -s "$BENCH/landing.lua" "$URL" -- "$@" >"$LOGS/wrk-$name.txt" 2>&1 \
    || die_with_logs "wrk failed during $name: $(tail -3 "$LOGS/wrk-$name.txt")"
  kill -0 "$api_pid" 2>/dev/null || die_with_logs "the API died during $name"
  grep '^BENCH ' "$LOGS/wrk-$name.txt" | cut -d' ' -f2-
}
# In a Streaming log: warnings and errors (the message is on the line after "<time> warn: <category>[id]"),
# DATA LOST lines, and compactions (the compactor runs every Compaction:Interval, 1 minute by default).
log_problems() { grep -cE '^[^ ]+ (warn|fail|crit):' "$1" || true; }
log_problem_lines() { grep -A1 -E '^[^ ]+ (warn|fail|crit):' "$1" | grep -v '^--$' | head -"$2" || true; }
data_lost() { grep -c 'DATA LOST' "$1" || true; }
compactions() { grep -c 'Compacted [0-9]* files' "$1" || true; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
failures=()

# Other work on the 2 cores skews every figure: note each second in which a build or a test run was going on.
FOREIGN='dotnet(\.dll)? (build|test|msbuild|restore)|MSBuild\.dll|vstest\.console|testhost|GameAnalytics\.Tests\.dll'
(
  for _ in $(seq 900); do
    count=$(pgrep -fc -- "$FOREIGN" || true)
    ((count == 0)) || echo "$(date +%s) $count" >>"$LOGS/foreign.txt"
    sleep 1
  done
) &
watcher_pid=$!
foreign_seconds() { # FROM TO (epochs): seconds in which a build or test process ran
  awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b { n++ } END { print n + 0 }' "$LOGS/foreign.txt" 2>/dev/null || echo 0
}

# --contentRoot: without it the apps read appsettings.json from the current directory, miss it, and log every request.
dotnet "$BROKER_DIR/GameAnalytics.DevBroker.dll" --contentRoot "$BROKER_DIR" --urls "http://127.0.0.1:$BROKER_HTTP_PORT" \
  --DevBroker:Port="$BROKER_PORT" --DevBroker:Topics:landing="$PARTITIONS" --DevBroker:Topics:steady="$PARTITIONS" \
  --DevBroker:Topics:fresh="$PARTITIONS" >"$LOGS/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 60); do port_open "$BROKER_PORT" && break; kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.5; done
port_open "$BROKER_PORT" || die_with_logs "the dev broker did not start"

# ---- 1. Landing throughput: a backlog of EVENTS events, landed by Streaming alone --------------------------------
echo "1/3 filling topic landing with $EVENTS events..." >&2
start_api landing
fill_requests=$(((EVENTS + 999) / 1000))
# wrk stops its thread after fill_requests answers and touches a file; SIGINT then ends wrk before its -d duration.
wrk -t1 -c"$FILL_CONNECTIONS" -d300s --latency --timeout 10s -s "$BENCH/landing.lua" "$URL" -- \
  mode=batch batch=1000 users="$USERS" max="$fill_requests" done="$LOGS/fill.done" >"$LOGS/wrk-fill.txt" 2>&1 &
wrk_pid=$!
for _ in $(seq 3000); do [[ -e $LOGS/fill.done ]] && break; kill -0 "$wrk_pid" 2>/dev/null || break; sleep 0.1; done
kill -INT "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" || die_with_logs "wrk failed during the fill: $(tail -3 "$LOGS/wrk-fill.txt")"
fill=$(grep '^BENCH ' "$LOGS/wrk-fill.txt" | cut -d' ' -f2-)
(($(failed_requests "$fill") == 0)) || failures+=("fill: $(failed_requests "$fill") requests failed")
api_rss_fill=$(status_mib "$api_pid" VmHWM)
stop "$api_pid"
api_pid=''
landing_offsets=$(offsets landing)
landing_low=$(field "$landing_offsets" low_sum)
landing_high=$(field "$landing_offsets" high_sum)
landing_events=$((landing_high - landing_low))
if ((landing_low > 0)); then
  failures+=("the broker dropped $landing_low of the $landing_high events before Streaming started (it keeps ~5 MiB per partition): lower EVENTS")
fi

echo "1/3 landing $landing_events events with Streaming alone..." >&2
load_landing=$(cut -d' ' -f1-3 /proc/loadavg)
landing_from=$(date +%s)
start_streaming landing
start_sampler "$streaming_pid" "$LOGS/rss-landing.txt"
wait_assigned landing
ticks_assigned=$(cpu_ticks "$streaming_pid")
landed_state=$(wait_landed "$LOGS/lake-landing" landing "$(highs "$landing_offsets")" "$LANDING_TIMEOUT") \
  || failures+=("landing: Streaming did not land every offset within ${LANDING_TIMEOUT}s (lake at: $landed_state)")
ticks_end=$(cpu_ticks "$streaming_pid")
landing_rss=$(status_mib "$streaming_pid" VmHWM)
landing_files=$(lake_files "$LOGS/lake-landing")
stop_sampler
landing_foreign=$(foreign_seconds "$landing_from" "$(date +%s)")
last_commit=$(commit_time "${landed_state##* }")
first_commit=$(commit_time "$({ grep -h '"committed_at"' "$LOGS"/lake-landing/_streaming/landing/p*/000000000000.json 2>/dev/null || true; } | cut -d'"' -f4 | sort | head -1)")
landing_wall=$(sub "$last_commit" "$assigned_at")
landing_wall_total=$(sub "$last_commit" "$streaming_started")
landing_cpu=$(awk -v t="$((ticks_end - ticks_assigned))" -v hz="$TICKS" 'BEGIN { printf "%.2f", t / hz }')
landing_cpu_total=$(awk -v t="$ticks_end" -v hz="$TICKS" 'BEGIN { printf "%.2f", t / hz }')
landing_rate=$(div "$landing_events" "$landing_wall")
landing_per_cpu=$(div "$landing_events" "$landing_cpu")
landing_cores=$(awk -v c="$landing_cpu" -v w="$landing_wall" 'BEGIN { printf "%.2f", c / w }')
stop "$streaming_pid"
streaming_pid=''
# Exactly once: the rows in the lake's files (DuckDB) against the offsets Kafka held.
landing_rows=$(field "$(timeout 120 dotnet run "$BENCH/freshness.cs" -- "$LOGS/lake-landing" 2>>"$LOGS/freshness.log")" events)
[[ $landing_rows == "$landing_events" ]] || failures+=("landing: the lake holds ${landing_rows:-?} rows for $landing_events events in Kafka")

# ---- 2. Memory at a steady STEADY_RATE events/s, API and Streaming together -------------------------------------
steady_rps=$(awk -v r="$STEADY_RATE" -v b="$STEADY_BATCH" 'BEGIN { print r / b }')
echo "2/3 $STEADY_RATE events/s ($steady_rps req/s x $STEADY_BATCH) for $STEADY_DURATION through API and Streaming..." >&2
load_steady=$(cut -d' ' -f1-3 /proc/loadavg)
steady_from=$(date +%s)
start_api steady
start_streaming steady
start_sampler "$streaming_pid" "$LOGS/rss-steady.txt"
wait_assigned steady
steady=$(run_wrk steady "$STEADY_CONNECTIONS" "$STEADY_DURATION" mode=batch batch="$STEADY_BATCH" users="$USERS" rate="$steady_rps")
steady_stopped=$(now)
steady_offsets=$(offsets steady)
steady_lag_at_stop=$(behind "$(highs "$steady_offsets")" "$(lake_state "$LOGS/lake-steady" steady)")
steady_state=$(wait_landed "$LOGS/lake-steady" steady "$(highs "$steady_offsets")" "$CATCHUP_TIMEOUT") \
  || failures+=("steady: Streaming had not landed everything ${CATCHUP_TIMEOUT}s after the load stopped")
steady_caught_up=$(sub "$(commit_time "${steady_state##* }")" "$steady_stopped")
steady_kept_up=$(awk -v c="$steady_caught_up" -v w="$KEPT_UP_WITHIN" 'BEGIN { print (c <= w ? "true" : "false") }')
[[ $(behind "$(highs "$steady_offsets")" "$steady_state") == 0 ]] || steady_kept_up=false
steady_rss=$(status_mib "$streaming_pid" VmHWM)
steady_files=$(lake_files "$LOGS/lake-steady")
steady_rss_end=$(status_mib "$streaming_pid" VmRSS)
steady_cpu=$(awk -v t="$(cpu_ticks "$streaming_pid")" -v hz="$TICKS" 'BEGIN { printf "%.2f", t / hz }')
api_rss_steady=$(status_mib "$api_pid" VmHWM)
stop_sampler
steady_foreign=$(foreign_seconds "$steady_from" "$(date +%s)")
steady_events=$(field "$steady_offsets" high_sum)
steady_achieved=$(div "$(($(field "$steady" requests) * STEADY_BATCH))" "$(field "$steady" duration_s)")
(($(failed_requests "$steady") == 0)) || failures+=("steady: $(failed_requests "$steady") requests failed")
stop "$streaming_pid"
streaming_pid=''
stop "$api_pid"
api_pid=''

# ---- 3. Freshness at FRESH_RATE events/s --------------------------------------------------------------------------
if ((FRESH_BATCH == 1)); then
  fresh_args=(mode=game users="$USERS" rate="$FRESH_RATE")
  fresh_load="$FRESH_RATE single events/s (GET /purchase_a_sword), $FRESH_CONNECTIONS conns, $FRESH_DURATION"
else
  fresh_args=(mode=batch batch="$FRESH_BATCH" users="$USERS" rate="$(awk -v r="$FRESH_RATE" -v b="$FRESH_BATCH" 'BEGIN { print r / b }')")
  fresh_load="$FRESH_RATE events/s in batches of $FRESH_BATCH, $FRESH_CONNECTIONS conns, $FRESH_DURATION"
fi
echo "3/3 freshness at $fresh_load..." >&2
load_fresh=$(cut -d' ' -f1-3 /proc/loadavg)
fresh_from=$(date +%s)
start_api fresh
start_streaming fresh
start_sampler "$streaming_pid" "$LOGS/rss-fresh.txt"
wait_assigned fresh
run_wrk fresh-warmup "$FRESH_CONNECTIONS" "$FRESH_WARMUP" "${fresh_args[@]}" >/dev/null # JIT, connections, first commits
fresh_since=$(date -u +%FT%T.%3NZ)
fresh=$(run_wrk fresh "$FRESH_CONNECTIONS" "$FRESH_DURATION" "${fresh_args[@]}")
fresh_offsets=$(offsets fresh)
fresh_state=$(wait_landed "$LOGS/lake-fresh" fresh "$(highs "$fresh_offsets")" "$CATCHUP_TIMEOUT") \
  || failures+=("fresh: Streaming had not landed everything ${CATCHUP_TIMEOUT}s after the load stopped")
fresh_rss=$(status_mib "$streaming_pid" VmHWM)
fresh_files=$(lake_files "$LOGS/lake-fresh")
stop_sampler
fresh_foreign=$(foreign_seconds "$fresh_from" "$(date +%s)")
(($(failed_requests "$fresh") == 0)) || failures+=("fresh: $(failed_requests "$fresh") requests failed")
stop "$streaming_pid"
streaming_pid=''
stop "$api_pid"
api_pid=''
freshness=$(timeout 120 dotnet run "$BENCH/freshness.cs" -- "$LOGS/lake-fresh" "$fresh_since" 2>>"$LOGS/freshness.log") \
  || failures+=("freshness.cs failed: $(tail -3 "$LOGS/freshness.log")")
fresh_expected=$(($(field "$fresh" requests) * FRESH_BATCH))
broker_rss=$(status_mib "$broker_pid" VmHWM)

# ---- Streaming's logs ----------------------------------------------------------------------------------------------
lost=0 problems=0 compacted=0
for topic in landing steady fresh; do
  lost=$((lost + $(data_lost "$LOGS/streaming-$topic.log")))
  problems=$((problems + $(log_problems "$LOGS/streaming-$topic.log")))
  compacted=$((compacted + $(compactions "$LOGS/streaming-$topic.log")))
done
((lost == 0)) || failures+=("Streaming logged DATA LOST $lost times")

rss_series() { awk '{ printf "%s[%.1f,%d]", (NR > 1 ? "," : ""), $1, $2 }' "$1"; } # [seconds, MiB]
json_string() { sed 's/\\/\\\\/g; s/"/\\"/g' <<<"$1" | tr -d '\n'; }
failure_list=''
for failure in "${failures[@]}"; do failure_list+="${failure_list:+,}\"$(json_string "$failure")\""; done

date=${BENCH_DATE:-$(date -u +%F)}
mkdir -p "$BENCH/results"
json=$BENCH/results/landing-$date.json
cat >"$json" <<EOF
{
  "benchmark": "landing",
  "time": "$(date -u +%FT%TZ)",
  "commit": "$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)",
  "uncommitted_changes": $(git -C "$ROOT" diff --quiet HEAD 2>/dev/null && echo false || echo true),
  "streaming_built_at": "$(date -u -r "$STREAMING_DIR/GameAnalytics.Streaming.dll" +%FT%TZ)",
  "machine": { "cpus": $(nproc), "load_average_at_start": "$load_start", "dotnet": "$(dotnet --version)", "wrk": "$(wrk -v 2>&1 | head -1 | cut -d' ' -f2)", "clk_tck": $TICKS },
  "settings": { "events": $EVENTS, "users": $USERS, "partitions": $PARTITIONS, "fill_connections": $FILL_CONNECTIONS,
    "steady_rate": $STEADY_RATE, "steady_batch": $STEADY_BATCH, "steady_duration": "$STEADY_DURATION", "steady_connections": $STEADY_CONNECTIONS,
    "fresh_rate": $FRESH_RATE, "fresh_batch": $FRESH_BATCH, "fresh_duration": "$FRESH_DURATION", "fresh_warmup": "$FRESH_WARMUP", "fresh_connections": $FRESH_CONNECTIONS,
    "streaming_flush_events": "${Streaming__FlushEvents:-100000 (default)}", "streaming_flush_interval": "${Streaming__FlushInterval:-00:00:00.5 (default)}",
    "streaming_args": "$(json_string "${STREAMING_ARGS:-}")" },
  "landing": {
    "load_average": "$load_landing",
    "seconds_with_a_foreign_build_or_test": $landing_foreign,
    "fill": $fill,
    "kafka": $landing_offsets,
    "events": $landing_events,
    "rows_in_lake": ${landing_rows:-null},
    "wall_s_from_assignment": $landing_wall,
    "wall_s_from_process_start": $landing_wall_total,
    "wall_s_from_first_commit": $(sub "$last_commit" "$first_commit"),
    "events_per_s": $landing_rate,
    "cpu_s": $landing_cpu,
    "cpu_s_including_startup": $landing_cpu_total,
    "events_per_cpu_s": $landing_per_cpu,
    "cores_used": $landing_cores,
    "streaming_peak_rss_mib": $landing_rss,
    "files_landed": $landing_files,
    "streaming_rss_mib_series": [$(rss_series "$LOGS/rss-landing.txt")]
  },
  "steady": {
    "load_average": "$load_steady",
    "seconds_with_a_foreign_build_or_test": $steady_foreign,
    "wrk": $steady,
    "events_per_s_sent": $steady_achieved,
    "events_in_kafka": $steady_events,
    "lag_events_when_load_stopped": $steady_lag_at_stop,
    "last_commit_s_after_load_stopped": $steady_caught_up,
    "kept_up": $steady_kept_up,
    "streaming_peak_rss_mib": $steady_rss,
    "streaming_rss_mib_at_end": $steady_rss_end,
    "streaming_cpu_s": $steady_cpu,
    "files_landed": $steady_files,
    "streaming_rss_mib_series": [$(rss_series "$LOGS/rss-steady.txt")],
    "api_peak_rss_mib": $api_rss_steady
  },
  "freshness": {
    "load_average": "$load_fresh",
    "seconds_with_a_foreign_build_or_test": $fresh_foreign,
    "load": "$(json_string "$fresh_load")",
    "wrk": $fresh,
    "since": "$fresh_since",
    "events_sent": $fresh_expected,
    "events_in_kafka": $(field "$fresh_offsets" high_sum),
    "result": ${freshness:-null},
    "files_landed": $fresh_files,
    "streaming_peak_rss_mib": $fresh_rss
  },
  "api_peak_rss_mib_fill": $api_rss_fill,
  "broker_peak_rss_mib": $broker_rss,
  "streaming_log_warnings_and_errors": $problems,
  "streaming_data_lost_lines": $lost,
  "streaming_compactions": $compacted,
  "failures": [$failure_list]
}
EOF

echo
echo "| measure | load | result |"
echo "| --- | --- | --- |"
echo "| landing throughput, Kafka to committed Parquet | backlog of $landing_events events in $PARTITIONS partitions, Streaming alone | **$landing_rate events/s** wall ($landing_wall s from partition assignment to the last commit; $landing_wall_total s from process start) |"
echo "| landing CPU | same | **$landing_per_cpu events per CPU-second** ($landing_cpu CPU-s, $landing_cores cores on average; $landing_cpu_total CPU-s with start-up) |"
echo "| Streaming peak RSS, landing the backlog | same | **$landing_rss MiB** ($landing_files files) |"
echo "| Streaming peak RSS at a steady rate | $steady_achieved events/s sent ($steady_rps req/s x $STEADY_BATCH), API + Streaming, $STEADY_DURATION | **$steady_rss MiB** (RSS $steady_rss_end MiB at the end; $steady_cpu CPU-s; $steady_files files) |"
echo "| kept up at that rate | same | **$([[ $steady_kept_up == true ]] && echo yes || echo no)**: lag $steady_lag_at_stop events when the load stopped; the last commit, covering all $steady_events offsets, $steady_caught_up s after it |"
echo "| freshness (committed_at - received_at) | $fresh_load, API + Streaming | **p50 $(field "$freshness" p50_ms) ms, p99 $(field "$freshness" p99_ms) ms**, max $(field "$freshness" max_ms) ms over $(field "$freshness" events) events ($fresh_expected sent; $fresh_files files) |"
echo
echo "Load average at start: $load_start; before each step: landing $load_landing, steady $load_steady, freshness $load_fresh ($(nproc) CPUs, shared with wrk, the API and the broker)."
if ((landing_foreign + steady_foreign + fresh_foreign > 0)); then
  echo "NOISY: a build or test run shared the CPUs for ${landing_foreign}s of the landing step, ${steady_foreign}s of the steady step and ${fresh_foreign}s of the freshness step."
fi
echo "Broker peak RSS $broker_rss MiB; API peak RSS $api_rss_fill MiB (fill), $api_rss_steady MiB (steady)."
echo "Streaming logs: $problems warnings/errors, $lost DATA LOST, $compacted compactions (Compaction:Interval; they compete for the CPU)."
echo "Freshness per commit: its oldest event had waited p50 $(field "$freshness" commit_oldest_p50_ms) ms (the flush interval and" \
  "the delay to reach Streaming), its newest p50 $(field "$freshness" commit_newest_p50_ms) ms (about the delay from received_at to Streaming's consumer)."
for topic in landing steady fresh; do
  if (($(log_problems "$LOGS/streaming-$topic.log") > 0)); then
    echo "--- streaming-$topic.log, first warnings/errors:"
    log_problem_lines "$LOGS/streaming-$topic.log" 10
  fi
done
echo "Results: $json (wrk output and app logs: $LOGS)"
if ((${#failures[@]} > 0)); then
  printf 'FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
