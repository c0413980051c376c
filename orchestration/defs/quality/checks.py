"""Great Expectations suites run as blocking Dagster asset checks: one per raw table, one
per main mart.

A raw suite judges each new load: a load that fails an error-severity expectation is held
back from staging (raw.load_audits) and the check fails with WARN, naming it, while every
other load and source goes on to the marts in the same run. A failure of a table as a whole
(a missing column) or of a mart suite is a failed ERROR check (downstream assets do not
run in this run, and the next-run guard keeps later runs from building on it); a suite
whose only failures are warnings is a failed WARN check that annotates and blocks nothing.
A suite that cannot run at all (engine error, missing table) raises, so Dagster reports an
error rather than bad data.
"""

import dagster as dg

from ingestion import settings
from ingestion.faults import fault_point
from orchestration.defs.ingestion.assets import RAW_TABLES_BY_FAMILY, raw_key
from orchestration.defs.quality.guard import RECONCILIATION_CHECK, suite_check_name
from orchestration.defs.quality.verdict_reuse import (
    REUSED_FROM,
    SUITE_FINGERPRINT,
    reusable_verdict,
    suite_fingerprint,
)
from orchestration.defs.transformation.assets import dbt_asset_keys
from orchestration.lib.quality.data_docs import data_docs_page
from orchestration.lib.quality.gx_runner import (
    SUITES_DIR,
    SuiteOutcome,
    available_suites,
    run_suite,
)
from orchestration.lib.quality.reconciliation import (
    RECONCILED_TABLES,
    ReconciliationOutcome,
    reconcile,
)
from orchestration.project import DUCKDB_WRITER_POOL


class ValidatorError(RuntimeError):
    """The validator itself failed; the data was not judged."""


def _failure_lines(outcome: SuiteOutcome, failures: list[dict]) -> str:
    return "\n".join(
        f"- {failure.get('type')} on {failure.get('column') or outcome.table}: "
        f"{failure.get('summary') or failure}"
        for failure in failures
    )


def _held_lines(outcome: SuiteOutcome) -> str:
    """A table of the held loads: what `pulse status` lists, and `pulse release` takes."""
    if not outcome.held:
        return ""
    lines = ["| load | file | source | why |", "|---|---|---|---|"]
    lines += [
        f"| {load.load_id} | {load.file_name or ''} | {load.source or ''} | {load.describe()} |"
        for load in outcome.held
    ]
    return "\n".join(lines)


def outcome_to_check_result(outcome: SuiteOutcome) -> dg.AssetCheckResult:
    if outcome.errored:
        raise ValidatorError(f"suite {outcome.suite_name} could not run: {outcome.error}")
    blocking = outcome.blocking_failures
    warnings = outcome.warnings
    if blocking:
        description = f"{len(blocking)} of {outcome.evaluated} expectations failed: " + "; ".join(
            str(failure.get("summary")) for failure in blocking[:3]
        )
    elif outcome.held:
        description = (
            f"{len(outcome.held)} loads held back from staging, the others passed: "
            + "; ".join(load.describe() for load in outcome.held[:3])
        )
    elif warnings:
        description = f"{len(warnings)} warnings, no errors in {outcome.evaluated} expectations"
    elif outcome.loads_validated == 0:
        description = "no new loads: every load passed this suite before"
    else:
        description = f"all {outcome.evaluated} expectations passed"
    if outcome.loads_validated:
        description += f" (on {outcome.loads_validated} new loads)"
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "suite": outcome.suite_name,
            "table": outcome.table,
            "expectations_evaluated": outcome.evaluated,
            "expectations_failed": len(outcome.failed),
            # Raw suites read only the loads not passed before; the others read it all.
            **(
                {"loads_validated": outcome.loads_validated}
                if outcome.loads_validated is not None
                else {}
            ),
            "errors": len(blocking),
            "warnings": len(warnings),
            "elapsed_seconds": round(outcome.elapsed_seconds, 3),
            "failures": dg.MetadataValue.md(_failure_lines(outcome, blocking) or "none"),
            "held_loads": dg.MetadataValue.md(_held_lines(outcome) or "none"),
            "warning_details": dg.MetadataValue.md(_failure_lines(outcome, warnings) or "none"),
            "data_docs": dg.MetadataValue.url(data_docs_page(outcome.suite_name).as_uri()),
        },
    )


def build_suite_check(suite_name: str, table: str) -> dg.AssetChecksDefinition:
    schema, table_name = table.split(".", 1)
    _check_name = suite_check_name(suite_name)

    @dg.asset_check(
        asset=dg.AssetKey([schema, table_name]),
        name=_check_name,
        blocking=True,
        pool=DUCKDB_WRITER_POOL,
        description=(
            f"Great Expectations suite {suite_name} on {table}: error expectations block"
            " downstream assets, warnings annotate."
        ),
        metadata={"data_docs": dg.MetadataValue.url(data_docs_page(suite_name).as_uri())},
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        fingerprint = suite_fingerprint(SUITES_DIR / f"{suite_name}.json")
        check_key = dg.AssetCheckKey(dg.AssetKey([schema, table_name]), _check_name)
        reused_from = None if schema == "raw" else reusable_verdict(context, check_key, fingerprint)
        if reused_from is not None:
            return dg.AssetCheckResult(
                passed=True,
                metadata={SUITE_FINGERPRINT: fingerprint, REUSED_FROM: reused_from},
                description=f"{table} was not rebuilt: the verdict of run {reused_from} holds",
            )
        fault_point("checks")
        result = outcome_to_check_result(run_suite(settings.warehouse_path(), suite_name))
        return result.with_metadata({**result.metadata, SUITE_FINGERPRINT: fingerprint})

    return _check


def checked_asset_keys() -> set[dg.AssetKey]:
    """Assets a suite may check: the raw tables and the dbt models of this project."""
    raw = {raw_key(table) for tables in RAW_TABLES_BY_FAMILY.values() for table in tables}
    return raw | dbt_asset_keys()


@dg.definitions
def gx_checks() -> dg.Definitions:
    # A suite whose table is not (yet) an asset here, e.g. a mart still to be modelled,
    # waits in the file context until it is.
    existing = checked_asset_keys()
    return dg.Definitions(
        asset_checks=[
            build_suite_check(suite, table)
            for suite, table in sorted(available_suites().items())
            if dg.AssetKey(table.split(".", 1)) in existing
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
        name=RECONCILIATION_CHECK,
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
