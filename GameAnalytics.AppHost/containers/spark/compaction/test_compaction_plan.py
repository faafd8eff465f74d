import unittest
from datetime import date, datetime, timedelta, timezone

from compaction_plan import Partition, plan_compaction, plan_deletions

LAKE = "hdfs://namenode:8020/lake/join_guilds"
HOME = f"{LAKE}/dt=2026-12-03"
RUN1 = f"{LAKE}/_compacted/dt=2026-12-03/20261205T000000Z-a"
RUN2 = f"{LAKE}/_compacted/dt=2026-12-03/20261205T010000Z-b"
TODAY = date(2026, 12, 5)
NOW = datetime(2026, 12, 5, 3, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


def landed(count, first=0):
    return {f"p{i % 12:03d}-{i:012d}-0-9.parquet": 1000 for i in range(first, first + count)}


def at_home(files):
    return Partition("2026-12-03", HOME, HOME, files, {}, None)


class PlanCompactionTests(unittest.TestCase):
    def test_a_closed_day_with_enough_files_is_rewritten_whole(self):
        plan = plan_compaction(at_home(landed(8)), TODAY, 1, 8)
        self.assertEqual(8, len(plan.inputs))
        self.assertEqual(set(landed(8)), plan.sources)
        self.assertEqual(8000, plan.input_bytes)

    def test_today_and_days_not_yet_closed_are_left_alone(self):
        for dt, closed_after in (("2026-12-05", 1), ("2026-12-04", 2)):
            partition = Partition(dt, HOME, HOME, landed(50), {}, None)
            self.assertIsNone(plan_compaction(partition, TODAY, closed_after, 8))
        self.assertIsNotNone(plan_compaction(Partition("2026-12-04", HOME, HOME, landed(50), {}, None), TODAY, 1, 8))

    def test_few_files_are_not_worth_a_run(self):
        self.assertIsNone(plan_compaction(at_home(landed(7)), TODAY, 1, 8))

    def test_files_landed_after_the_switch_are_merged_with_the_compacted_ones(self):
        compacted = set(landed(8))
        partition = Partition("2026-12-03", HOME, RUN1, landed(10), {"part-0.parquet": 5000}, compacted)
        plan = plan_compaction(partition, TODAY, 1, 8)
        self.assertEqual([f"{RUN1}/part-0.parquet"] + [f"{HOME}/{name}" for name in sorted(set(landed(10)) - compacted)], plan.inputs)
        self.assertEqual(set(landed(10)), plan.sources)

    def test_a_compacted_day_with_nothing_late_is_left_alone(self):
        partition = Partition("2026-12-03", HOME, RUN1, landed(8), {"part-0.parquet": 5000}, set(landed(8)))
        self.assertIsNone(plan_compaction(partition, TODAY, 1, 8))

    def test_a_location_someone_else_chose_is_not_rewritten(self):
        partition = Partition("2026-12-03", HOME, "hdfs://namenode:8020/elsewhere", landed(20), {"x.parquet": 1}, None)
        self.assertIsNone(plan_compaction(partition, TODAY, 1, 8))


class PlanDeletionsTests(unittest.TestCase):
    def test_replaced_files_stay_until_the_retention_has_passed(self):
        partition = Partition("2026-12-03", HOME, RUN1, landed(8), {"part-0.parquet": 1}, set(landed(8)))
        folders = {RUN1: (set(landed(8)), NOW - HOUR / 2)}
        self.assertEqual([], plan_deletions(partition, folders, NOW, HOUR))
        folders = {RUN1: (set(landed(8)), NOW - HOUR)}
        self.assertEqual(sorted(f"{HOME}/{name}" for name in landed(8)), plan_deletions(partition, folders, NOW, HOUR))

    def test_files_that_landed_late_are_never_deleted_before_they_are_compacted(self):
        partition = Partition("2026-12-03", HOME, RUN1, landed(10), {"part-0.parquet": 1}, set(landed(8)))
        folders = {RUN1: (set(landed(8)), NOW - 2 * HOUR)}
        deleted = plan_deletions(partition, folders, NOW, HOUR)
        self.assertEqual(8, len(deleted))
        self.assertFalse(any(name in path for path in deleted for name in set(landed(10)) - set(landed(8))))

    def test_a_superseded_folder_goes_a_retention_after_the_switch_that_replaced_it(self):
        partition = Partition("2026-12-03", HOME, RUN2, landed(10), {"part-0.parquet": 1}, set(landed(10)))
        folders = {RUN1: (set(landed(8)), NOW - 3 * HOUR), RUN2: (set(landed(10)), NOW - HOUR / 2)}
        self.assertEqual([], plan_deletions(partition, folders, NOW, HOUR))
        folders[RUN2] = (set(landed(10)), NOW - HOUR)
        self.assertIn(RUN1, plan_deletions(partition, folders, NOW, HOUR))
        self.assertNotIn(RUN2, plan_deletions(partition, folders, NOW, HOUR))

    def test_nothing_is_deleted_while_readers_still_use_the_days_own_folder(self):
        partition = at_home(landed(8))
        self.assertEqual([], plan_deletions(partition, {RUN1: (set(landed(8)), NOW - 5 * HOUR)}, NOW, HOUR))


if __name__ == "__main__":
    unittest.main()
