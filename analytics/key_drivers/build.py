"""Build marts.metrics_key_drivers: read answer patterns with SQL, fit every cell in
numpy, write the table whole in one transaction.

The SQL (sql/*.sql) is DuckDB's and hands its result over as an Arrow table; everything
after that is plain numpy. postgres.py runs the same steps on PostgreSQL's own feedback
items, loaded into an in-memory DuckDB database, and writes the rows back there.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from threadpoolctl import threadpool_limits

from analytics.key_drivers.contract import (
    Contract,
    contract,
    create_table_statement,
    insert_statement,
    quote_identifier,
)
from analytics.key_drivers.model import (
    FITTED,
    CellKey,
    CellPatterns,
    Driver,
    fit_cell,
)
from analytics.key_drivers.settings import ModelSettings, model_settings
from ingestion.warehouse import connect

SQL_DIR = Path(__file__).resolve().parent / "sql"
ROWS_RELATION = "key_driver_rows"
KEY_COLUMNS = (
    "survey_id",
    "outcome",
    "outcome_item_id",
    "period_grain",
    "period_start",
    "segment_type",
    "segment_value",
)
ARROW_TYPES = {
    "varchar": pa.string(),
    "date": pa.date32(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "boolean": pa.bool_(),
    "double precision": pa.float64(),
}


def read_sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class KeyDriverResult:
    rows: int
    cells: int
    fitted_cells: int
    small_sample_cells: int
    seconds: float
    # "survey_id outcome_item_id" -> (driver name, share of R^2) in rank order, for the
    # all-time overall cell of each outcome.
    top_drivers: dict[str, list[tuple[str, float]]] = field(default_factory=dict)


def drivers_by_survey(table: pa.Table) -> dict[str, list[Driver]]:
    """sql/driver_items.sql's rows as each survey's drivers, in item order."""
    drivers: dict[str, list[Driver]] = {}
    for row in table.to_pylist():
        drivers.setdefault(row["survey_id"], []).append(
            Driver(
                row["item_id"],
                row["driver_column"],
                row["driver_name"],
                row["scale_min"],
                row["scale_max"],
            )
        )
    return drivers


def iter_cells(
    patterns: pa.Table, drivers: dict[str, list[Driver]]
) -> Iterator[tuple[CellKey, list[Driver], CellPatterns]]:
    """Each cell of sql/cell_patterns.sql's result (ordered by cell), with its survey's
    drivers and its answer patterns."""
    if patterns.num_rows == 0:
        return
    cell_numbers = patterns.column("cell_number").to_numpy()
    starts = np.flatnonzero(np.r_[True, cell_numbers[1:] != cell_numbers[:-1]])
    ends = np.r_[starts[1:], len(cell_numbers)]
    keys = zip(
        *(patterns.column(name).take(pa.array(starts)).to_pylist() for name in KEY_COLUMNS),
        strict=True,
    )
    outcome = _floats(patterns.column("outcome_score"))
    counts = patterns.column("responses").to_numpy().astype(np.int64)
    scores = {
        name: _floats(patterns.column(name))
        for name in patterns.column_names
        if name.startswith("driver_")
    }
    for key_values, start, end in zip(keys, starts, ends, strict=True):
        key = CellKey(*key_values)
        survey_drivers = drivers[key.survey_id]
        answers = np.column_stack([scores[driver.column][start:end] for driver in survey_drivers])
        if np.isnan(answers).any():
            raise ValueError(f"{key}: a complete response is missing a driver answer")
        # Patterns in a fixed order (the engine returns a cell's rows in any order), so
        # that the same answers always give the same bootstrap draws and sums.
        order = np.lexsort((*answers.T[::-1], outcome[start:end]))
        yield (
            key,
            survey_drivers,
            CellPatterns(outcome[start:end][order], answers[order], counts[start:end][order]),
        )


def _floats(column: pa.ChunkedArray) -> np.ndarray:
    """A numeric column as float64, nulls as NaN."""
    return column.to_numpy(zero_copy_only=False).astype(np.float64)


def model_rows(
    patterns: pa.Table,
    drivers: dict[str, list[Driver]],
    settings: ModelSettings,
    table: Contract | None = None,
) -> tuple[pa.Table, KeyDriverResult]:
    """Fit every cell; one row per driver and cell, in the contract's columns."""
    started = time.perf_counter()
    table = table or contract()
    columns: dict[str, list[object]] = {name: [] for name in table.column_names}
    cells = fitted = small = 0
    top: dict[str, list[tuple[str, float]]] = {}
    for key, survey_drivers, cell in _single_threaded(iter_cells(patterns, drivers)):
        rng = np.random.default_rng([settings.seed, *key.seed_words()])
        fit = fit_cell(cell, survey_drivers, settings, rng)
        cells += 1
        fitted += fit.model_status == FITTED
        is_small = fit.complete_responses < settings.small_sample_min
        small += is_small
        shares, ranks, named = fit.shares, fit.ranks, fit.quadrant_names
        for index, driver in enumerate(survey_drivers):
            values = {
                "key_driver_id": key.row_id(driver.item_id),
                "survey_id": key.survey_id,
                "outcome": key.outcome,
                "outcome_item_id": key.outcome_item_id,
                "driver_item_id": driver.item_id,
                "driver_name": driver.name,
                "period_grain": key.period_grain,
                "period_start": key.period_start,
                "segment_type": key.segment_type,
                "segment_value": key.segment_value,
                "complete_responses": fit.complete_responses,
                "is_small_sample": is_small,
                "model_status": fit.model_status,
                "r_squared": fit.r_squared,
                "importance_weight": _at(fit.weights, index),
                "importance_share": _at(shares, index),
                "importance_ci_lower": _at(fit.ci_lower, index),
                "importance_ci_upper": _at(fit.ci_upper, index),
                "importance_rank": None if ranks is None else int(ranks[index]),
                "correlation": _at(fit.correlation, index),
                "performance_mean": float(fit.performance_mean[index]),
                "top_two_box_share": float(fit.top_two_box_share[index]),
                "top_two_box_ci_lower": float(fit.top_two_box_ci_lower[index]),
                "top_two_box_ci_upper": float(fit.top_two_box_ci_upper[index]),
                "quadrant": None if named is None else named[index],
                "bootstrap_resamples": fit.resamples,
            }
            for name, value in values.items():
                columns[name].append(value)
        if key.period_grain == "all_time" and key.segment_type == "overall" and shares is not None:
            order = np.argsort(-shares, kind="stable")
            top[f"{key.survey_id} {key.outcome_item_id}"] = [
                (survey_drivers[i].name or survey_drivers[i].item_id, float(shares[i]))
                for i in order
            ]
    schema = pa.schema([(column.name, ARROW_TYPES[column.data_type]) for column in table.columns])
    rows = pa.table(columns, schema=schema)
    result = KeyDriverResult(
        rows=rows.num_rows,
        cells=cells,
        fitted_cells=int(fitted),
        small_sample_cells=int(small),
        seconds=time.perf_counter() - started,
        top_drivers=top,
    )
    return rows, result


