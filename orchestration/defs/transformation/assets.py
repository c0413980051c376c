"""dbt models as assets. dbt always runs as `build`, so its data tests become asset checks."""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from ingestion import settings
from ingestion.settings import PRODUCTION_BUILD_ARGS
from orchestration.defs.quality.guard import refuse_unresolved_failures
from orchestration.defs.transformation.translator import PulseDbtTranslator
from orchestration.project import DUCKDB_WRITER_POOL, dbt_project
from orchestration.targets import copy_marts_back, pin_target_environment, prepare_build


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    pool=DUCKDB_WRITER_POOL,
    dagster_dbt_translator=PulseDbtTranslator(),
)
def pulse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Staging, intermediate and mart models of the dbt project, built with their tests on
    the target PULSE_TARGET names (duckdb, postgres or spark; orchestration/targets.py)."""
    # Not on top of raw data whose blocking checks failed in an earlier run.
    sources = set(pulse_dbt_models.dependency_keys) - set(pulse_dbt_models.keys)
    refuse_unresolved_failures(context, sources)
    target = pin_target_environment()["PULSE_TARGET"]
    prepared = prepare_build(settings.warehouse_path())
    if prepared:
        context.log.info(f"raw layer given to {target}: {prepared}")
    # No fetch_row_counts(): it opens the DuckDB file from this process while the dbt
    # process is still writing it, and DuckDB allows one writing process per file.
    yield from dbt.cli(
        list(PRODUCTION_BUILD_ARGS), context=context, dagster_dbt_translator=PulseDbtTranslator()
    ).stream()
    copied = copy_marts_back(settings.warehouse_path())
    if copied:
        context.log.info(
            f"{len(copied)} marts built on {target} copied into the warehouse file"
            f" ({sum(copied.values())} rows)"
        )
