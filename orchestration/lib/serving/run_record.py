"""What the runs since the published copy was written rebuilt, from Dagster's event log.

Every dbt model's output and each Python mart is materialised in every run; those left as
they were carry `rebuilt: False` (orchestration/defs/transformation/assets.py and the
Python marts). A mart with no other materialisation since the materialisation of the
published copy holds what that copy holds, so publish neither reads nor writes it.
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg

from orchestration.lib.serving.publish import RunRecord

# Materialisations of one mart since the last publish: a run a day, so a handful.
EVENTS_PER_MART = 1000


def _rebuilt(record: dg.EventLogRecord) -> bool:
    materialization = record.asset_materialization
    rebuilt = materialization.metadata.get("rebuilt") if materialization else None
    return rebuilt is None or rebuilt.value is not False


def run_record_since_publish(
    instance: dg.DagsterInstance,
    mart_keys: Iterable[dg.AssetKey],
    published_key: dg.AssetKey,
    copy_build_id: str | None,
) -> RunRecord | None:
    """The record of the marts (a key `schema/table` names the table `schema.table`)
    since the latest materialisation of `published_key`, or None when the copy on disk
    is not the one it wrote (`copy_build_id`, the run that wrote the copy): a failed or
    outside publish, where only fingerprints can tell what the copy holds."""
    published = instance.fetch_materializations(published_key, limit=1).records
    if not published or copy_build_id is None or published[0].run_id != copy_build_id:
        return None
    since = published[0].timestamp
    covered: set[str] = set()
    rebuilt: set[str] = set()
    for key in mart_keys:
        if len(key.path) != 2:
            continue  # not a schema and a table: left to the fingerprint
        name = ".".join(key.path)
        covered.add(name)
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, after_timestamp=since), limit=EVENTS_PER_MART
        ).records
        if len(records) >= EVENTS_PER_MART or any(_rebuilt(record) for record in records):
            rebuilt.add(name)
    return RunRecord(frozenset(covered), frozenset(rebuilt))
