"""The latest evaluation of every asset check, read from the Dagster instance so that the
published copy can carry it: the dashboard shows checks without opening Dagster's storage.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph
from dagster._core.storage.asset_check_execution_record import (
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
)

from orchestration.lib.serving.publish import CheckResult, published_check_keys

# Metadata dagster-dbt attaches to a dbt test's evaluation: the rows the test returned.
FAILED_ROW_COUNT = "dagster_dbt/failed_row_count"
PLANNED = AssetCheckExecutionRecordStatus.PLANNED
HISTORY_LIMIT = 5  # evaluations looked back over for a check still to run in this run


def checks_to_publish(
    asset_graph: BaseAssetGraph, published: Path
) -> tuple[set[dg.AssetCheckKey], set[dg.AssetCheckKey]]:
    """Every check to report, and which of them are blocking.

    A run's asset graph holds only the assets it selected (a landing sensor's run holds
    one family), so the checks on the other assets are those the previous copy listed:
    the run's graph decides for its own assets, the previous copy for the rest.
    """
    run_assets = asset_graph.get_all_asset_keys()
    keys = set(asset_graph.asset_check_keys)
    blocking = {key for key in keys if asset_graph.get(key).blocking}
    for asset_key, check_name, is_blocking in published_check_keys(published):
        key = dg.AssetCheckKey(dg.AssetKey(asset_key.split("/")), check_name)
        if key.asset_key not in run_assets:
            keys.add(key)
            if is_blocking:
                blocking.add(key)
    return keys, blocking


def latest_check_results(
    instance: dg.DagsterInstance,
    check_keys: Iterable[dg.AssetCheckKey],
    blocking: Iterable[dg.AssetCheckKey],
    current_run_id: str,
) -> list[CheckResult]:
    """One result per check key, in key order; two storage queries whatever the count."""
    keys = sorted(set(check_keys), key=lambda key: key.to_user_string())
    blocking_keys = set(blocking)
    storage = instance.event_log_storage
    latest = dict(storage.get_latest_asset_check_execution_by_key(keys))
    for key, record in latest.items():
        if record.status == PLANNED and record.run_id == current_run_id:
            # Still to run in this run (a check that does not gate the publication): its
            # latest completed evaluation, when there is one.
            history = storage.get_asset_check_execution_history(key, limit=HISTORY_LIMIT)
            done = [earlier for earlier in history if earlier.status != PLANNED]
            if done:
                latest[key] = done[0]
    return [_result(key, key in blocking_keys, latest.get(key), current_run_id) for key in keys]


def _result(
    key: dg.AssetCheckKey,
    is_blocking: bool,
    record: AssetCheckExecutionRecord | None,
    current_run_id: str,
) -> CheckResult:
    asset_key = "/".join(key.asset_key.path)
    if record is None:
        return CheckResult(asset_key, key.name, is_blocking, "never_run")
    evaluated_at = datetime.fromtimestamp(
        record.event.timestamp if record.event else record.create_timestamp, UTC
    )
    if record.status == PLANNED:
        outcome = "pending" if record.run_id == current_run_id else "did_not_complete"
        return CheckResult(
            asset_key, key.name, is_blocking, outcome, run_id=record.run_id, evaluated_at=None
        )
    evaluation = record.evaluation
    severity = evaluation.severity.value.lower() if evaluation else None
    if record.status == AssetCheckExecutionRecordStatus.SUCCEEDED:
        outcome = "passed"
    else:
        outcome = "warned" if severity == "warn" else "failed"
    failed_rows = None
    if evaluation is not None and FAILED_ROW_COUNT in evaluation.metadata:
        value = evaluation.metadata[FAILED_ROW_COUNT].value
        failed_rows = int(value) if isinstance(value, int | float) else None
    return CheckResult(
        asset_key,
        key.name,
        is_blocking,
        outcome,
        severity=severity,
        description=evaluation.description if evaluation else None,
        failed_rows=failed_rows,
        run_id=record.run_id,
        evaluated_at=evaluated_at,
    )
