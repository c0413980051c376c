"""Checks on the stored marts.metrics_key_drivers, in SQL (aggregates, never the table in
Python). Each returns a CheckOutcome; orchestration/defs/key_drivers/checks.py runs them
as blocking Dagster asset checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from analytics.key_drivers.contract import contract, differences
from analytics.key_drivers.settings import small_sample_min

CHECK_SQL_DIR = Path(__file__).resolve().parent / "sql" / "checks"
# Sums of a handful of doubles, and bounds computed apart from their estimates.
TOLERANCE = 1e-9
SHOWN = 5

ERROR = "error"
WARN = "warn"


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    severity: str  # ERROR blocks what is downstream; WARN annotates
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _sql(name: str) -> str:
    return (CHECK_SQL_DIR / name).read_text(encoding="utf-8")


def _one_row(conn: duckdb.DuckDBPyConnection, name: str, **params: Any) -> dict[str, Any]:
    cursor = conn.execute(_sql(name), params)
    names = [column[0] for column in cursor.description or []]
    row = cursor.fetchone()
    return dict(zip(names, row or [None] * len(names), strict=True))


def matches_contract(conn: duckdb.DuckDBPyConnection) -> CheckOutcome:
    """The stored table has the contract's columns, in order, with its types and nullability."""
    table = contract()
    stored = [
        (str(name), str(data_type), bool(nullable))
        for name, data_type, nullable in conn.execute(
            _sql("stored_columns.sql"), {"schema": table.schema, "table": table.name}
        ).fetchall()
    ]
    if not stored:
        return CheckOutcome(False, ERROR, f"{table.schema}.{table.name} does not exist")
    found = differences(table, stored)
    if found:
        return CheckOutcome(False, ERROR, "; ".join(found[:SHOWN]), {"differences": len(found)})
    return CheckOutcome(
        True, ERROR, f"all {len(stored)} columns match the contract", {"columns": len(stored)}
    )


def weights_sum_to_r_squared(conn: duckdb.DuckDBPyConnection) -> CheckOutcome:
    """In every fitted cell the relative weights add up to R^2 and the shares to 1."""
    cursor = conn.execute(_sql("weights_sum_to_r_squared.sql"), {"tolerance": TOLERANCE})
    failing = cursor.fetchall()
    cells = _one_row(conn, "fitted_cells.sql")
    metadata = {"fitted_cells": cells["fitted_cells"], "failing_cells": len(failing)}
    if failing:
        shown = "; ".join(
            f"{row[0]} {row[1]} {row[2]} {row[3]} {row[4]}={row[5]}:"
            f" weights {row[7]:.6f}, R^2 {row[6]:.6f}"
            for row in failing[:SHOWN]
        )
        return CheckOutcome(False, ERROR, f"{len(failing)} cells do not add up: {shown}", metadata)
    return CheckOutcome(
        True,
        ERROR,
        f"the weights of all {cells['fitted_cells']} fitted cells add up to their R^2",
        metadata,
    )


def intervals_contain_estimates(conn: duckdb.DuckDBPyConnection) -> CheckOutcome:
    """Wilson intervals hold their share and bootstrap intervals are well formed (errors);
    a weight outside its own percentile interval is reported (a warning: see
    intervals.sql)."""
    counts = _one_row(conn, "intervals.sql", tolerance=TOLERANCE)
    metadata = {key: value for key, value in counts.items() if value is not None}
    broken = {
        name: counts[name] for name in ("wilson_outside", "bootstrap_malformed") if counts[name]
    }
    if broken:
        listed = ", ".join(f"{name} {count}" for name, count in broken.items())
        return CheckOutcome(False, ERROR, f"malformed intervals: {listed}", metadata)
    outside = counts["weight_outside_bootstrap"]
    if outside:
        return CheckOutcome(
            False,
            WARN,
            f"{outside} of {counts['fitted_rows']} weights lie outside their own bootstrap"
            f" interval (the largest {counts['largest_weight_outside']:.4f}): weights near"
            " zero are biased upwards; read those drivers as not different from zero",
            metadata,
        )
    return CheckOutcome(
        True,
        ERROR,
        f"every interval of {counts['rows_checked']} rows holds its estimate",
        metadata,
    )


def values_within_ranges(conn: duckdb.DuckDBPyConnection) -> CheckOutcome:
    """Every value within its range, the importance columns set exactly where the model
    fitted, and the small-sample flag as the dbt var says."""
    counts = _one_row(
        conn, "values_within_ranges.sql", tolerance=TOLERANCE, small_sample_min=small_sample_min()
    )
    checked = counts.pop("rows_checked")
    broken = {name: count for name, count in counts.items() if count}
    if broken:
        listed = ", ".join(f"{name} {count}" for name, count in broken.items())
        return CheckOutcome(False, ERROR, f"rows break the model's rules: {listed}", counts)
    return CheckOutcome(True, ERROR, f"all {checked} rows within their ranges", counts)


CHECKS = {
    "matches_contract": matches_contract,
    "weights_sum_to_r_squared": weights_sum_to_r_squared,
    "intervals_contain_estimates": intervals_contain_estimates,
    "values_within_ranges": values_within_ranges,
}
