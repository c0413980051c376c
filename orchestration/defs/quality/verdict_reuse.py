"""A mart suite's passing verdict carried over to a run that did not rebuild the mart.

A dbt step leaves out the models whose sources did not change (build_scope.py) and marks
their outputs `rebuilt: False`. Validating such a table again would judge the same rows
with the same suite, so the check reuses the last verdict when all of these hold:
- the mart's materialisation in this run says it was not rebuilt;
- the check's latest evaluation passed without a warning, after the materialisation
  before this one (it judged the rows the table still holds);
- it ran the same suite (the suite file's hash is in its metadata).
Anything else (a failure, a warning, an edited suite, a rebuilt table) validates again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

SUITE_FINGERPRINT = "suite_fingerprint"
REUSED_FROM = "verdict_reused_from_run"


def suite_fingerprint(suite_file: Path) -> str:
    return hashlib.sha256(suite_file.read_bytes()).hexdigest()[:16]


def reusable_verdict(
    context: dg.AssetCheckExecutionContext, check_key: dg.AssetCheckKey, fingerprint: str
) -> str | None:
    """The run whose passing evaluation still holds for the table, or None."""
    instance = context.instance
    records = instance.fetch_materializations(check_key.asset_key, limit=2).records
    if len(records) < 2 or records[0].run_id != context.run.run_id:
        return None
    current = records[0].asset_materialization
    rebuilt = current.metadata.get("rebuilt") if current else None
    if rebuilt is None or rebuilt.value is not False:
        return None
    # The newest record is this run's own, planned when the run started.
    history = instance.event_log_storage.get_asset_check_execution_history(check_key, limit=2)
    latest = next((record for record in history if record.run_id != context.run.run_id), None)
    if (
        latest is None
        or latest.status != AssetCheckExecutionRecordStatus.SUCCEEDED
        or latest.event is None
        or latest.event.dagster_event is None
        # The evaluation's own time: the record is created when the run plans the check.
        or latest.event.timestamp < records[1].timestamp
    ):
        return None
    evaluation = latest.event.dagster_event.asset_check_evaluation_data
    judged_with = evaluation.metadata.get(SUITE_FINGERPRINT)
    if not evaluation.passed or judged_with is None or judged_with.value != fingerprint:
        return None
    reused = evaluation.metadata.get(REUSED_FROM)
    return str(reused.value) if reused is not None else latest.run_id
