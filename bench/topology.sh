#!/usr/bin/env bash
# Measures the whole embedded topology under load: the AppHost (Release) with the dashboard, DCP, the dev broker,
# the collector, the stream processor and the query service, loaded by `gamectl simulate` at RATE events/s in
# batches for DURATION. Samples every process of the AppHost's session each second and reports the peak of their
# summed RSS, the largest processes at that peak, what the simulator saw, and whether every accepted event is
# queryable through the Presto protocol afterwards.
# Writes bench/results/topology-<UTC date>.json. Needs ports 5000, 8080, 9092 and 15080 free (the AppHost's own).
#
# Overrides: RATE=20000 BATCH=100 USERS=10000 CONNECTIONS=8 DURATION=60s SKIP_BUILD=1
set -euo pipefail

RATE=${RATE:-20000}
BATCH=${BATCH:-100}
USERS=${USERS:-10000}
CONNECTIONS=${CONNECTIONS:-8}
DURATION=${DURATION:-60s}

BENCH=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$BENCH/common.sh"
ROOT=$(dirname "$BENCH")
LOGS=$(mktemp -d /tmp/topology-bench.XXXXXX)
DATA=$LOGS/data

for port in 5000 8080 9092 15080; do
  if port_open "$port"; then echo "port $port is already in use: stop the running AppHost first" >&2; exit 1; fi
done

if [[ -z ${SKIP_BUILD:-} ]]; then
  for project in GameAnalytics.AppHost GameAnalytics.Cli; do
    dotnet build "$ROOT/$project" -c Release -nologo -v q >"$LOGS/build-$project.log" 2>&1 || { tail -30 "$LOGS/build-$project.log" >&2; exit 1; }
  done
fi

apphost_pid=''
cleanup() {
  [[ -n $apphost_pid ]] || return 0
  kill -TERM -- "-$apphost_pid" 2>/dev/null || true
  timeout 30 tail --pid="$apphost_pid" -f /dev/null || kill -9 -- "-$apphost_pid" 2>/dev/null || true
}
trap cleanup EXIT

# Its own session, so that every process it starts (DCP, the dashboard, the services) can be found and stopped.
setsid dotnet run -c Release --no-build --project "$ROOT/GameAnalytics.AppHost" -- --DataDir="$DATA" >"$LOGS/apphost.log" 2>&1 &
apphost_pid=$!
started=$(date +%s.%N)
for _ in $(seq 240); do grep -q 'is ready' "$LOGS/apphost.log" && break; kill -0 "$apphost_pid" 2>/dev/null || break; sleep 0.5; done
grep -q 'is ready' "$LOGS/apphost.log" || { tail -40 "$LOGS/apphost.log" >&2; echo "the AppHost did not get ready; logs in $LOGS" >&2; exit 1; }
for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:8080/insights/api/summary" && break; sleep 0.5; done
ready_s=$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')

# The topology's processes: the AppHost's session, and the sessions DCP starts for itself and the services, found
# through DCP's --monitor links (each DCP process watches its parent by pid).
topology_processes() {
  ps -e -o pid=,sid=,rss=,args= | awk -v root="$apphost_pid" '
    { pid[NR] = $1; sid[NR] = $2; line[NR] = $0; if ($2 == root) kept[$2] = 1 }
    END {
      for (changed = 1; changed; ) {
        changed = 0
        for (i = 1; i <= NR; i++) {
          if (kept[sid[i]] || !match(line[i], /--monitor [0-9]+/)) continue
          watched = substr(line[i], RSTART + 10, RLENGTH - 10)
          for (j = 1; j <= NR; j++) if (pid[j] == watched && kept[sid[j]]) { kept[sid[i]] = 1; changed = 1 }
        }
      }
      for (i = 1; i <= NR; i++) if (kept[sid[i]]) print line[i]
    }'
}

