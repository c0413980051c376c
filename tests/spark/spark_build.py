"""What the Spark fixture hands the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingestion.lake import Lake


@dataclass(frozen=True)
class SparkBuild:
    """The DuckDB warehouse built by dbt, and a DuckDB file holding what Spark built."""

    warehouse: Path
    spark_marts: Path
    lake: Lake
    copied_rows: dict[str, int]
    spark_seconds: float
