#!/usr/bin/env bash
# The collector as users run it, beside the original app in the same run: the topology as the README starts it
# (`dotnet run --project GameAnalytics.AppHost`: Debug, the dashboard on, the stream processor landing) and the
# original Flask app (../shared/original-app, Debian's Flask and kafka-python) producing to the same dev broker.
# wrk loads each in turn with GET /purchase_a_sword (`-t2 -c50`, `Host: user1.datafun.com`, one fixed request as a plain
# wrk run sends it), ROUNDS times,
# then ours at half its rate for the latency a client sees. Also the CPU each process of the topology spent per
# request during our runs: where the time goes.
# Prints a Markdown table and writes bench/results/versus-original-<UTC date>.json. Exits 1 on a non-2xx or socket error.
#
# Overrides: DURATION=15s WARMUP=120s CONNECTIONS=50 ROUNDS=2 THREADS=2 RATE=<req/s> ORIGINAL_APP=<path to game_api.py>
# Needs the ports the AppHost takes (5000, 8080, 9092, the dashboard's) and 5001 free.
set -euo pipefail

DURATION=${DURATION:-15s}
# Five processes tier up their JIT under load: the first two minutes run at a half to a third of the steady rate.
WARMUP=${WARMUP:-120s}
CONNECTIONS=${CONNECTIONS:-50}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-$((CONNECTIONS * 2))}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
RATE=${RATE:-}

BENCH=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$BENCH/common.sh"
ROOT=$(dirname "$BENCH")
ORIGINAL_APP=${ORIGINAL_APP:-$(cd "$ROOT/.." && pwd)/shared/original-app/game_api.py}
WORK=$(mktemp -d /tmp/versus-original.XXXXXX)
OURS=http://127.0.0.1:5000
ORIGINAL=http://127.0.0.1:5001

[[ -f $ORIGINAL_APP ]] || { echo "the original app is not at $ORIGINAL_APP; set ORIGINAL_APP" >&2; exit 1; }
# Debian's Flask 2.2 and kafka-python 2.0.2, as the original app's README says; not another Python on the PATH.
if ! command -v wrk >/dev/null || [[ ! -x /usr/bin/flask ]] || ! /usr/bin/python3 -c 'import flask, kafka' 2>/dev/null; then
  apt-get update && apt-get install -y wrk python3-flask python3-kafka
fi

for port in 5000 5001 8080 9092; do
  if port_open "$port"; then echo "port $port is already in use: stop the running AppHost first" >&2; exit 1; fi
done

dotnet build "$ROOT/GameAnalytics.AppHost" -nologo -v q >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; exit 1; }

apphost='' original=''
cleanup() {
  [[ -z $original ]] || kill "$original" 2>/dev/null || true
  [[ -n $apphost ]] || return 0
  kill -TERM -- "-$apphost" 2>/dev/null || true
  timeout 60 tail --pid="$apphost" -f /dev/null || kill -KILL -- "-$apphost" 2>/dev/null || true
}
trap cleanup EXIT

# Its own session, as topology.sh does, so that its processes can be found and stopped.
setsid dotnet run --no-build --project "$ROOT/GameAnalytics.AppHost" -- --DataDir="$WORK/data" >"$WORK/apphost.log" 2>&1 &
apphost=$!
for _ in $(seq 180); do
  curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$OURS/purchase_a_sword" && break
  kill -0 "$apphost" 2>/dev/null || break
  sleep 1
done
curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$OURS/purchase_a_sword" || { tail -30 "$WORK/apphost.log" >&2; echo "the topology did not start; logs in $WORK" >&2; exit 1; }

KAFKA_BOOTSTRAP=127.0.0.1:9092 FLASK_APP=$ORIGINAL_APP /usr/bin/flask run --host 127.0.0.1 --port 5001 >"$WORK/original.log" 2>&1 &
original=$!
for _ in $(seq 60); do curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$ORIGINAL/purchase_a_sword" && break; sleep 0.5; done
curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$ORIGINAL/purchase_a_sword" || { tail -30 "$WORK/original.log" >&2; exit 1; }

# cpu_ticks: "<pid> <name> <user+system ticks>" for every process of the topology and wrk; names as the dashboard shows them.
cpu_ticks() {
  for stat in /proc/[0-9]*/stat; do
    local pid=${stat#/proc/} args
    pid=${pid%/stat}
    args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
    local name
    case $args in
      *GameAnalytics.AppHost*) name=apphost ;;
      *GameAnalytics.Api*) name=api ;;
      *GameAnalytics.Streaming*) name=streaming ;;
      *GameAnalytics.DevBroker*) name=kafka ;;
      *GameAnalytics.Query*) name=query ;;
      *Aspire.Dashboard*) name=dashboard ;;
      *dcp*) name=dcp ;;
      wrk*) name=wrk ;;
      *) continue ;;
    esac
    awk -v pid="$pid" -v name="$name" '{ sub(/^.*\) /, ""); print pid, name, $12 + $13 }' "$stat" 2>/dev/null || true
  done
}

