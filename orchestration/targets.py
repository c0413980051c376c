"""The engine `dbt build` runs on (PULSE_TARGET) and what the job does around it.

    duckdb    dbt builds in the warehouse file; nothing else to do.
    postgres  the raw layer (and the text scorer's tables) is copied into Postgres before
              the build; the marts are copied back into the warehouse file after it.
    spark     the Parquet raw layer is brought in line with raw before the build (the raw
              gates' verdicts, written after ingestion, included), and the text scorer's
              tables are written beside it; the marts are copied back after it.

Ingestion, the load ledger and the raw gates stay on the warehouse file whatever the
target. The marts come back so that every step after dbt (the Python marts, the GX suites
on the marts, the published copy, the run summary) reads what the target built, and so do
the models outside `marts` a Python step reads (READ_BY_THE_JOB).
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


# Models outside `marts` that a Python step of the job reads from the warehouse file: the
# text scorer reads int_feedback_texts (analytics/text/sql).
READ_BY_THE_JOB: dict[str, tuple[str, ...]] = {"intermediate": ("int_feedback_texts",)}


def prepare_build(warehouse: Path) -> dict[str, int]:
    """Give the target the raw layer as it stands, and the text scorer's tables the text
    models read; returns what was written, for metadata."""
    target = settings.target()
    if target == "spark":
        from analytics.text.scoring import DBT_SOURCE_TABLES, TEXT_SCHEMA, ensure_text_tables
        from ingestion.lake import Lake, sync_lake, write_snapshots
        from ingestion.warehouse import connect

        lake = Lake.at(str(settings.lake_url(required=True)))
        conn = connect(warehouse)
        try:
            result = sync_lake(conn, lake)
            # Empty before the scorer's first run: the text models then read no rows.
            ensure_text_tables(conn)
            scores = write_snapshots(conn, lake, TEXT_SCHEMA, DBT_SOURCE_TABLES)
        finally:
            conn.close()
        return {
            "lake_files_written": result.files_written,
            "lake_rows_written": result.rows_written,
            "lake_files_removed": result.files_removed,
            "lake_files_recovered": result.files_recovered,
            "text_rows_written": sum(scores.values()),
        }
    if target == "postgres":
        from analytics.text.scoring import DBT_SOURCE_TABLES, TEXT_SCHEMA
        from ingestion.postgres_copy import copy_dbt_sources

        copied = copy_dbt_sources(warehouse, extra_layers=[(TEXT_SCHEMA, DBT_SOURCE_TABLES)])
        return {"raw_tables_copied": len(copied), "raw_rows_copied": sum(copied.values())}
    return {}


def copy_marts_back(warehouse: Path) -> dict[str, int]:
    """After a build on another engine: its marts, and the models outside them the job
    reads, into the warehouse file (rows per table)."""
    target = settings.target()
    if target == "spark":
        from ingestion.spark import copy_back_in_child

        by_schema = copy_back_in_child(warehouse, {"marts": None, **READ_BY_THE_JOB})
    elif target == "postgres":
        from ingestion.postgres_copy import copy_marts_back as copy_postgres_marts

        by_schema = {
            schema: copy_postgres_marts(warehouse, schema=schema, only=only)
            for schema, only in {"marts": None, **READ_BY_THE_JOB}.items()
        }
    else:
        return {}
    copied = dict(by_schema.pop("marts"))
    for schema, tables in by_schema.items():
        copied.update({f"{schema}.{table}": rows for table, rows in tables.items()})
    return copied
