#!/usr/bin/env bash
# Tries the containers topology where Docker or Podman runs: starts `--Topology=containers` on volumes of its own,
# waits until every engine is ready, sends the original's traffic, asks the original's questions through Presto
# and through Spark SQL, prints the answers (66 %, 44 and 22: butterflies 2:1 over dragons), restarts without the
# stream processor to check the catalog kept its tables, then stops and removes its volumes. Exits non-zero on any
# difference. The steps are Tests/AppHost/ContainersTopologyTests, which CI runs wherever a runtime answers.
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=""
for candidate in docker podman; do
  if command -v "$candidate" >/dev/null && "$candidate" info >/dev/null 2>&1; then runtime=$candidate; break; fi
done
if [ -z "$runtime" ]; then
  echo "containers-smoke: no container runtime answers (docker info and podman info fail): nothing to try here." >&2
  exit 2
fi
echo "containers-smoke: $runtime $("$runtime" --version)"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test GameAnalytics.Tests --filter "FullyQualifiedName~GameAnalytics.Tests.AppHost.ContainersTopologyTests" \
  --logger "console;verbosity=detailed" 2>&1 | tee "$log" || status=$?

echo
echo "== Answers"
grep -E "Presto [0-9-]+, Spark SQL|butterflies to dragons|after a restart" "$log" | sed -E 's/^[[:space:]]+//' || true
if [ "$status" -ne 0 ] || ! grep -qE "^Passed!.*Passed: *1," "$log"; then
  echo "containers-smoke: FAILED (see above)" >&2
  exit 1
fi
echo "containers-smoke: the containers topology gives the original's answers"