# run NAME URL CONNECTIONS DURATION [RATE]: runs wrk, prints its BENCH json line.
run() {
  local name=$1 url=$2 connections=$3 duration=$4
  shift 4
  wrk -t"$THREADS" -c"$connections" -d"$duration" --latency --timeout 10s -H "Host: user1.datafun.com" -s "$BENCH/wrk-fixed.lua" \
    "$url/purchase_a_sword" -- "$@" >"$WORK/$name.txt" 2>&1 \
    || { echo "wrk failed during $name: $(tail -3 "$WORK/$name.txt"); logs in $WORK" >&2; exit 1; }
  grep '^BENCH ' "$WORK/$name.txt" | cut -d' ' -f2-
}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

run warmup-ours "$OURS" "$CONNECTIONS" "$WARMUP" >/dev/null # JIT, connection pools, the dashboard's first traces
run warmup-original "$ORIGINAL" "$CONNECTIONS" 5s >/dev/null
ours=() originals=()
: >"$WORK/cpu.txt"
for round in $(seq "$ROUNDS"); do
  cpu_ticks >"$WORK/cpu-before-$round.txt"
  ours+=("$(run "ours-$round" "$OURS" "$CONNECTIONS" "$DURATION")")
  cpu_ticks >"$WORK/cpu-after-$round.txt"
  # Ticks per process over the run, and the requests it served.
  awk 'NR == FNR { before[$1] = $3; next } { print $2, $3 - before[$1] }' "$WORK/cpu-before-$round.txt" "$WORK/cpu-after-$round.txt" >>"$WORK/cpu.txt"
  echo "requests $(field "${ours[-1]}" requests)" >>"$WORK/cpu.txt"
  originals+=("$(run "original-$round" "$ORIGINAL" "$CONNECTIONS" "$DURATION")")
done
mean_rps() { local sum=0; for result in "$@"; do sum=$(awk -v s="$sum" -v r="$(field "$result" rps)" 'BEGIN { print s + r }'); done; awk -v s="$sum" -v n=$# 'BEGIN { printf "%.0f", s / n }'; }
ours_rps=$(mean_rps "${ours[@]}")
original_rps=$(mean_rps "${originals[@]}")
ratio=$(awk -v a="$ours_rps" -v b="$original_rps" 'BEGIN { printf "%.1f", a / b }')
rate=${RATE:-$((ours_rps / 2))}
paced=$(run ours-half "$OURS" "$RATE_CONNECTIONS" "$DURATION" "$(awk -v r="$rate" -v t="$THREADS" 'BEGIN { print r / t }')")

# CPU microseconds per request, per process (100 ticks a second), over all our max-rate runs.
cpu_json=$(awk '$1 == "requests" { requests += $2; next } { ticks[$1] += $2 }
  END { for (name in ticks) printf "%s\"%s\":%.0f", (n++ ? "," : ""), name, ticks[name] * 10000 / requests }' "$WORK/cpu.txt")

failures=$(failed_requests "${ours[@]}" "${originals[@]}" "$paced")

date=${BENCH_DATE:-$(date -u +%F)}
mkdir -p "$BENCH/results"
json=$BENCH/results/versus-original-$date.json
join() { local IFS=,; echo "$*"; }
cat >"$json" <<EOF
{
  "benchmark": "versus-original",
  "time": "$(date -u +%FT%TZ)",
  "commit": "$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)",
  "uncommitted_changes": $(git -C "$ROOT" diff --quiet HEAD 2>/dev/null && echo false || echo true),
  "machine": { "cpus": $(nproc), "load_average_at_start": "$load_start", "dotnet": "$(dotnet --version)", "wrk": "$(wrk -v 2>&1 | head -1 | cut -d' ' -f2)" },
  "settings": { "duration": "$DURATION", "warmup": "$WARMUP", "connections": $CONNECTIONS, "rate_connections": $RATE_CONNECTIONS, "rounds": $ROUNDS, "wrk_threads": $THREADS, "topology": "dotnet run --project GameAnalytics.AppHost (Debug, dashboard on)" },
  "ours_rps": $ours_rps,
  "original_rps": $original_rps,
  "ratio": $ratio,
  "ours": [$(join "${ours[@]}")],
  "original": [$(join "${originals[@]}")],
  "ours_half_rate": ${paced%\}},"target_rps":$rate},
  "cpu_us_per_request": {$cpu_json},
  "failed_requests": $failures
}
EOF

echo
echo "| app | load | throughput | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- |"
for i in "${!ours[@]}"; do
  printf '| ours, round %d | %s conns, %s | %s req/s | %s | %s |\n' $((i + 1)) "$CONNECTIONS" "$DURATION" "$(field "${ours[i]}" rps)" "$(field "${ours[i]}" p50_ms)" "$(field "${ours[i]}" p99_ms)"
  printf '| original, round %d | %s conns, %s | %s req/s | %s | %s |\n' $((i + 1)) "$CONNECTIONS" "$DURATION" "$(field "${originals[i]}" rps)" "$(field "${originals[i]}" p50_ms)" "$(field "${originals[i]}" p99_ms)"
done
printf '| ours, half rate | %s req/s, %s conns | %s req/s | %s | %s |\n' "$rate" "$RATE_CONNECTIONS" "$(field "$paced" rps)" "$(field "$paced" p50_ms)" "$(field "$paced" p99_ms)"
echo
echo "Ours $ours_rps req/s, the original $original_rps req/s: $ratio times. CPU µs per request: $cpu_json"
echo "Results: $json (wrk output and logs: $WORK)"
if ((failures > 0)); then
  echo "FAILED: $failures requests were not 2xx or hit a socket error/timeout." >&2
  exit 1
fi
