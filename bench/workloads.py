"""Seeded benchmark workloads: landing folders of export files at sizes S, M and L.

The sample data generator writes rich, realistic rows in Python (about 12k rows/s), far
too slow for millions of rows, so each family is written here by DuckDB from a SQL file
(`bench/sql/`) in the same layouts the project's detector reads: the Qualtrics
three-header-row export of the sample relationship survey (the registry comes from the
sample data), the generic review, poll, customer and order CSVs. Values derive from
hash(row, seed), so a seed always gives the same files.
"""

import csv
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.sample_data.registry import write_registry
from ingestion.sample_data.surveys import qualtrics_header_rows

SQL_DIR = Path(__file__).resolve().parent / "sql"
INCREMENT_SHARE = 0.01  # the "new files" of an incremental run: 1% of each family


@dataclass(frozen=True)
class WorkloadSize:
    name: str
    survey_responses: int
    reviews: int
    polls: int  # four options each
    customers: int
    orders: int

    def scaled(self, share: float) -> "WorkloadSize":
        return WorkloadSize(
            name=f"{self.name}+{share:g}",
            survey_responses=max(1, round(self.survey_responses * share)),
            reviews=max(1, round(self.reviews * share)),
            polls=max(1, round(self.polls * share)),
            customers=max(1, round(self.customers * share)),
            orders=max(1, round(self.orders * share)),
        )


SIZES: dict[str, WorkloadSize] = {
    "S": WorkloadSize("S", 10_000, 2_000, 50, 3_000, 10_000),
    "M": WorkloadSize("M", 1_000_000, 200_000, 5_000, 300_000, 1_000_000),
    "L": WorkloadSize("L", 10_000_000, 2_000_000, 50_000, 3_000_000, 10_000_000),
}

SURVEY_EXPORT = Path("surveys/qualtrics_relationship_bench.csv")


@dataclass(frozen=True)
class FamilyFile:
    relative_path: Path
    sql_file: str
    count_field: str  # the WorkloadSize field giving the number of generated units


BASE_FILES = (
    FamilyFile(SURVEY_EXPORT, "qualtrics_responses.sql", "survey_responses"),
    FamilyFile(Path("reviews/reviews_bench.csv"), "reviews.sql", "reviews"),
    FamilyFile(Path("polls/poll_results_bench.csv"), "polls.sql", "polls"),
    FamilyFile(Path("commerce/customers_bench.csv"), "customers.sql", "customers"),
    FamilyFile(Path("commerce/orders_bench.csv"), "orders.sql", "orders"),
)


def _increment_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}_increment{path.suffix}")


def _write_rows(
    conn: duckdb.DuckDBPyConnection,
    family: FamilyFile,
    target: Path,
    *,
    first_id: int,
    rows: int,
    seed: int,
    customers: int,
) -> int:
    query = (SQL_DIR / family.sql_file).read_text(encoding="utf-8")
    offered = {"first_id": first_id, "rows": rows, "seed": seed, "customers": customers}
    # DuckDB refuses parameters a statement does not use.
    params = {name: value for name, value in offered.items() if f"${name}" in query}
    relation = conn.sql(query, params=params)
    target.parent.mkdir(parents=True, exist_ok=True)
    if family.sql_file != "qualtrics_responses.sql":
        relation.write_csv(str(target), header=True)
        return rows
    # Qualtrics: three header rows written here, then the data rows DuckDB wrote.
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        body = Path(scratch) / "rows.csv"
        relation.write_csv(str(body), header=False)
        with target.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(qualtrics_header_rows())
            with body.open("r", encoding="utf-8", newline="") as rows_file:
                shutil.copyfileobj(rows_file, handle, 1 << 20)
    return rows


def write_workload(out_dir: Path, size: WorkloadSize, seed: int = 7) -> dict[str, int]:
    """Write the base landing folder for `size`; returns generated units per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_registry(out_dir / "survey_registry.yml")
    counts: dict[str, int] = {}
    conn = duckdb.connect()
    try:
        for family in BASE_FILES:
            rows = getattr(size, family.count_field)
            counts[str(family.relative_path)] = _write_rows(
                conn,
                family,
                out_dir / family.relative_path,
                first_id=1,
                rows=rows,
                seed=seed,
                customers=size.customers,
            )
    finally:
        conn.close()
    return counts


def write_increment(out_dir: Path, size: WorkloadSize, seed: int = 7) -> dict[str, int]:
    """Write new files holding 1% more of every family, with ids after the base ones."""
    increment = size.scaled(INCREMENT_SHARE)
    counts: dict[str, int] = {}
    conn = duckdb.connect()
    try:
        for family in BASE_FILES:
            rows = getattr(increment, family.count_field)
            target = out_dir / _increment_path(family.relative_path)
            counts[str(target.relative_to(out_dir))] = _write_rows(
                conn,
                family,
                target,
                first_id=getattr(size, family.count_field) + 1,
                rows=rows,
                seed=seed,
                customers=size.customers + increment.customers,
            )
    finally:
        conn.close()
    return counts
