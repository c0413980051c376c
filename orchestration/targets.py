"""The engine `dbt build` runs on (PULSE_TARGET) and what the job does around it.

    duckdb    dbt builds in the warehouse file; nothing else to do.
    postgres  the raw layer is copied into Postgres before the build; the marts are copied
              back into the warehouse file after it.
    spark     the Parquet raw layer is brought in line with raw before the build (the raw
              gates' verdicts, written after ingestion, included); the marts are copied
              back after it.

Ingestion, the load ledger and the raw gates stay on the warehouse file whatever the
target. The marts come back so that every step after dbt (the Python marts, the GX suites
on the marts, the published copy, the run summary) reads what the target built.
"""

from __future__ import annotations

import os
from pathlib import Path

from ingestion import settings


def pin_target_environment() -> dict[str, str]:
    """Set the target's settings in this process's environment, as absolute values, so the
    dbt process it starts (from its project folder) finds the same files; returns them."""
    environment = settings.target_environment()
    os.environ.update(environment)
    return environment


def prepare_build(warehouse: Path) -> dict[str, int]:
    """Give the target the raw layer as it stands; returns what was written, for metadata."""
    target = settings.target()
    if target == "spark":
        from ingestion.lake import Lake, sync_lake
        from ingestion.warehouse import connect

        conn = connect(warehouse)
        try:
            result = sync_lake(conn, Lake.at(str(settings.lake_url(required=True))))
        finally:
            conn.close()
        return {
            "lake_files_written": result.files_written,
            "lake_rows_written": result.rows_written,
            "lake_files_removed": result.files_removed,
            "lake_files_recovered": result.files_recovered,
        }
    if target == "postgres":
        from ingestion.postgres_copy import copy_raw_layer

        copied = copy_raw_layer(warehouse)
        return {"raw_tables_copied": len(copied), "raw_rows_copied": sum(copied.values())}
    return {}


def copy_marts_back(warehouse: Path) -> dict[str, int]:
    """After a build on another engine: its marts into the warehouse file (rows per table)."""
    target = settings.target()
    if target == "spark":
        from ingestion.spark import copy_marts_back as copy_spark_marts
        from ingestion.spark import spark_session

        return copy_spark_marts(spark_session(), warehouse)
    if target == "postgres":
        from ingestion.postgres_copy import copy_marts_back as copy_postgres_marts

        return copy_postgres_marts(warehouse)
    return {}
