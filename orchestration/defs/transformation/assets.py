"""dbt models as assets. dbt always runs as `build`, so its data tests become asset checks.

The project is two asset definitions: the text marts read (through the `analytics`
source) what the text scorer, a Python asset, writes from the dbt model
int_feedback_texts, so they build in a dbt step of their own after it. Dagster would
split one definition at the Python asset by itself, but its split also gave the time
spine, the one model with no upstream, a dbt step of its own; an explicit selection
keeps it to the two steps the data needs.
"""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from analytics.text.scoring import DBT_TEXT_MODELS_SELECTION
from ingestion.settings import PRODUCTION_BUILD_ARGS
from orchestration.defs.quality.guard import refuse_unresolved_failures
from orchestration.defs.transformation.translator import PulseDbtTranslator
from orchestration.project import DUCKDB_WRITER_POOL, dbt_project


def _build(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, assets: dg.AssetsDefinition
) -> Iterator[Any]:
    # Not on top of data whose blocking checks failed in an earlier run.
    sources = set(assets.dependency_keys) - set(assets.keys)
    refuse_unresolved_failures(context, sources)
    # No fetch_row_counts(): it opens the DuckDB file from this process while the dbt
    # process is still writing it, and DuckDB allows one writing process per file.
    yield from dbt.cli(
        list(PRODUCTION_BUILD_ARGS), context=context, dagster_dbt_translator=PulseDbtTranslator()
    ).stream()


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    exclude=DBT_TEXT_MODELS_SELECTION,
    pool=DUCKDB_WRITER_POOL,
    dagster_dbt_translator=PulseDbtTranslator(),
)
def pulse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Staging, intermediate and mart models of the dbt project, built with their tests."""
    yield from _build(context, dbt, pulse_dbt_models)


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    select=DBT_TEXT_MODELS_SELECTION,
    name="pulse_dbt_text_models",
    pool=DUCKDB_WRITER_POOL,
    dagster_dbt_translator=PulseDbtTranslator(),
)
def pulse_dbt_text_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """The text marts, built with their tests after the text scorer."""
    yield from _build(context, dbt, pulse_dbt_text_models)


DBT_ASSETS = (pulse_dbt_models, pulse_dbt_text_models)


def dbt_asset_keys() -> set[dg.AssetKey]:
    """Every dbt model's asset key, in either definition."""
    return {key for assets in DBT_ASSETS for key in assets.keys}
