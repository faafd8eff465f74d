#!/usr/bin/env bash
# Where the stream processor's landing CPU goes: fills a topic of the dev broker with EVENTS events through the
# collector (as bench/landing.sh does), then lets GameAnalytics.Streaming land that backlog alone under `perf record`
# (cpu-clock samples of every thread, JIT'd code named through the runtime's perf map), and prints the CPU split by
# thread and by library, then the hottest symbols. Uses bench/landing.sh's Release build in bench/.artifacts.
#
# Overrides: EVENTS=800000 SECONDS_PROFILED=12 TOP=40 STREAMING_ENV='Streaming__FlushEvents=100000 DOTNET_TieredPGO=1'
#            API_PORT=15400 BROKER_PORT=19292 BROKER_HTTP_PORT=15392 STREAMING_HTTP_PORT=15393
set -euo pipefail

EVENTS=${EVENTS:-800000}
SECONDS_PROFILED=${SECONDS_PROFILED:-12}
TOP=${TOP:-40}
API_PORT=${API_PORT:-15400}
BROKER_PORT=${BROKER_PORT:-19292}
BROKER_HTTP_PORT=${BROKER_HTTP_PORT:-15392}
STREAMING_HTTP_PORT=${STREAMING_HTTP_PORT:-15393}

BENCH=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$BENCH/common.sh"
BIN=$BENCH/.artifacts/bin
OUT=$(mktemp -d /tmp/profile-landing.XXXXXX)
URL=http://127.0.0.1:$API_PORT

command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[[ -e $BIN/GameAnalytics.Streaming/release/GameAnalytics.Streaming.dll ]] || { echo "run bench/landing.sh once first: it builds bench/.artifacts" >&2; exit 1; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

dotnet "$BIN/GameAnalytics.DevBroker/release/GameAnalytics.DevBroker.dll" --contentRoot "$BIN/GameAnalytics.DevBroker/release" \
  --urls "http://127.0.0.1:$BROKER_HTTP_PORT" --DevBroker:Port="$BROKER_PORT" --DevBroker:Topics:landing=12 >"$OUT/broker.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do port_open "$BROKER_PORT" && break; sleep 0.5; done

ASPNETCORE_ENVIRONMENT=Production Collector__AllowAnonymous=true Collector__RateLimit__EventsPerSecond=0 ConnectionStrings__kafka=127.0.0.1:$BROKER_PORT \
  Kafka__Topic=landing dotnet "$BIN/GameAnalytics.Api/release/GameAnalytics.Api.dll" --contentRoot "$BIN/GameAnalytics.Api/release" --urls "$URL" >"$OUT/api.log" 2>&1 &
api=$!
pids+=("$api")
for _ in $(seq 60); do curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$URL/purchase_a_sword" && break; sleep 0.5; done
echo "filling topic landing with $EVENTS events..." >&2
wrk -t1 -c4 -d300s -s "$BENCH/landing.lua" "$URL" -- mode=batch batch=1000 users=1000 max=$(((EVENTS + 999) / 1000)) done="$OUT/fill.done" >"$OUT/wrk.txt" 2>&1 &
wrk=$!
for _ in $(seq 3000); do [[ -e $OUT/fill.done ]] && break; sleep 0.1; done
kill -INT "$wrk"; wait "$wrk" || true
kill "$api"; wait "$api" 2>/dev/null || true

echo "landing it under perf for ${SECONDS_PROFILED}s..." >&2
# The runtime writes /tmp/perf-<pid>.map; without W^X double mapping, perf can match JIT'd code to it.
env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ${STREAMING_ENV:-} DOTNET_ENVIRONMENT=Production \
  ConnectionStrings__kafka=127.0.0.1:$BROKER_PORT Lake__Root="$OUT/lake" Streaming__Topic=landing Streaming__GroupId=profile-$$ \
  dotnet "$BIN/GameAnalytics.Streaming/release/GameAnalytics.Streaming.dll" --contentRoot "$BIN/GameAnalytics.Streaming/release" \
  --urls "http://127.0.0.1:$STREAMING_HTTP_PORT" >"$OUT/streaming.log" 2>&1 &
streaming=$!
pids+=("$streaming")
perf record -e cpu-clock -F 499 -g -p "$streaming" -o "$OUT/perf.data" -- sleep "$SECONDS_PROFILED" >"$OUT/perf.log" 2>&1

report() { perf report -i "$OUT/perf.data" --no-children --stdio -g none "$@" 2>/dev/null | grep -v '^#' | grep -v '^$'; }
echo "## CPU by thread"; report --sort comm | head -12
echo "## CPU by library ([JIT] is managed code, libclrjit the JIT itself, libcoreclr the runtime and GC)"; report --sort dso | head -15
echo "## Hottest symbols"; report --sort dso,sym | head -"$TOP"
echo "perf data and logs: $OUT"