# sample: one line per second, "<seconds> <summed RSS MiB> <summed PSS MiB> <pid:RSS MiB:name ...>". PSS shares each
# shared page (the .NET runtime's files, mostly) among the processes that map it, so its sum is what they take together.
sample() {
  local start=$1
  while kill -0 "$apphost_pid" 2>/dev/null; do
    topology_processes | awk -v t="$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')" '
      { name = $4
        for (i = 4; i <= NF; i++) if ($i ~ /GameAnalytics|dcp$|Dashboard/) { name = $i; break }
        n = split(name, parts, "/"); name = parts[n]; sub(/\.(csproj|dll)$/, "", name)
        if ($4 ~ /dotnet$/ && $5 == "run") name = "dotnet-run-for-" name
        if ($4 ~ /dcp$/) name = "dcp-" $5
        pss_file = "/proc/" $1 "/smaps_rollup"
        while ((getline row < pss_file) > 0) if (row ~ /^Pss:/) { split(row, f, " "); pss += f[2] }
        close(pss_file)
        sum += $3; procs = procs " " $1 ":" int($3 / 1024) ":" name }
      END { printf "%s %d %d%s\n", t, sum / 1024, pss / 1024, procs }' >>"$LOGS/rss.txt"
    sleep 1
  done
}
sample "$(date +%s.%N)" &
sampler_pid=$!

idle_mib=$(sleep 2; tail -1 "$LOGS/rss.txt" | cut -d' ' -f2)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
set +e
dotnet "$ROOT/GameAnalytics.Cli/bin/Release/net10.0/gamectl.dll" simulate --collector http://127.0.0.1:5000 --users "$USERS" --rate "$RATE" \
  --batch "$BATCH" --connections "$CONNECTIONS" --duration "$DURATION" --json "$LOGS/simulate.json" >"$LOGS/simulate.txt" 2>&1 </dev/null
simulate_exit=$?
set -e
sleep 3
kill "$sampler_pid" 2>/dev/null || true

accepted=$(grep -o '"accepted": *[0-9]*' "$LOGS/simulate.json" | head -1 | grep -o '[0-9]*$')
# Every accepted event must become queryable; the stream processor lands within seconds.
lake=0
for _ in $(seq 60); do
  lake=$(dotnet "$ROOT/GameAnalytics.Cli/bin/Release/net10.0/gamectl.dll" sql --server http://127.0.0.1:8080 \
    "select (select count(*) from sword_purchases) + (select count(*) from join_guilds) + (select count(*) from slay_dragons) + (select count(*) from catch_butterflies)" 2>/dev/null \
    | grep -Eo '^ *[0-9]+ *$' | tr -d ' ' | head -1)
  [[ ${lake:-0} -ge ${accepted:-0} ]] && break
  sleep 1
done

peak=$(sort -k2,2n "$LOGS/rss.txt" | tail -1)
peak_mib=$(cut -d' ' -f2 <<<"$peak")
peak_pss_mib=$(sort -k3,3n "$LOGS/rss.txt" | tail -1 | cut -d' ' -f3)
processes=$(cut -d' ' -f4- <<<"$peak" | tr ' ' '\n' | awk -F: 'NF == 3 && $2 >= 20 { printf "%s{\"pid\":%s,\"rss_mib\":%s,\"name\":\"%s\"}", (n++ ? "," : ""), $1, $2, $3 }')
mkdir -p "$BENCH/results"
json=$BENCH/results/topology-${BENCH_DATE:-$(date -u +%F)}.json
cat >"$json" <<JSON
{
  "benchmark": "topology",
  "time": "$(date -u +%FT%TZ)",
  "commit": "$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)",
  "machine": { "cpus": $(nproc), "memory_gib": $(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo), "load_average_at_start": "$load_start", "dotnet": "$(dotnet --version)" },
  "settings": { "load_tool": "gamectl simulate", "rate": $RATE, "batch": $BATCH, "users": $USERS, "connections": $CONNECTIONS, "duration": "$DURATION" },
  "ready_s": $ready_s,
  "idle_rss_mib": ${idle_mib:-0},
  "peak_rss_mib": ${peak_mib:-0},
  "peak_pss_mib": ${peak_pss_mib:-0},
  "processes_at_peak": [$processes],
  "simulate_exit_code": $simulate_exit,
  "simulate": $(cat "$LOGS/simulate.json" 2>/dev/null || echo null),
  "events_accepted": ${accepted:-0},
  "events_queryable": ${lake:-0}
}
JSON
echo "whole topology: ready in $ready_s s; RSS idle ${idle_mib} MiB, peak ${peak_mib} MiB (PSS ${peak_pss_mib} MiB) under $RATE events/s; accepted ${accepted:-0}, queryable ${lake:-0}"
echo "Results: $json (logs in $LOGS)"
[[ $simulate_exit -eq 0 && ${lake:-0} -ge ${accepted:-1} ]] || { echo "FAILED: the simulator exited $simulate_exit, or not every accepted event became queryable" >&2; exit 1; }
