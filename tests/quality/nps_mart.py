"""A hand-made marts.metrics_nps for the mart suite tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.settings import SQL_DIR

COLUMNS = """
    metric_row_id varchar, period_grain varchar, period_start date, segment_type varchar,
    segment_value varchar, n bigint, promoters bigint, passives bigint, detractors bigint,
    nps double, nps_ci_lower double, nps_ci_upper double, nps_ci_margin double,
    is_small_sample boolean, previous_period_start date, previous_nps double,
    nps_change double, nps_change_z double, is_change_significant boolean
"""
# One cell per row: (period_grain, segment_type, n, promoters, passives, detractors, nps,
# lower, upper, is_small_sample, is_change_significant).
GOOD_CELLS = [
    ("all_time", "overall", 200, 100, 50, 50, 25.0, 15.0, 35.0, False, False),
    ("month", "channel", 40, 20, 10, 10, 25.0, 5.0, 45.0, False, True),
    ("month", "product", 12, 6, 3, 3, 25.0, -10.0, 60.0, True, False),
]
NPS_OF_120 = ("month", "location", 50, 45, 5, 0, 120.0, 80.0, 100.0, False, False)
# Fine cells, but the overall all-time cell is itself a small sample: a warning only.
SMALL_OVERALL = [("all_time", "overall", 12, 6, 3, 3, 25.0, -10.0, 60.0, True, False)]


def write_nps_mart(warehouse: Path, cells: list[tuple] | None) -> Path:
    """The raw schema and marts.metrics_nps holding `cells`; None leaves no mart table."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute((SQL_DIR / "raw_schema.sql").read_text(encoding="utf-8"))
        connection.execute("create schema if not exists marts")
        connection.execute("drop table if exists marts.metrics_nps")
        if cells is not None:
            connection.execute(f"create table marts.metrics_nps ({COLUMNS})")
            connection.executemany(
                """
                insert into marts.metrics_nps (metric_row_id, period_grain, period_start,
                    segment_type, segment_value, n, promoters, passives, detractors, nps,
                    nps_ci_lower, nps_ci_upper, is_small_sample, is_change_significant)
                values (?, ?, date '2024-03-01', ?, 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [[f"cell-{index}", *cell] for index, cell in enumerate(cells)],
            )
    return warehouse
