"""The next-run guard: an asset does not build on top of a failed blocking check.

Within one run Dagster skips the assets downstream of a blocking check that fails with
ERROR severity. A later run (the next schedule tick, a sensor run, a manual run of only
the dbt models or of the publication) would not see that failure, so the assets that
build on checked data call `refuse_unresolved_failures` first: while the latest evaluation
of a blocking check on an upstream asset failed with ERROR, or crashed, and that asset
has not been materialised since, they fail at once and name the checks. Rebuilding the
checked asset lifts the guard; its next evaluation decides again.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import dagster as dg
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.asset_check_execution_record import (
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
)

from orchestration.lib.quality.gx_runner import available_suites
from orchestration.lib.quality.reconciliation import RECONCILED_TABLES

RECONCILIATION_CHECK = "reconciled_with_ledger"


def suite_check_name(suite: str) -> str:
    return f"gx_{suite}"


@dataclass(frozen=True)
class UnresolvedFailure:
    check_key: dg.AssetCheckKey
    run_id: str
    reason: str

    def describe(self) -> str:
        return (
            f"{self.check_key.asset_key.to_user_string()}:{self.check_key.name}"
            f" ({self.reason}, run {self.run_id})"
        )


# Evaluations looked at per check, newest first, back to the asset's latest materialisation.
HISTORY_LIMIT = 20
DONE = {
    AssetCheckExecutionRecordStatus.SUCCEEDED,
    AssetCheckExecutionRecordStatus.FAILED,
}


def project_blocking_checks(asset_keys: Iterable[dg.AssetKey]) -> set[dg.AssetCheckKey]:
    """The blocking checks this project defines on `asset_keys`: one per GX suite and the
    ledger reconciliation (see checks.py, which names them the same way)."""
    wanted = set(asset_keys)
    suites = {
        dg.AssetCheckKey(dg.AssetKey(table.split(".", 1)), suite_check_name(suite))
        for suite, table in available_suites().items()
    }
    reconciled = {
        dg.AssetCheckKey(dg.AssetKey(["raw", table]), RECONCILIATION_CHECK)
        for table in RECONCILED_TABLES
    }
    return {key for key in suites | reconciled if key.asset_key in wanted}


def unresolved_failures(
    instance: dg.DagsterInstance,
    upstream_keys: Iterable[dg.AssetKey],
    asset_graph: BaseAssetGraph | None = None,
) -> list[UnresolvedFailure]:
    """Blocking checks on `upstream_keys` that judged the asset's current data bad, or
    were to judge it and crashed. `asset_graph` adds any other blocking checks it holds."""
    upstream = set(upstream_keys)
    check_keys = project_blocking_checks(upstream)
    if asset_graph is not None:
        check_keys |= {
            key
            for key in asset_graph.get_check_keys_for_assets(
                upstream & asset_graph.get_all_asset_keys()
            )
            if asset_graph.get(key).blocking
        }
    keys = sorted(check_keys, key=lambda key: key.to_user_string())
    # Two queries for every check at once: the newest evaluation usually decides, and the
    # history of a check is read only when it does not (a key at a time, hundreds of keys
    # behind the marts, cost seconds on every guarded step).
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    materializations = instance.get_latest_materialization_events({key.asset_key for key in keys})
    failures = []
    for check_key in keys:
        failure = _verdict_on_current_data(
            instance, check_key, latest.get(check_key), materializations.get(check_key.asset_key)
        )
        if failure is not None:
            failures.append(failure)
    return failures


def _verdict_on_current_data(
    instance: dg.DagsterInstance,
    check_key: dg.AssetCheckKey,
    latest: AssetCheckExecutionRecord | None,
    materialization: EventLogEntry | None,
) -> UnresolvedFailure | None:
    if latest is None:
        return None  # never evaluated
    materialized_at = materialization.timestamp if materialization else 0.0
    materialized_in = materialization.run_id if materialization else None
    decided, failure = _judge(instance, check_key, latest, materialized_at, materialized_in)
    if decided:
        return failure
    history = instance.event_log_storage.get_asset_check_execution_history(
        check_key, limit=HISTORY_LIMIT
    )
    for record in history:  # newest first
        decided, failure = _judge(instance, check_key, record, materialized_at, materialized_in)
        if decided:
            return failure
    return None


def _judge(
    instance: dg.DagsterInstance,
    check_key: dg.AssetCheckKey,
    record: AssetCheckExecutionRecord,
    materialized_at: float,
    materialized_in: str | None,
) -> tuple[bool, UnresolvedFailure | None]:
    """Whether this evaluation settles the verdict on the current data, and the failure."""
    at = record.event.timestamp if record.event else record.create_timestamp
    # A check is planned when its run starts, before the asset it checks is built.
    if at < materialized_at and record.run_id != materialized_in:
        return True, None  # rebuilt since; the next evaluation decides
    if record.status in DONE:
        evaluation = record.evaluation
        if (
            record.status == AssetCheckExecutionRecordStatus.SUCCEEDED
            or evaluation is None
            or evaluation.severity != dg.AssetCheckSeverity.ERROR
        ):
            return True, None
        reason = f"failed: {evaluation.description or 'no description'}"
        return True, UnresolvedFailure(check_key, record.run_id, reason)
    run = instance.get_run_by_id(record.run_id)
    if (
        record.run_id == materialized_in
        and run is not None
        and run.status == dg.DagsterRunStatus.FAILURE
    ):
        # The run rebuilt the asset, then the check crashed: the data was never judged.
        return True, UnresolvedFailure(check_key, record.run_id, "the check did not complete")
    # Planned but not judged in a run that did not rebuild the asset (or is still going):
    # the verdict on the current data is further back.
    return False, None


def refuse_unresolved_failures(
    context: dg.AssetExecutionContext, upstream_keys: Iterable[dg.AssetKey]
) -> None:
    """Fail this step, without retries, while an upstream blocking check stays failed."""
    # A run's own asset graph holds only what the run selected, so the project's checks
    # are named from their definitions; the job's graph adds any others it knows.
    asset_graph = context.job_def.asset_layer.asset_graph
    failures = unresolved_failures(context.instance, upstream_keys, asset_graph)
    if not failures:
        return
    listed = "\n".join(f"- {failure.describe()}" for failure in failures)
    raise dg.Failure(
        description=(
            f"not building on data that failed its checks; fix the data and rematerialise"
            f" the checked assets first:\n{listed}"
        ),
        metadata={"unresolved_checks": [failure.describe() for failure in failures]},
        allow_retries=False,
    )
