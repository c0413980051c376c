"""The dbt project as Dagster sees it: one cached DbtProject for the whole code location."""

from __future__ import annotations

from functools import cache

from dagster_dbt import DbtProject

from ingestion.settings import DBT_PROJECT_DIR

# Every process that writes the DuckDB file runs in this pool (limit 1 in dagster.yaml).
DUCKDB_WRITER_POOL = "duckdb_writer"


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


def prepare_dbt_manifest() -> None:
    """Parse the dbt project so its manifest exists before definitions are loaded."""
    project = dbt_project()
    project.preparer.prepare(project)
