"""Row-count reconciliation of each raw table with the load ledger, in DuckDB SQL.

Per loaded file the ledger must balance (rows in = loaded + quarantined) and the raw table
must still hold exactly `rows_loaded` rows of that load: a row dropped or duplicated after
the load commits is caught here.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"
# Raw tables that are a load's target table in raw.load_ledger.
RECONCILED_TABLES = ("survey_responses", "reviews", "poll_options", "customers", "orders")


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
class ReconciliationOutcome:
    table: str
    mismatches: list[Mismatch] = field(default_factory=list)
    elapsed_seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.mismatches


def reconcile(warehouse_path: Path, table: str) -> ReconciliationOutcome:
    """Compare raw.<table> with the ledger; raises when the check itself cannot run."""
    if table not in RECONCILED_TABLES:
        raise KeyError(f"raw.{table} is not reconciled with the ledger")
    if not Path(warehouse_path).is_file():
        raise FileNotFoundError(f"warehouse {warehouse_path} does not exist")
    started = time.perf_counter()
    template = (SQL_DIR / "reconcile_with_ledger.sql").read_text(encoding="utf-8")
    # The identifier comes from RECONCILED_TABLES above, quoted; values are bound.
    sql = template.replace("{table}", f'raw."{table}"')
    with duckdb.connect(str(warehouse_path), read_only=True) as conn:
        rows = conn.execute(sql, {"target_table": f"raw.{table}"}).fetchall()
    return ReconciliationOutcome(
        table=f"raw.{table}",
        mismatches=[Mismatch(*row) for row in rows],
        elapsed_seconds=time.perf_counter() - started,
    )
