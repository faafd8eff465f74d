"""What a compaction run does to one dt partition, decided from listings alone (no Spark), so it can be tested."""

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Optional


@dataclass(frozen=True)
class Partition:
    dt: str
    home: str  # the day's own folder, where the stream processor writes
    location: str  # where the metastore points readers
    home_files: dict  # visible file name -> bytes, in home
    location_files: dict  # visible file name -> bytes, in location when it is a compacted folder
    compacted_sources: Optional[set]  # the home files the compacted location holds; None when not our folder


@dataclass(frozen=True)
class Plan:
    dt: str
    inputs: list  # every file to rewrite, full paths
    sources: set  # the home files the new folder holds
    input_bytes: int


def is_closed(dt, today, closed_after_days):
    """A day the stream processor no longer writes, except for a late backlog, which the next run merges."""
    return date.fromisoformat(dt) <= today - timedelta(days=closed_after_days)


def plan_compaction(partition, today, closed_after_days, min_files):
    if not is_closed(partition.dt, today, closed_after_days):
        return None

    if partition.location == partition.home:
        if len(partition.home_files) < min_files:
            return None
        return Plan(partition.dt, [f"{partition.home}/{name}" for name in sorted(partition.home_files)],
                    set(partition.home_files), sum(partition.home_files.values()))

    if partition.compacted_sources is None:
        return None  # a location someone else chose: not ours to rewrite

    late = {name: size for name, size in partition.home_files.items() if name not in partition.compacted_sources}
    if not late:
        return None
    inputs = [f"{partition.location}/{name}" for name in sorted(partition.location_files)]
    inputs += [f"{partition.home}/{name}" for name in sorted(late)]
    return Plan(partition.dt, inputs, partition.compacted_sources | set(late),
                sum(partition.location_files.values()) + sum(late.values()))


def plan_deletions(partition, compacted_folders, now, retention):
    """What may go: files and folders readers stopped seeing at least `retention` ago.

    compacted_folders maps each compacted folder of the day to (its sources, when it was written and switched)."""
    current = compacted_folders.get(partition.location)
    if current is None:
        return []
    sources, switched_at = current
    deletions = [folder for folder, (_, written_at) in sorted(compacted_folders.items())
                 if folder != partition.location and now - max(written_at, switched_at) >= retention]
    if now - switched_at >= retention:
        deletions += [f"{partition.home}/{name}" for name in sorted(sources) if name in partition.home_files]
    return deletions


def compaction_record(table, dt, sources, added, now):
    """The stream processor's compaction record (<table>/_compactions/<id>.json, paths relative to the lake): with it,
    its recovery knows these landed files were replaced, not lost, once they are deleted."""
    record_id = f"{now:%Y%m%dT%H%M%S}-spark-{uuid.uuid4().hex[:12]}"
    return record_id, json.dumps({
        "id": record_id,
        "table": table,
        "dt": dt,
        "removed": [f"{table}/dt={dt}/{name}" for name in sorted(sources)],
        "added": added,
        "committed_at": now.isoformat(),
    }, indent=2)
