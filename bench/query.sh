#!/usr/bin/env bash
# Benchmarks the query service (GameAnalytics.Query) over a lake of EVENTS events (default 10 million) of the
# original's shape: a 20,000,000-row result paged through (first page, peak RSS), the insight queries cold and warm,
# the first page of a count, and 20 concurrent clients.
# Prints one JSON line and writes bench/results/query-<UTC date>.json. Overrides: EVENTS, QUERY_PORT, SKIP_BUILD=1.
set -euo pipefail

EVENTS=${EVENTS:-10000000}
QUERY_PORT=${QUERY_PORT:-18080}
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
ARTIFACTS=$BENCH/.artifacts
QUERY_DIR=$ARTIFACTS/bin/GameAnalytics.Query/release
LAKE=$(mktemp -d /tmp/query-bench-lake.XXXXXX)
URL=http://127.0.0.1:$QUERY_PORT

if [[ -z ${SKIP_BUILD:-} ]]; then
  dotnet build "$ROOT/GameAnalytics.Query/GameAnalytics.Query.csproj" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >/dev/null
fi

query_pid=''
cleanup() { [[ -n $query_pid ]] && kill "$query_pid" 2>/dev/null; rm -rf "$LAKE"; }
trap cleanup EXIT

echo "generating $EVENTS events in $LAKE..." >&2
dotnet run "$BENCH/query.cs" -- generate "$LAKE" "$EVENTS"

ASPNETCORE_ENVIRONMENT=Production Lake__Root=$LAKE dotnet "$QUERY_DIR/GameAnalytics.Query.dll" --contentRoot "$QUERY_DIR" --urls "$URL" >/dev/null 2>&1 &
query_pid=$!
for _ in $(seq 60); do curl -sf -o /dev/null "$URL/insights/api/summary" && break; sleep 0.5; done

load=$(cut -d' ' -f1-3 /proc/loadavg)
# First the large result alone, so that the service's peak memory then is the large result's.
large=$(dotnet run "$BENCH/query.cs" -- large "$URL" "${LARGE_ROWS:-20000000}")
large_rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$query_pid/status")
result=$(dotnet run "$BENCH/query.cs" -- measure "$URL")
rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$query_pid/status")
mkdir -p "$BENCH/results"
json=$BENCH/results/query-${BENCH_DATE:-$(date -u +%F)}.json
printf '{"benchmark":"query","time":"%s","commit":"%s","events":%s,"machine":{"cpus":%s,"load_average_at_start":"%s"},"query_peak_rss_mib":%s,"large_result":%s,"large_result_peak_rss_mib":%s,"result":%s}\n' \
  "$(date -u +%FT%TZ)" "$(git -C "$ROOT" rev-parse HEAD)" "$EVENTS" "$(nproc)" "$load" "$rss" "$large" "$large_rss" "$result" | tee "$json"
