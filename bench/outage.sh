#!/usr/bin/env bash
# Benchmarks a dev broker outage under steady load: the collector (GameAnalytics.Api), the stream processor
# (GameAnalytics.Streaming) and the dev broker run as separate processes on this machine, and bench/outage sends
# RATE events/s (POST /v1/events, BATCH events per request, each with its own event_id, no retries).
#   1. freeze: the broker is frozen (SIGSTOP) from FREEZE_AT to THAW_AT s into a DURATION s load, then resumed
#      (SIGCONT). Measured: what the clients got while it was frozen (a 2xx then would be an event Kafka cannot
#      hold), the collector's peak RSS, how soon after SIGCONT it accepted again (without a restart), and whether
#      every accepted event landed in the lake.
#   2. graceful-stop: the broker gets SIGTERM TERM_AT s into the load, and is started again on the same port as
#      soon as it has exited. Measured: how long it took to exit, the downtime, what the clients got meanwhile,
#      recovery, and how many accepted events never landed (the target is 0: a graceful stop should refuse new
#      records and wait, bounded, until Streaming has landed what it holds; a broker without that loses them).
#   3. streaming-stop: the stream processor is killed (SIGKILL) STOP_AT s into a STOP_DURATION s load of STOP_RATE
#      events/s and started again STOP_FOR s later. The broker holds at most 5 MiB per partition: it must refuse
#      (503) rather than evict an accepted event. Measured: what the clients got, and whether every accepted event
#      landed once.
#   4. kills: under KILL_RATE events/s for KILL_DURATION s, the stream processor is killed (SIGKILL) every KILL_EVERY s
#      and started again at once, and the collector is killed and restarted at 1/3 and 2/3 of the load. Measured:
#      every accepted event landed once.
#   5. instances: two Streaming instances share the partitions under INSTANCES_RATE events/s; each is frozen
#      (SIGSTOP) for FROZEN_FOR s, past its 6 s session, in turn, then resumed. Measured: every accepted event landed
#      once, and neither instance stopped.
# Each phase has its own topic (freeze, graceful, stopped, kills, instances), collector, Streaming process and lake; one
# consumer group for all.
# Prints a Markdown table and writes bench/results/outage-<UTC date>.json.
# Exits 1 if an accepted event is missing from the lake, a 5xx other than 503 was answered, the collector went over
# RSS_LIMIT_MIB, or it accepted nothing within RECOVER_WITHIN s of the broker's return (SIGCONT, or the restart).
#
# Overrides: RATE=5000 BATCH=100 CONNECTIONS=300 DURATION=60 FREEZE_AT=15 THAW_AT=45 TERM_AT=15 USERS=1000
#            PARTITIONS=12 REQUEST_TIMEOUT=15 LANDING_TIMEOUT=90 SETTLE=20 RSS_LIMIT_MIB=300 RECOVER_WITHIN=10
#            BROKER_STOP_TIMEOUT=60 PHASES="freeze graceful-stop streaming-stop kills instances" COMPACTION=false
#            STOP_RATE=10000 STOP_DURATION=100 STOP_AT=15 STOP_FOR=60 KILL_RATE=12000 KILL_DURATION=80 KILL_EVERY=9
#            STREAMING_RECOVER_WITHIN=30 INSTANCES_RATE=5000 INSTANCES_DURATION=75 FROZEN_FOR=12
#            API_PORT=15400 BROKER_PORT=19492 BROKER_HTTP_PORT=15492 STREAMING_HTTP_PORT=15493 SKIP_BUILD=1 KEEP_LAKES=1
set -euo pipefail

