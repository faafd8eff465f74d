#!/usr/bin/env bash
# The lake's compaction in HDFS: one Spark job every COMPACTION_INTERVAL_SECONDS, logs to the dashboard.
set -u
interval="${COMPACTION_INTERVAL_SECONDS:-3600}"
here="$(cd "$(dirname "$0")" && pwd)"
while true; do
  echo "compaction run starting at $(date -u +%FT%TZ)"
  /opt/spark/bin/spark-submit --master "local[2]" --py-files "$here/compaction_plan.py" "$here/compact_lake.py" \
    && echo "compaction run done" || echo "compaction run failed (exit $?); the next run starts over from the metastore's state"
  sleep "$interval"
done
