"""Row-count reconciliation of each raw table with the load ledger, in DuckDB SQL.

Per loaded file the ledger must balance (rows in = loaded + quarantined) and the raw table
must still hold exactly `rows_loaded` rows of that load: a row dropped or duplicated after
the load commits is caught here. Rows that vendor API windows wrote (load ids `api:...`)
have no file in the ledger; they are reconciled per window against raw.api_windows and
raw.api_window_rows instead.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"
# Raw tables that are a load's target table in raw.load_ledger.
RECONCILED_TABLES = (
    "survey_responses",
    "reviews",
    "poll_options",
    "customers",
    "orders",
    "case_actions",
)


@dataclass(frozen=True)
class Mismatch:
    load_id: str
    file_name: str
    rows_in: int | None
    rows_loaded: int | None
    rows_quarantined: int | None
    rows_in_table: int

    def describe(self) -> str:
        if self.rows_loaded is None:
            return f"{self.rows_in_table} rows of load {self.load_id} have no loaded ledger entry"
        if self.rows_in != self.rows_loaded + (self.rows_quarantined or 0):
            return (
                f"{self.file_name}: {self.rows_in} rows in but {self.rows_loaded} loaded + "
                f"{self.rows_quarantined} quarantined"
            )
        return (
            f"{self.file_name}: ledger says {self.rows_loaded} rows loaded, "
            f"table holds {self.rows_in_table}"
        )


@dataclass(frozen=True)
class WindowMismatch:
    """An API window whose rows in the table no longer match its recorded counts."""

    window_id: str
    status: str | None
    window_rows_loaded: int | None  # raw.api_windows: every table
    rows_loaded_all_tables: int | None  # raw.api_window_rows, summed over tables
    rows_loaded: int | None  # raw.api_window_rows: this table
    rows_replaced: int | None
    rows_in_table: int

    def describe(self) -> str:
        if self.rows_loaded is None:
            return f"{self.rows_in_table} rows of API window {self.window_id} have no window record"
        expected = self.rows_loaded - (self.rows_replaced or 0)
        if self.rows_in_table != expected:
            return (
                f"API window {self.window_id}: {self.rows_loaded} rows loaded - "
                f"{self.rows_replaced} replaced since = {expected}, table holds "
                f"{self.rows_in_table}"
            )
        return (
            f"API window {self.window_id}: raw.api_windows says {self.window_rows_loaded} rows "
            f"loaded, its tables' counts add up to {self.rows_loaded_all_tables}"
        )


@dataclass(frozen=True)
class ReconciliationOutcome:
    table: str
    mismatches: list[Mismatch] = field(default_factory=list)
    elapsed_seconds: float = 0.0
    window_mismatches: list[WindowMismatch] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.window_mismatches

    def descriptions(self) -> list[str]:
        return [mismatch.describe() for mismatch in self.mismatches] + [
            mismatch.describe() for mismatch in self.window_mismatches
        ]


def reconcile(warehouse_path: Path, table: str) -> ReconciliationOutcome:
    """Compare raw.<table> with the ledger; raises when the check itself cannot run."""
    if table not in RECONCILED_TABLES:
        raise KeyError(f"raw.{table} is not reconciled with the ledger")
    if not Path(warehouse_path).is_file():
        raise FileNotFoundError(f"warehouse {warehouse_path} does not exist")
    started = time.perf_counter()
    with duckdb.connect(str(warehouse_path), read_only=True) as conn:
        rows = conn.execute(
            table_sql("reconcile_with_ledger.sql", table), {"target_table": f"raw.{table}"}
        ).fetchall()
        window_rows = conn.execute(
            table_sql("reconcile_api_windows.sql", table), {"table_name": f"raw.{table}"}
        ).fetchall()
    return ReconciliationOutcome(
        table=f"raw.{table}",
        mismatches=[Mismatch(*row) for row in rows],
        elapsed_seconds=time.perf_counter() - started,
        window_mismatches=[WindowMismatch(*row) for row in window_rows],
    )


def table_sql(file_name: str, table: str) -> str:
    template = (SQL_DIR / file_name).read_text(encoding="utf-8")
    # The identifier comes from RECONCILED_TABLES above, quoted; values are bound.
    return template.replace("{table}", f'raw."{table}"')
