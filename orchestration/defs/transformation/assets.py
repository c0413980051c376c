"""dbt models as assets. dbt always runs as `build`, so its tests become asset checks."""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.project import DUCKDB_WRITER_POOL, dbt_project


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    pool=DUCKDB_WRITER_POOL,
)
def pulse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Staging, intermediate and mart models of the dbt project, built with their tests."""
    yield from dbt.cli(["build"], context=context).stream().fetch_row_counts()
