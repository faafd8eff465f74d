"""Compacts the lake's closed dt partitions in HDFS: Spark rewrites a past day's small files into a new folder and
switches the partition's location in the Hive metastore, so readers see the old files or the new, never both.

Why only closed days: the stream processor keeps writing today's folder; switching it would hide files still landing.
A day's own folder (<lake>/<table>/dt=D) stays where the stream processor writes; files that land there after the
switch (a late backlog) are merged at the next run. The replaced files are deleted only after a retention, so queries
that listed them before the switch still finish.

Run by run.sh on a schedule; every setting comes from the environment (see settings())."""

import json
import math
import os
import sys
import uuid
from datetime import datetime, timedelta, timezone

from compaction_plan import Partition, compaction_record, plan_compaction, plan_deletions

SOURCES = "_sources.json"  # hidden from every engine: the day's own files this folder holds, and when it took over


def settings():
    return {
        "lake": os.environ.get("LAKE_LOCATION", "hdfs://namenode:8020/lake").rstrip("/"),
        "schema": os.environ.get("COMPACTION_SCHEMA", "default"),
        "closed_after_days": int(os.environ.get("COMPACTION_CLOSED_AFTER_DAYS", "1")),
        "min_files": int(os.environ.get("COMPACTION_MIN_FILES", "8")),
        "target_file_bytes": int(os.environ.get("COMPACTION_TARGET_FILE_MB", "256")) * 1024 * 1024,
        "retention": timedelta(minutes=int(os.environ.get("COMPACTION_RETENTION_MINUTES", "60"))),
    }


class Hdfs:
    """The Hadoop FileSystem API through Spark's JVM: the same client, configuration and user as Spark's own reads."""

    def __init__(self, spark, location):
        self._jvm = spark.sparkContext._jvm
        conf = spark.sparkContext._jsc.hadoopConfiguration()
        self._fs = self._jvm.org.apache.hadoop.fs.Path(location).getFileSystem(conf)

    def _path(self, location):
        return self._jvm.org.apache.hadoop.fs.Path(location)

    def visible_files(self, folder):
        """Parquet files an engine reads in the folder: not hidden, as Hive, Presto and Spark skip _ and . names."""
        if not self._fs.exists(self._path(folder)):
            return {}
        return {
            status.getPath().getName(): status.getLen()
            for status in self._fs.listStatus(self._path(folder))
            if status.isFile() and status.getPath().getName().endswith(".parquet")
            and not status.getPath().getName().startswith(("_", "."))
        }

    def folders(self, folder):
        if not self._fs.exists(self._path(folder)):
            return []
        return [status.getPath().toString() for status in self._fs.listStatus(self._path(folder)) if status.isDirectory()]

    def read_text(self, location):
        if not self._fs.exists(self._path(location)):
            return None
        stream = self._fs.open(self._path(location))
        try:
            return self._jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8")
        finally:
            stream.close()

    def write_text(self, location, text):
        stream = self._fs.create(self._path(location), False)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def delete(self, location, recursive=False):
        self._fs.delete(self._path(location), recursive)


def partition_location(spark, schema, table, dt):
    rows = spark.sql(f"DESCRIBE FORMATTED `{schema}`.`{table}` PARTITION (dt='{dt}')").collect()
    return next(row.data_type for row in rows if row.col_name.strip() == "Location").strip()


def read(spark, schema_columns, paths):
    # The table's schema, not each file's: files landed before a column was added read it as null. No partition
    # discovery: inputs from the day's folder and a compacted folder would look like two conflicting layouts.
    return spark.read.schema(schema_columns).option("recursiveFileLookup", "true").parquet(*paths)


