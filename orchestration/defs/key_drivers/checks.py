"""The key-driver mart's checks (analytics/key_drivers/checks.py) as blocking asset
checks: an ERROR keeps the published copy from taking a broken mart, a WARN annotates."""

from collections.abc import Callable

import dagster as dg
import duckdb

from analytics.key_drivers.checks import CHECKS, ERROR, CheckOutcome
from ingestion import settings
from ingestion.warehouse import connect
from orchestration.defs.key_drivers.assets import KEY_DRIVERS_KEY
from orchestration.project import DUCKDB_WRITER_POOL

Check = Callable[[duckdb.DuckDBPyConnection], CheckOutcome]


def to_check_result(outcome: CheckOutcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR
        if outcome.severity == ERROR
        else dg.AssetCheckSeverity.WARN,
        description=outcome.description,
        metadata=outcome.metadata,
    )


def build_check(name: str, check: Check) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=KEY_DRIVERS_KEY,
        name=name,
        blocking=True,
        pool=DUCKDB_WRITER_POOL,
        description=(check.__doc__ or name).split("\n\n")[0],
    )
    def _check() -> dg.AssetCheckResult:
        conn = connect(settings.warehouse_path(), read_only=True)
        try:
            return to_check_result(check(conn))
        finally:
            conn.close()

    return _check


@dg.definitions
def key_driver_checks() -> dg.Definitions:
    return dg.Definitions(asset_checks=[build_check(name, check) for name, check in CHECKS.items()])