RATE=${RATE:-5000}
BATCH=${BATCH:-100}
# At most this many requests outstanding. While the broker is down each request waits out the delivery timeout
# (5 s), so keeping RATE/BATCH requests/s on schedule takes about 5 x 50 = 250 of them: above the collector's
# Collector:MaxConcurrentRequests (256), so that its limit is exercised too.
CONNECTIONS=${CONNECTIONS:-300}
DURATION=${DURATION:-60}
FREEZE_AT=${FREEZE_AT:-15}
THAW_AT=${THAW_AT:-45}
TERM_AT=${TERM_AT:-15}
USERS=${USERS:-1000}
PARTITIONS=${PARTITIONS:-12}
REQUEST_TIMEOUT=${REQUEST_TIMEOUT:-15} # longer than the collector's 5 s delivery timeout (+5 s guard): a 503, not a hang
LANDING_TIMEOUT=${LANDING_TIMEOUT:-90} # after the load, how long to wait for the lake to land every accepted event
SETTLE=${SETTLE:-20}                   # ...or until no new file has been committed for this long
RSS_LIMIT_MIB=${RSS_LIMIT_MIB:-300}
RECOVER_WITHIN=${RECOVER_WITHIN:-10}
BROKER_STOP_TIMEOUT=${BROKER_STOP_TIMEOUT:-60}
PHASES=${PHASES:-freeze graceful-stop streaming-stop kills instances}
INSTANCES_RATE=${INSTANCES_RATE:-5000}
INSTANCES_DURATION=${INSTANCES_DURATION:-75}
FROZEN_FOR=${FROZEN_FOR:-12}
STOP_RATE=${STOP_RATE:-10000}
STOP_DURATION=${STOP_DURATION:-100}
STOP_AT=${STOP_AT:-15}
STOP_FOR=${STOP_FOR:-60}
KILL_RATE=${KILL_RATE:-12000}
KILL_DURATION=${KILL_DURATION:-80}
KILL_EVERY=${KILL_EVERY:-9}
STREAMING_RECOVER_WITHIN=${STREAMING_RECOVER_WITHIN:-30}
# Compaction off by default: it merges files and drops duplicate event_ids, which would hide duplicates the
# landing made, and it competes for the 2 cores. The verifier reads compacted lakes correctly either way.
COMPACTION=${COMPACTION:-false}
API_PORT=${API_PORT:-15400}
BROKER_PORT=${BROKER_PORT:-19492}
BROKER_HTTP_PORT=${BROKER_HTTP_PORT:-15492}
STREAMING_HTTP_PORT=${STREAMING_HTTP_PORT:-15493}

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
LOGS=$(mktemp -d /tmp/outage-bench.XXXXXX)
# One consumer group for both phases (each on its own topic): the one a broker stop waits for, over all its topics.
GROUP=bench-outage-$$
started_at=$(date +%s)

command -v jq >/dev/null || { apt-get update && apt-get install -y jq; }

for port in "$API_PORT" "$BROKER_PORT" "$BROKER_HTTP_PORT" "$STREAMING_HTTP_PORT"; do
  if port_open "$port"; then echo "port $port is already in use; set API_PORT/BROKER_PORT/BROKER_HTTP_PORT/STREAMING_HTTP_PORT" >&2; exit 1; fi
done

if [[ -z ${SKIP_BUILD:-} ]]; then
  echo "building into $ARTIFACTS..." >&2
  for project in GameAnalytics.Api GameAnalytics.DevBroker GameAnalytics.Streaming; do
    dotnet build "$ROOT/$project/$project.csproj" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >"$LOGS/build-$project.log" 2>&1 \
      || { tail -30 "$LOGS/build-$project.log" >&2; exit 1; }
  done
  # The file-based helper (DuckDB), built now rather than on first use in a measured step.
  dotnet build "$BENCH/outage" -nologo -v q >"$LOGS/build-outage.log" 2>&1 || { tail -30 "$LOGS/build-outage.log" >&2; exit 1; }
fi

api_pid='' broker_pid='' streaming_pid='' sampler_pid='' load_pid='' first_pid='' second_pid=''
stop() { # PID: SIGTERM, then SIGKILL after 15 s
  [[ -n $1 ]] || return 0
  kill "$1" 2>/dev/null || return 0
  timeout 15 tail --pid="$1" -f /dev/null || kill -9 "$1" 2>/dev/null || true
}
stop_load() { # `dotnet run` starts the helper as its child: stop that child first, by its parent's pid
  [[ -n $load_pid ]] || return 0
  local child
  for child in $(pgrep -P "$load_pid" || true); do stop "$child"; done
  stop "$load_pid"
}
cleanup() {
  # A stopped process would hold SIGTERM until it is resumed: resume it first.
  for pid in $broker_pid $first_pid $second_pid; do kill -CONT "$pid" 2>/dev/null || true; done
  stop_load
  for pid in $sampler_pid $api_pid $streaming_pid $second_pid $broker_pid; do stop "$pid"; done
  [[ -n ${KEEP_LAKES:-} ]] || rm -rf "$LOGS"/lake-*
}
trap cleanup EXIT

die_with_logs() {
  echo "$1; logs in $LOGS" >&2
  for log in "$LOGS"/broker*.log "$LOGS"/api-*.log "$LOGS"/streaming-*.log; do
    [[ -e $log ]] || continue
    echo "--- $(basename "$log") (last 30 lines)" >&2
    tail -30 "$log" >&2
  done
  exit 1
}