def compact(spark, hdfs, config, table, schema_columns, plan, now):
    """Writes the plan's inputs into a new folder, checks every row is there, then switches the partition to it."""
    run_folder = f"{config['lake']}/{table}/_compacted/dt={plan.dt}/{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    frame = read(spark, schema_columns, plan.inputs)
    rows = frame.count()
    files = max(1, math.ceil(plan.input_bytes / config["target_file_bytes"]))
    frame.repartition(files).write.parquet(run_folder)
    written = read(spark, schema_columns, [run_folder]).count()
    if written != rows:
        hdfs.delete(run_folder, recursive=True)
        raise RuntimeError(f"{table} dt={plan.dt}: wrote {written} rows of {rows}; the partition is left as it was")

    hdfs.write_text(f"{run_folder}/{SOURCES}", json.dumps({"sources": sorted(plan.sources), "switched_at": now.isoformat()}))
    spark.sql(f"ALTER TABLE `{config['schema']}`.`{table}` PARTITION (dt='{plan.dt}') SET LOCATION '{run_folder}'")
    record_id, record = compaction_record(table, plan.dt, plan.sources, run_folder[len(config["lake"]) + 1:], now)
    hdfs.write_text(f"{config['lake']}/{table}/_compactions/{record_id}.json", record)
    print(f"compacted {table} dt={plan.dt}: {len(plan.inputs)} files, {rows} rows -> {files} file(s) in {run_folder}", flush=True)


def partition_dates(spark, config, table):
    return [row[0].split("=", 1)[1] for row in spark.sql(f"SHOW PARTITIONS `{config['schema']}`.`{table}`").collect()]


def describe(spark, hdfs, config, table, dt):
    """One partition as the metastore and HDFS see it now."""
    home = f"{config['lake']}/{table}/dt={dt}"
    location = partition_location(spark, config["schema"], table, dt).rstrip("/")
    current = hdfs.read_text(f"{location}/{SOURCES}") if location != home else None
    return Partition(
        dt=dt,
        home=home,
        location=location,
        home_files=hdfs.visible_files(home),
        location_files=hdfs.visible_files(location) if location != home else {},
        compacted_sources=set(json.loads(current)["sources"]) if current else None,
    )


def compacted_folders(hdfs, config, table, dt):
    result = {}
    for folder in hdfs.folders(f"{config['lake']}/{table}/_compacted/dt={dt}"):
        text = hdfs.read_text(f"{folder}/{SOURCES}")
        if text:
            state = json.loads(text)
            result[folder] = (set(state["sources"]), datetime.fromisoformat(state["switched_at"]))
    return result


def run(spark, config, now):
    hdfs = Hdfs(spark, config["lake"])
    today = now.date()
    failures = 0
    for table in [row.tableName for row in spark.sql(f"SHOW TABLES IN `{config['schema']}`").collect()]:
        columns = spark.table(f"`{config['schema']}`.`{table}`").schema
        file_columns = type(columns)([field for field in columns.fields if field.name != "dt"])
        for dt in partition_dates(spark, config, table):
            try:
                partition = describe(spark, hdfs, config, table, dt)
                plan = plan_compaction(partition, today, config["closed_after_days"], config["min_files"])
                if plan:
                    compact(spark, hdfs, config, table, file_columns, plan, now)
                    partition = describe(spark, hdfs, config, table, dt)
                for location in plan_deletions(partition, compacted_folders(hdfs, config, table, dt), now, config["retention"]):
                    hdfs.delete(location, recursive=True)
                    print(f"deleted {location}: replaced more than {config['retention']} ago", flush=True)
            except Exception as error:  # one partition's failure leaves it as it was; the others go on
                failures += 1
                print(f"compacting {table} dt={dt} failed: {error}", file=sys.stderr, flush=True)
    return failures


if __name__ == "__main__":
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.appName("gameanalytics-compaction")
               .config("spark.sql.session.timeZone", "UTC")
               # The stream processor writes millisecond timestamps; Spark's default would be the legacy INT96.
               .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS")
               .enableHiveSupport().getOrCreate())
    try:
        sys.exit(1 if run(session, settings(), datetime.now(timezone.utc)) else 0)
    finally:
        session.stop()
