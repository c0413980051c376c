"""Great Expectations suites on raw tables, run as blocking Dagster asset checks.

A suite whose expectations fail is a failed check (downstream assets do not run); a suite
that cannot run at all (engine error, missing table) raises, so Dagster reports an error
rather than bad data.
"""

import dagster as dg

from ingestion import settings
from orchestration.defs.quality.gx_runner import SuiteOutcome, available_suites, run_suite
from orchestration.defs.quality.reconciliation import (
    RECONCILED_TABLES,
    ReconciliationOutcome,
    reconcile,
)
from orchestration.project import DUCKDB_WRITER_POOL


class ValidatorError(RuntimeError):
    """The validator itself failed; the data was not judged."""


def outcome_to_check_result(outcome: SuiteOutcome) -> dg.AssetCheckResult:
    if outcome.errored:
        raise ValidatorError(f"suite {outcome.suite_name} could not run: {outcome.error}")
    failures = "\n".join(
        f"- {failure.get('type')} on {failure.get('column') or outcome.table}: "
        f"{failure.get('summary') or failure}"
        for failure in outcome.failed
    )
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"{outcome.evaluated} expectations, {len(outcome.failed)} failed"
            if outcome.failed
            else f"all {outcome.evaluated} expectations passed"
        ),
        metadata={
            "suite": outcome.suite_name,
            "table": outcome.table,
            "expectations_evaluated": outcome.evaluated,
            "expectations_failed": len(outcome.failed),
            "elapsed_seconds": round(outcome.elapsed_seconds, 3),
            "failures": dg.MetadataValue.md(failures or "none"),
        },
    )


def build_suite_check(suite_name: str, table: str) -> dg.AssetChecksDefinition:
    schema, table_name = table.split(".", 1)

    @dg.asset_check(
        asset=dg.AssetKey([schema, table_name]),
        name=f"gx_{suite_name}",
        blocking=True,
        pool=DUCKDB_WRITER_POOL,
        description=f"Great Expectations suite {suite_name} on {table}.",
    )
    def _check() -> dg.AssetCheckResult:
        return outcome_to_check_result(run_suite(settings.warehouse_path(), suite_name))

    return _check


@dg.definitions
def gx_checks() -> dg.Definitions:
    return dg.Definitions(
        asset_checks=[
            build_suite_check(suite, table) for suite, table in sorted(available_suites().items())
        ]
    )


def reconciliation_to_check_result(outcome: ReconciliationOutcome) -> dg.AssetCheckResult:
    shown = outcome.descriptions()[:20]
    mismatched = len(outcome.mismatches) + len(outcome.window_mismatches)
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"{mismatched} loads or API windows do not match the ledger"
            if mismatched
            else "every load and API window matches the ledger"
        ),
        metadata={
            "table": outcome.table,
            "mismatched_loads": len(outcome.mismatches),
            "mismatched_api_windows": len(outcome.window_mismatches),
            "elapsed_seconds": round(outcome.elapsed_seconds, 3),
            "mismatches": dg.MetadataValue.md(
                "\n".join(f"- {description}" for description in shown) or "none"
            ),
        },
    )


def build_reconciliation_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", table]),
        name="reconciled_with_ledger",
        blocking=True,
        pool=DUCKDB_WRITER_POOL,
        description=(
            f"raw.{table} holds exactly the rows the load ledger and the API window records"
            " say were loaded."
        ),
    )
    def _check() -> dg.AssetCheckResult:
        # An exception here (missing table, engine error) is a check error, not bad data.
        return reconciliation_to_check_result(reconcile(settings.warehouse_path(), table))

    return _check


@dg.definitions
def reconciliation_checks() -> dg.Definitions:
    return dg.Definitions(
        asset_checks=[build_reconciliation_check(table) for table in RECONCILED_TABLES]
    )