def _single_threaded(
    cells: Iterator[tuple[CellKey, list[Driver], CellPatterns]],
) -> Iterator[tuple[CellKey, list[Driver], CellPatterns]]:
    """The cells, fitted with BLAS on one thread: its products here are a few thousand
    rows by a few dozen columns, where waking threads costs more than it saves (on two
    busy cores the sample's fit took twice as long with them)."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield from cells


def _at(values: np.ndarray | None, index: int) -> float | None:
    """A float for the table, None where there is no value (not fitted, or NaN)."""
    if values is None:
        return None
    value = float(values[index])
    return None if np.isnan(value) else value


def read_inputs(conn: duckdb.DuckDBPyConnection) -> tuple[pa.Table, dict[str, list[Driver]]]:
    """The answer patterns of every cell and each survey's drivers, from
    marts.fct_feedback_items on this connection."""
    drivers = drivers_by_survey(conn.execute(read_sql("driver_items.sql")).fetch_arrow_table())
    if not drivers:
        # No survey has driver items: nothing to pivot (PIVOT needs at least one column).
        return pa.table({}), drivers
    patterns = conn.execute(read_sql("cell_patterns.sql")).fetch_arrow_table()
    return patterns, drivers


def write_duckdb(conn: duckdb.DuckDBPyConnection, rows: pa.Table) -> None:
    """Replace the mart in one transaction: a reader sees the old table or the new one."""
    table = contract()
    conn.execute("begin transaction")
    try:
        conn.execute(f"create schema if not exists {quote_identifier(table.schema)}")
        conn.execute(f"drop table if exists {table.qualified_name}")
        conn.execute(create_table_statement(table))
        conn.register(ROWS_RELATION, rows)
        conn.execute(insert_statement(table, ROWS_RELATION))
        conn.unregister(ROWS_RELATION)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


def build_key_drivers(warehouse: Path, settings: ModelSettings | None = None) -> KeyDriverResult:
    """Replace marts.metrics_key_drivers in the DuckDB warehouse from marts.fct_feedback_items."""
    started = time.perf_counter()
    settings = settings or model_settings()
    conn = connect(warehouse)
    try:
        patterns, drivers = read_inputs(conn)
        rows, result = model_rows(patterns, drivers, settings)
        write_duckdb(conn, rows)
    finally:
        conn.close()
    return dataclasses.replace(result, seconds=time.perf_counter() - started)
