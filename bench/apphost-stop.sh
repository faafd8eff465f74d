#!/usr/bin/env bash
# Ctrl+C of the whole embedded topology under load, as the README runs it (`dotnet run --project GameAnalytics.AppHost`,
# Debug, dashboard on): bench/outage sends RATE events/s to the collector on :5000; STOP_AT s in, the AppHost's
# process group gets SIGTERM (a script's background jobs ignore SIGINT, so Ctrl+C itself cannot be sent; the AppHost
# stops the same way on both). Every service stops at once; the dev broker, the only
# copy of what is not landed yet, refuses new records and waits for the stream processor, which lands what it held.
# Then the lake, read with DuckDB, must hold every event the collector accepted.
# Prints one JSON line (load summary, stop time, verify) and exits 1 if an accepted event is missing.
#
# Overrides: RATE=2000 BATCH=100 CONNECTIONS=100 STOP_AT=20 DURATION=40 STOP_TIMEOUT=90
# Needs the ports the AppHost takes (5000, 8080, 9092, the dashboard's) free.
set -euo pipefail

RATE=${RATE:-2000}
BATCH=${BATCH:-100}
CONNECTIONS=${CONNECTIONS:-100}
STOP_AT=${STOP_AT:-20}
DURATION=${DURATION:-40}
STOP_TIMEOUT=${STOP_TIMEOUT:-90}

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$(mktemp -d /tmp/apphost-stop.XXXXXX)
URL=http://127.0.0.1:5000

dotnet build "$ROOT/GameAnalytics.AppHost" -nologo -v q >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; exit 1; }
dotnet build "$BENCH/outage" -nologo -v q >"$WORK/build-outage.log" 2>&1 || { tail -30 "$WORK/build-outage.log" >&2; exit 1; }

# Its own process group, so that the signal reaches `dotnet run` and the AppHost, as Ctrl+C would.
setsid dotnet run --no-build --project "$ROOT/GameAnalytics.AppHost" -- --DataDir "$WORK/data" >"$WORK/apphost.log" 2>&1 &
apphost=$!
trap 'kill -KILL -- -"$apphost" 2>/dev/null || true' EXIT

for _ in $(seq 180); do
  curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$URL/purchase_a_sword" && break
  sleep 1
done
curl -sf -o /dev/null -H 'Host: user1.datafun.com' "$URL/purchase_a_sword" || { tail -30 "$WORK/apphost.log" >&2; exit 1; }

dotnet run --no-build --project "$BENCH/outage" -- load --url "$URL" --rate "$RATE" --batch "$BATCH" --connections "$CONNECTIONS" \
  --duration "$DURATION" --accepted "$WORK/accepted.txt" >"$WORK/load.json" 2>"$WORK/load.log" &
load=$!

sleep "$STOP_AT"
stopped=$(date +%s.%N)
kill -TERM -- -"$apphost"
timeout "$STOP_TIMEOUT" tail --pid="$apphost" -f /dev/null || echo "the AppHost had not exited ${STOP_TIMEOUT}s after the signal" >&2
exited=$(date +%s.%N)
# The AppHost's children outlive it by a few seconds (design notes): wait for the broker to be gone too.
while pgrep -f GameAnalytics.DevBroker >/dev/null; do sleep 0.2; done
broker_gone=$(date +%s.%N)
wait "$load" || true

verify=$(dotnet run --no-build --project "$BENCH/outage" -- verify --lake "$WORK/data/lake" --accepted "$WORK/accepted.txt")
printf '{"apphost_exit_after_signal_s":%.1f,"broker_gone_after_signal_s":%.1f,"load":%s,"verify":%s,"work":"%s"}\n' \
  "$(echo "$exited - $stopped" | bc)" "$(echo "$broker_gone - $stopped" | bc)" "$(tail -1 "$WORK/load.json")" "$verify" "$WORK"
grep -q '"missing":0[,}]' <<<"$verify"