epoch_ms() { date +%s%3N; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
status_mib() { awk -v k="$2:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo null; }
q() { jq -r "$2" <<<"$1"; } # JSON FILTER
statuses() { q "$1" "$2.by_status | to_entries | map(\"\\(.key): \\(.value)\") | join(\", \")"; } # JSON PATH: "202: 10, 503: 4"
or_none() { [[ -n $1 && $1 != null ]] && echo "$1 s" || echo never; }
more_than() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
outage() { dotnet run --no-build --project "$BENCH/outage" -- "$@"; }

# start_broker LOG: the dev broker on BROKER_PORT with both topics. After a stop, the port can stay taken for a
# moment (the broker exits with code 2 then): try again, up to 30 times. Sets broker_pid and broker_ready_ms.
broker_starts=0
start_broker() {
  local attempt
  for attempt in $(seq 30); do
    broker_starts=$((broker_starts + 1))
    # --contentRoot: without it the apps read appsettings.json from the current directory, miss it, and log every request.
    dotnet "$BROKER_DIR/GameAnalytics.DevBroker.dll" --contentRoot "$BROKER_DIR" --urls "http://127.0.0.1:$BROKER_HTTP_PORT" \
      --DevBroker:Port="$BROKER_PORT" --DevBroker:Topics:freeze="$PARTITIONS" --DevBroker:Topics:graceful="$PARTITIONS" \
      --DevBroker:Topics:stopped="$PARTITIONS" --DevBroker:Topics:kills="$PARTITIONS" --DevBroker:Topics:instances="$PARTITIONS" \
      --DevBroker:DrainGroup="$GROUP" \
      >>"$1" 2>&1 &
    broker_pid=$!
    while kill -0 "$broker_pid" 2>/dev/null; do
      port_open "$BROKER_PORT" && { broker_ready_ms=$(epoch_ms); return 0; }
      sleep 0.05
    done
    wait "$broker_pid" 2>/dev/null || true
    sleep 0.2
  done
  die_with_logs "the dev broker did not start"
}

start_api() { # TOPIC
  # Keyless, as the original's traffic, and unthrottled: the outage is under test, not the rate limit.
  ASPNETCORE_ENVIRONMENT=Production Collector__AllowAnonymous=true Collector__RateLimit__EventsPerSecond=0 \
    ConnectionStrings__kafka=$KAFKA Kafka__Topic=$1 \
    dotnet "$API_DIR/GameAnalytics.Api.dll" --contentRoot "$API_DIR" --urls "$URL" >>"$LOGS/api-$1.log" 2>&1 &
  api_pid=$!
  # The health endpoint exists only in Development: probe the route itself, which answers 200 once Kafka acks.
  # (The probes' events land too: the verifier counts them among extra_landed.)
  for _ in $(seq 60); do
    curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$URL/purchase_a_sword" && return 0
    kill -0 "$api_pid" 2>/dev/null || break
    sleep 0.5
  done
  die_with_logs "the API did not answer 200"
}

start_streaming() { # TOPIC: lands it in $LOGS/lake-TOPIC; returns once it has every partition (also when restarted)
  local log=$LOGS/streaming-$1.log before=0
  [[ ! -e $log ]] || before=$(log_count "$log" 'assigned: resuming at offset')
  Logging__Console__TimestampFormat='yyyy-MM-ddTHH:mm:ss.fffZ ' Logging__Console__UseUtcTimestamp=true \
    DOTNET_ENVIRONMENT=Production ConnectionStrings__kafka=$KAFKA Lake__Root=$LOGS/lake-$1 \
    Streaming__Topic=$1 Streaming__GroupId=$GROUP Compaction__Enabled=$COMPACTION \
    dotnet "$STREAMING_DIR/GameAnalytics.Streaming.dll" --contentRoot "$STREAMING_DIR" --urls "http://127.0.0.1:$STREAMING_HTTP_PORT" \
    >>"$log" 2>&1 &
  streaming_pid=$!
  for _ in $(seq 300); do
    (($(log_count "$log" 'assigned: resuming at offset') - before >= PARTITIONS)) && return 0
    kill -0 "$streaming_pid" 2>/dev/null || die_with_logs "Streaming died while starting on $1"
    sleep 0.1
  done
  die_with_logs "Streaming was not assigned the $PARTITIONS partitions of $1 within 30 s"
}

start_sampler() { # PID FILE: "<s since start> <VmRSS MiB>" every 0.5 s while PID lives (at most 10 minutes)
  local start
  start=$(epoch_ms)
  (
    for _ in $(seq 1200); do
      [[ -e /proc/$1/status ]] || break
      printf '%s %s\n' "$(seconds $(($(epoch_ms) - start)))" "$(status_mib "$1" VmRSS)" >>"$2" 2>/dev/null || break
      sleep 0.5
    done
  ) &
  sampler_pid=$!
}
stop_sampler() { stop "$sampler_pid"; sampler_pid=''; }
sampled_peak() { [[ -e $1 ]] || { echo 0; return; }; awk '$2 > max { max = $2 } END { print max + 0 }' "$1"; }

start_load() { # TOPIC [RATE DURATION]: in the background; the helper's per-second lines go to the terminal and to a log
  rm -f "$LOGS/started-$1"
  outage load --url "$URL" --rate "${2:-$RATE}" --batch "$BATCH" --connections "$CONNECTIONS" --duration "${3:-$DURATION}" \
    --users "$USERS" --timeout "$REQUEST_TIMEOUT" --accepted "$LOGS/accepted-$1.txt" --requests "$LOGS/requests-$1.csv" \
    --started "$LOGS/started-$1" >"$LOGS/load-$1.json" 2> >(tee "$LOGS/load-$1.log" >&2) &
  load_pid=$!
  for _ in $(seq 600); do
    [[ -s $LOGS/started-$1 ]] && { load_started_ms=$(cat "$LOGS/started-$1"); return 0; }
    kill -0 "$load_pid" 2>/dev/null || break
    sleep 0.05
  done
  die_with_logs "the load generator did not start: $(tail -5 "$LOGS/load-$1.log")"
}
at() { # SECONDS: sleeps until that long after the load's start
  local wait=$((load_started_ms + $1 * 1000 - $(epoch_ms)))
  ((wait <= 0)) || sleep "$(seconds "$wait")"
}
wait_load() { # TOPIC: until the load has ended (not in $(...): the load is this shell's child, not a subshell's)
  wait "$load_pid" || die_with_logs "the load generator failed: $(tail -5 "$LOGS/load-$1.log")"
  load_pid=''
}

verify() { # TOPIC: waits (bounded) for the lake to land every accepted event, then prints the verifier's JSON
  timeout $((LANDING_TIMEOUT + 120)) dotnet run --no-build --project "$BENCH/outage" -- verify --lake "$LOGS/lake-$1" --accepted "$LOGS/accepted-$1.txt" \
    --wait "$LANDING_TIMEOUT" --settle "$SETTLE" 2>>"$LOGS/verify-$1.log"
}

log_count() { grep -cE "$2" "$1" || true; } # LOG REGEX
# In the apps' logs the message is on the line after "<level>: <category>[id]".
log_problems() { grep -cE '^(\S+ )?(warn|fail|crit):' "$1" || true; }
log_problem_lines() { grep -A1 -E '^(\S+ )?(warn|fail|crit):' "$1" | grep -vE '^(\S+ )?(warn|fail|crit):|^--$' | sed 's/^ *//' | sort | uniq -c | sort -rn | head -"$2" || true; }

failures=()
# check_phase PHASE RSS_MIB WHEN [RECOVER_S]: the pass/fail conditions of every phase, on $load, $lake and $timeline;
# RECOVER_S (default RECOVER_WITHIN) is how soon after WHEN the collector must accept again, "" for no such check
check_phase() {
  local within=${4-$RECOVER_WITHIN}
  local missing other first
  missing=$(q "$lake" .missing)
  other=$(q "$load" .server_errors_other_than_503)
  first=$(q "$timeline" .first_accepted_after_up_s)
  ((missing == 0)) || failures+=("$1: $missing accepted events are not in the lake")
  (($(q "$lake" .duplicates) == 0)) || failures+=("$1: $(q "$lake" .duplicates) event ids landed twice")
  ((other == 0)) || failures+=("$1: $other answers were a 5xx other than 503")
  ! more_than "$2" "$RSS_LIMIT_MIB" || failures+=("$1: the collector's RSS peaked at $2 MiB (limit $RSS_LIMIT_MIB)")
  if [[ -n $within ]] && { [[ $first == null ]] || more_than "$first" "$within"; }; then
    failures+=("$1: the collector accepted nothing within ${within}s of $3 (first accepted: $(or_none "$first"))")
  fi
}
# end_phase PHASE: once the load is over, the measures as variables; then stops the collector and Streaming
end_phase() {
  stop_sampler
  api_alive=$(kill -0 "$api_pid" 2>/dev/null && echo true || echo false)
  [[ $api_alive == true ]] || failures+=("$1: the collector died")
  api_rss=$(status_mib "$api_pid" VmHWM)
  api_rss_sampled=$(sampled_peak "$LOGS/rss-$1.txt")
  [[ $api_rss != null ]] || api_rss=$api_rss_sampled
  kill -0 "$streaming_pid" 2>/dev/null || failures+=("$1: Streaming died")
  echo "  waiting for the lake to land the accepted events (at most ${LANDING_TIMEOUT}s)..." >&2
  lake=$(verify "$1") || die_with_logs "verify failed: $(tail -5 "$LOGS/verify-$1.log")"
  streaming_rss=$(status_mib "$streaming_pid" VmHWM)
  load=$(cat "$LOGS/load-$1.json")
  stop "$api_pid"
  api_pid=''
  stop "$streaming_pid"
  streaming_pid=''
}
# phase_json PHASE: the JSON members both phases have
phase_json() {
  cat <<EOF
    "load": $load,
    "timeline": $timeline,
    "lake": $lake,
    "collector_alive_after": $api_alive,
    "collector_peak_rss_mib": $api_rss,
    "collector_peak_rss_mib_sampled": $api_rss_sampled,
    "collector_rss_mib_series": [$(awk '{ printf "%s[%s,%s]", (NR > 1 ? "," : ""), $1, $2 }' "$LOGS/rss-$1.txt")],
    "collector_log_warnings_and_errors": $(log_problems "$LOGS/api-$1.log"),
    "collector_producer_fatal_errors": $(log_count "$LOGS/api-$1.log" 'fatal: True'),
    "streaming_peak_rss_mib": $streaming_rss,
    "streaming_log_warnings_and_errors": $(log_problems "$LOGS/streaming-$1.log"),
    "streaming_new_log_warnings": $(log_count "$LOGS/streaming-$1.log" 'a new broker or topic'),
    "streaming_data_lost_lines": $(log_count "$LOGS/streaming-$1.log" 'DATA LOST')
EOF
}
# rows PHASE JSON: the Markdown rows both phases have
rows() {
  local j=$2
  echo "| $1 | load | $(q "$j" .load.events_sent) events sent in $(q "$j" .load.requests) requests ($(q "$j" .load.requests_skipped) skipped with $CONNECTIONS outstanding); answers: $(statuses "$j" .load); latency p50 $(q "$j" .load.latency_ms.p50) ms, p99 $(q "$j" .load.latency_ms.p99) ms, max $(q "$j" .load.latency_ms.max) ms |"
  echo "| $1 | events | $(q "$j" .load.accepted) accepted ($(q "$j" .load.accepted_in_503) of them in 503s), $(q "$j" .load.failed) failed, $(q "$j" .load.rejected) rejected, $(q "$j" .load.events_unanswered) unanswered (timeouts, connection errors) |"
  echo "| $1 | recovery | first accepted answer **$(or_none "$(q "$j" .timeline.first_accepted_after_up_s)")** after the broker was back; every request accepted whole when sent $(or_none "$(q "$j" .timeline.all_accepted_from_s)") after it or later |"
  echo "| $1 | accepted events per second | $(q "$j" '.load.per_second.accepted | map(tostring) | join(" ")') |"
  echo "| $1 | collector peak RSS | **$(q "$j" .collector_peak_rss_mib) MiB** (VmHWM; sampled every 0.5 s: $(q "$j" .collector_peak_rss_mib_sampled) MiB; limit $RSS_LIMIT_MIB); alive after: $(q "$j" .collector_alive_after); producer fatal errors logged: $(q "$j" .collector_producer_fatal_errors) |"
  echo "| $1 | accepted events in the lake | **$(q "$j" .lake.landed_of_accepted) of $(q "$j" .lake.accepted), missing $(q "$j" .lake.missing)**; landed though not accepted: $(q "$j" .lake.extra_landed); event ids landed twice: $(q "$j" .lake.duplicates) (waited $(q "$j" .lake.waited_s) s) |"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
start_broker "$LOGS/broker.log"
freeze_json=null graceful_json=null

# ---- 1. Freeze: SIGSTOP the broker for THAW_AT - FREEZE_AT s under load -------------------------------------
if [[ " $PHASES " == *" freeze "* ]]; then
  echo "1/2 freeze: $RATE events/s for ${DURATION}s, broker stopped (SIGSTOP) at ${FREEZE_AT}s, resumed (SIGCONT) at ${THAW_AT}s..." >&2
  start_streaming freeze
  start_api freeze
  start_sampler "$api_pid" "$LOGS/rss-freeze.txt"
  start_load freeze
  at "$FREEZE_AT"
  kill -STOP "$broker_pid"
  stop_ms=$(epoch_ms)
  echo "  broker stopped (SIGSTOP)" >&2
  at "$THAW_AT"
  kill -CONT "$broker_pid"
  cont_ms=$(epoch_ms)
  echo "  broker resumed (SIGCONT)" >&2
  wait_load freeze
  end_phase freeze
  timeline=$(outage timeline --requests "$LOGS/requests-freeze.csv" --down "$stop_ms" --up "$cont_ms") \
    || die_with_logs "the timeline of freeze failed"
  check_phase freeze "$api_rss" SIGCONT
  freeze_json=$(
    cat <<EOF
{
    "broker_stopped_ms": $stop_ms,
    "broker_resumed_ms": $cont_ms,
$(phase_json freeze)
  }
EOF
  )
fi

# ---- 2. Graceful stop: SIGTERM the broker under load, start it again once it has exited -----------------------
if [[ " $PHASES " == *" graceful-stop "* ]]; then
  echo "2/2 graceful-stop: $RATE events/s for ${DURATION}s, broker stopped (SIGTERM) at ${TERM_AT}s and started again once it exited..." >&2
  kill -0 "$broker_pid" 2>/dev/null || die_with_logs "the dev broker died"
  start_streaming graceful
  start_api graceful
  start_sampler "$api_pid" "$LOGS/rss-graceful.txt"
  start_load graceful
  at "$TERM_AT"
  old_broker=$broker_pid
  kill -TERM "$old_broker"
  term_ms=$(epoch_ms)
  echo "  broker stopping (SIGTERM)" >&2
  broker_killed=false
  if ! timeout "$BROKER_STOP_TIMEOUT" tail --pid="$old_broker" -f /dev/null; then
    broker_killed=true
    kill -9 "$old_broker" 2>/dev/null || true
  fi
  broker_exit=0
  wait "$old_broker" 2>/dev/null || broker_exit=$?
  exit_ms=$(epoch_ms)
  starts_before=$broker_starts
  start_broker "$LOGS/broker-restarted.log"
  restart_attempts=$((broker_starts - starts_before))
  echo "  broker exited after $(seconds $((exit_ms - term_ms))) s (code $broker_exit), listening again after $(seconds $((broker_ready_ms - term_ms))) s" >&2
  wait_load graceful
  end_phase graceful
  timeline=$(outage timeline --requests "$LOGS/requests-graceful.csv" --down "$term_ms" --up "$broker_ready_ms" --term-exit "$exit_ms") \
    || die_with_logs "the timeline of graceful failed"
  check_phase graceful-stop "$api_rss" "the broker's restart"
  [[ $broker_killed == false ]] || failures+=("graceful-stop: the broker had not exited ${BROKER_STOP_TIMEOUT}s after SIGTERM (killed)")
  graceful_json=$(
    cat <<EOF
{
    "broker_term_ms": $term_ms,
    "broker_exited_ms": $exit_ms,
    "broker_exit_code": $broker_exit,
    "broker_killed_after_timeout": $broker_killed,
    "broker_exit_s": $(seconds $((exit_ms - term_ms))),
    "broker_listening_again_ms": $broker_ready_ms,
    "broker_start_attempts": $restart_attempts,
    "downtime_s": $(seconds $((broker_ready_ms - term_ms))),
$(phase_json graceful)
  }
EOF
  )
fi
# ---- 3. The stream processor away for STOP_FOR s under STOP_RATE events/s --------------------------------------
stopped_json=null kills_json=null instances_json=null
if [[ " $PHASES " == *" streaming-stop "* ]]; then
  echo "3/4 streaming-stop: $STOP_RATE events/s for ${STOP_DURATION}s, Streaming killed (SIGKILL) at ${STOP_AT}s, started again ${STOP_FOR}s later..." >&2
  kill -0 "$broker_pid" 2>/dev/null || die_with_logs "the dev broker died"
  start_streaming stopped
  start_api stopped
  start_sampler "$api_pid" "$LOGS/rss-stopped.txt"
  start_load stopped "$STOP_RATE" "$STOP_DURATION"
  at "$STOP_AT"
  kill -9 "$streaming_pid"
  down_ms=$(epoch_ms)
  echo "  Streaming killed" >&2
  at $((STOP_AT + STOP_FOR))
  up_ms=$(epoch_ms)
  start_streaming stopped
  echo "  Streaming started again" >&2
  wait_load stopped
  end_phase stopped
  timeline=$(outage timeline --requests "$LOGS/requests-stopped.csv" --down "$down_ms" --up "$up_ms") \
    || die_with_logs "the timeline of streaming-stop failed"
  # Back, Streaming first waits out its killed instance's session (6 s), then lands the backlog the broker held.
  check_phase streaming-stop "$api_rss" "Streaming's restart" "$STREAMING_RECOVER_WITHIN"
  stopped_json=$(
    cat <<EOF
{
    "streaming_killed_ms": $down_ms,
    "streaming_started_ms": $up_ms,
$(phase_json stopped)
  }
EOF
  )
fi

# ---- 4. Kills: the stream processor every KILL_EVERY s, the collector twice, under KILL_RATE events/s -------------
if [[ " $PHASES " == *" kills "* ]]; then
  echo "4/4 kills: $KILL_RATE events/s for ${KILL_DURATION}s, Streaming killed (SIGKILL) every ${KILL_EVERY}s, the collector twice..." >&2
  kill -0 "$broker_pid" 2>/dev/null || die_with_logs "the dev broker died"
  start_streaming kills
  start_api kills
  start_sampler "$api_pid" "$LOGS/rss-kills.txt"
  start_load kills "$KILL_RATE" "$KILL_DURATION"
  streaming_kills=0 collector_kills=0
  for ((t = KILL_EVERY; t < KILL_DURATION - 5; t += KILL_EVERY)); do
    at "$t"
    kill -9 "$streaming_pid"
    streaming_kills=$((streaming_kills + 1))
    start_streaming kills
    if ((collector_kills < 2 && t >= (collector_kills + 1) * KILL_DURATION / 3)); then
      stop_sampler
      kill -9 "$api_pid"
      wait "$api_pid" 2>/dev/null || true
      collector_kills=$((collector_kills + 1))
      start_api kills
      start_sampler "$api_pid" "$LOGS/rss-kills.txt"
    fi
    echo "  $streaming_kills Streaming kills, $collector_kills collector kills" >&2
  done
  kills_up_ms=$(epoch_ms)
  wait_load kills
  end_phase kills
  timeline=$(outage timeline --requests "$LOGS/requests-kills.csv" --down "$kills_up_ms" --up "$kills_up_ms") \
    || die_with_logs "the timeline of kills failed"
  # Under kills every few seconds landing keeps falling behind, and the broker refuses for long stretches: no recovery bound.
  check_phase kills "$api_rss" "the last kill" ""
  kills_json=$(
    cat <<EOF
{
    "streaming_kills": $streaming_kills,
    "collector_kills": $collector_kills,
$(phase_json kills)
  }
EOF
  )
fi
# ---- 5. Two instances sharing the partitions, each frozen in turn past its session under INSTANCES_RATE events/s ----
instances_json=null
if [[ " $PHASES " == *" instances "* ]]; then
  echo "5/5 instances: $INSTANCES_RATE events/s for ${INSTANCES_DURATION}s over two Streaming instances, each frozen (SIGSTOP) for ${FROZEN_FOR}s in turn..." >&2
  kill -0 "$broker_pid" 2>/dev/null || die_with_logs "the dev broker died"
  start_streaming instances
  first_pid=$streaming_pid
  second_log=$LOGS/streaming-instances-2.log
  Logging__Console__TimestampFormat='yyyy-MM-ddTHH:mm:ss.fffZ ' Logging__Console__UseUtcTimestamp=true \
    DOTNET_ENVIRONMENT=Production ConnectionStrings__kafka=$KAFKA Lake__Root=$LOGS/lake-instances \
    Streaming__Topic=instances Streaming__GroupId=$GROUP Compaction__Enabled=$COMPACTION \
    dotnet "$STREAMING_DIR/GameAnalytics.Streaming.dll" --contentRoot "$STREAMING_DIR" --urls "http://127.0.0.1:$((STREAMING_HTTP_PORT + 1))" \
    >>"$second_log" 2>&1 &
  second_pid=$!
  for _ in $(seq 300); do
    (($(log_count "$second_log" 'assigned: resuming at offset') > 0)) && break
    sleep 0.1
  done
  (($(log_count "$second_log" 'assigned: resuming at offset') > 0)) || die_with_logs "the second Streaming instance got no partition within 30 s"
  start_api instances
  start_sampler "$api_pid" "$LOGS/rss-instances.txt"
  start_load instances "$INSTANCES_RATE" "$INSTANCES_DURATION"
  at 10
  kill -STOP "$first_pid"
  at $((10 + FROZEN_FOR))
  kill -CONT "$first_pid"
  echo "  first instance frozen for ${FROZEN_FOR}s and resumed" >&2
  at $((25 + FROZEN_FOR))
  kill -STOP "$second_pid"
  at $((25 + 2 * FROZEN_FOR))
  kill -CONT "$second_pid"
  thawed_ms=$(epoch_ms)
  echo "  second instance frozen for ${FROZEN_FOR}s and resumed" >&2
  wait_load instances
  kill -0 "$second_pid" 2>/dev/null || failures+=("instances: the second Streaming instance died")
  end_phase instances
  stop "$second_pid"
  timeline=$(outage timeline --requests "$LOGS/requests-instances.csv" --down "$thawed_ms" --up "$thawed_ms") \
    || die_with_logs "the timeline of instances failed"
  check_phase instances "$api_rss" "the second thaw" ""
  instances_json=$(
    cat <<EOF
{
    "frozen_for_s": $FROZEN_FOR,
    "second_instance_data_lost_lines": $(log_count "$second_log" 'DATA LOST'),
    "second_instance_log_warnings_and_errors": $(log_problems "$second_log"),
$(phase_json instances)
  }
EOF
  )
fi
broker_rss=$(status_mib "$broker_pid" VmHWM)

json_string() { sed 's/\\/\\\\/g; s/"/\\"/g' <<<"$1" | tr -d '\n'; }
failure_list=''
for failure in "${failures[@]}"; do failure_list+="${failure_list:+,}\"$(json_string "$failure")\""; done
date=${BENCH_DATE:-$(date -u +%F)}
mkdir -p "$BENCH/results"
json=$BENCH/results/outage-$date.json
jq . >"$json" <<EOF
{
  "benchmark": "outage",
  "time": "$(date -u +%FT%TZ)",
  "commit": "$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)",
  "uncommitted_changes": $(git -C "$ROOT" diff --quiet HEAD 2>/dev/null && echo false || echo true),
  "api_built_at": "$(date -u -r "$API_DIR/GameAnalytics.Api.dll" +%FT%TZ)",
  "machine": { "cpus": $(nproc), "load_average_at_start": "$load_start", "dotnet": "$(dotnet --version)" },
  "settings": { "rate": $RATE, "batch": $BATCH, "connections": $CONNECTIONS, "duration_s": $DURATION, "users": $USERS,
    "partitions": $PARTITIONS, "freeze_at_s": $FREEZE_AT, "thaw_at_s": $THAW_AT, "term_at_s": $TERM_AT,
    "request_timeout_s": $REQUEST_TIMEOUT, "landing_timeout_s": $LANDING_TIMEOUT, "settle_s": $SETTLE,
    "rss_limit_mib": $RSS_LIMIT_MIB, "recover_within_s": $RECOVER_WITHIN, "compaction": $COMPACTION,
    "stop_rate": $STOP_RATE, "stop_duration_s": $STOP_DURATION, "stop_at_s": $STOP_AT, "stop_for_s": $STOP_FOR,
    "kill_rate": $KILL_RATE, "kill_duration_s": $KILL_DURATION, "kill_every_s": $KILL_EVERY,
    "instances_rate": $INSTANCES_RATE, "instances_duration_s": $INSTANCES_DURATION, "frozen_for_s": $FROZEN_FOR },
  "freeze": $freeze_json,
  "graceful_stop": $graceful_json,
  "streaming_stop": $stopped_json,
  "kills": $kills_json,
  "instances": $instances_json,
  "broker_peak_rss_mib_last_process": $broker_rss,
  "wall_s": $(($(date +%s) - started_at)),
  "failures": [$failure_list]
}
EOF

echo
echo "| phase | measure | result |"
echo "| --- | --- | --- |"
if [[ $freeze_json != null ]]; then
  j=$freeze_json
  echo "| freeze | broker frozen | $(q "$j" .timeline.down_s) s (SIGSTOP at ${FREEZE_AT}s, SIGCONT at ${THAW_AT}s of ${DURATION}s at $RATE events/s in batches of $BATCH) |"
  echo "| freeze | answers while frozen | $(q "$j" .timeline.while_down.requests) requests: $(statuses "$j" .timeline.while_down); **$(q "$j" .timeline.accepted_answered_1s_after_down) events answered accepted more than 1 s into the freeze** ($(q "$j" .timeline.while_down.accepted) in the whole freeze) |"
  rows freeze "$j"
fi
if [[ $graceful_json != null ]]; then
  j=$graceful_json
  echo "| graceful-stop | broker stop | exited $(q "$j" .broker_exit_s) s after SIGTERM (code $(q "$j" .broker_exit_code)$([[ $(q "$j" .broker_killed_after_timeout) == true ]] && echo ', killed')); listening again **$(q "$j" .downtime_s) s** after SIGTERM ($(q "$j" .broker_start_attempts) start attempts) |"
  echo "| graceful-stop | answers between SIGTERM and exit | $(q "$j" .timeline.between_term_and_exit.requests) requests: $(statuses "$j" .timeline.between_term_and_exit); $(q "$j" .timeline.between_term_and_exit.accepted) events accepted |"
  echo "| graceful-stop | answers while down (SIGTERM to listening again) | $(q "$j" .timeline.while_down.requests) requests: $(statuses "$j" .timeline.while_down); $(q "$j" .timeline.while_down.accepted) events accepted |"
  rows graceful-stop "$j"
  echo "| graceful-stop | **accepted but never landed** | **$(q "$j" .lake.missing)** (target 0); Streaming noticed the new broker on $(q "$j" .streaming_new_log_warnings) partitions, logged DATA LOST $(q "$j" .streaming_data_lost_lines) times |"
fi
if [[ $stopped_json != null ]]; then
  j=$stopped_json
  echo "| streaming-stop | Streaming away | killed at ${STOP_AT}s, started again ${STOP_FOR}s later, of ${STOP_DURATION}s at $STOP_RATE events/s |"
  echo "| streaming-stop | answers while it was away | $(q "$j" .timeline.while_down.requests) requests: $(statuses "$j" .timeline.while_down); $(q "$j" .timeline.while_down.accepted) events accepted |"
  rows streaming-stop "$j"
  echo "| streaming-stop | DATA LOST | logged $(q "$j" .streaming_data_lost_lines) times |"
fi
if [[ $kills_json != null ]]; then
  j=$kills_json
  echo "| kills | kills | Streaming $(q "$j" .streaming_kills) times (SIGKILL, every ${KILL_EVERY}s), the collector $(q "$j" .collector_kills) times, in ${KILL_DURATION}s at $KILL_RATE events/s |"
  rows kills "$j"
  echo "| kills | DATA LOST | logged $(q "$j" .streaming_data_lost_lines) times |"
fi
if [[ $instances_json != null ]]; then
  j=$instances_json
  echo "| instances | freezes | two Streaming instances on one group; each frozen (SIGSTOP) for $(q "$j" .frozen_for_s) s in turn, in ${INSTANCES_DURATION}s at $INSTANCES_RATE events/s |"
  rows instances "$j"
  echo "| instances | DATA LOST | logged $(q "$j" .streaming_data_lost_lines) + $(q "$j" .second_instance_data_lost_lines) times |"
fi
echo
echo "Load average at start: $load_start ($(nproc) CPUs, shared by the load generator, the collector, Streaming and the broker). Wall time $(($(date +%s) - started_at)) s."
for phase in freeze graceful stopped kills instances; do
  for app in api streaming; do
    log=$LOGS/$app-$phase.log
    [[ -e $log ]] || continue
    if (($(log_problems "$log") > 0)); then
      echo "--- $app-$phase.log: $(log_problems "$log") warnings/errors, most frequent:"
      log_problem_lines "$log" 8
    fi
  done
done
echo "Results: $json (requests, accepted ids, load and app logs: $LOGS)"
if ((${#failures[@]} > 0)); then
  printf 'FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
