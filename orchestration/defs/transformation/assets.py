"""dbt models as assets. dbt always runs as `build`, so its data tests become asset checks.

The project is two asset definitions: the text marts read (through the `analytics`
source) what the text scorer, a Python asset, writes from the dbt model
int_feedback_texts, so they build in a dbt step of their own after it. Dagster would
split one definition at the Python asset by itself, but its split also gave the time
spine, the one model with no upstream, a dbt step of its own; an explicit selection
keeps it to the two steps the data needs.

Each step builds only what changed sources reach (orchestration/build_scope.py): a run
with no new data rebuilds the follow-up queue alone, and its unchanged marts are neither
rebuilt nor checked again.
"""

import json
from collections.abc import Iterator
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_dbt.asset_utils import DAGSTER_DBT_UNIQUE_ID_METADATA_KEY

from analytics.text.scoring import DBT_TEXT_MODELS_SELECTION
from ingestion import settings
from ingestion.faults import fault_point
from ingestion.settings import PRODUCTION_BUILD_ARGS
from orchestration.build_scope import BuildScope, plan_step, record_step
from orchestration.defs.quality.guard import refuse_unresolved_failures
from orchestration.defs.transformation.translator import PulseDbtTranslator
from orchestration.project import DUCKDB_WRITER_POOL, dbt_project
from orchestration.targets import copy_marts_back, pin_target_environment, prepare_build


def _build(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    assets: dg.AssetsDefinition,
    *,
    select: str = "fqn:*",
    exclude: str | None = None,
) -> Iterator[Any]:
    # Not on top of data whose blocking checks failed in an earlier run.
    sources = set(assets.dependency_keys) - set(assets.keys)
    refuse_unresolved_failures(context, sources)
    target = pin_target_environment()["PULSE_TARGET"]
    build_args = list(PRODUCTION_BUILD_ARGS)
    # A run of chosen assets builds what was chosen; the whole step builds what changed.
    scope = None if context.is_subset else _plan(context, assets, select, exclude)
    if scope is not None:
        build_args += scope.dbt_args()
        # First: nothing left out is downstream of what dbt builds, and Dagster wants a
        # step's outputs in dependency order.
        yield from _unchanged_outputs(context, assets, scope)
    fault_point("dbt_build")
    if scope is None or scope.builds:
        prepared = prepare_build(settings.warehouse_path())
        if prepared:
            context.log.info(f"raw layer given to {target}: {prepared}")
        # No fetch_row_counts(): it opens the DuckDB file from this process while the dbt
        # process is still writing it, and DuckDB allows one writing process per file.
        yield from dbt.cli(
            build_args, context=context, dagster_dbt_translator=PulseDbtTranslator()
        ).stream()
        copied = copy_marts_back(settings.warehouse_path())
        if copied:
            context.log.info(
                f"{len(copied)} tables built on {target} copied into the warehouse file"
                f" ({sum(copied.values())} rows)"
            )
    if scope is not None:
        record_step(settings.warehouse_path(), _step_name(assets), scope)


def _step_name(assets: dg.AssetsDefinition) -> str:
    return f"{settings.target()}:{assets.op.name}"


def _plan(
    context: dg.AssetExecutionContext,
    assets: dg.AssetsDefinition,
    select: str,
    exclude: str | None,
) -> BuildScope:
    scope = plan_step(
        settings.warehouse_path(),
        Path(dbt_project().manifest_path),
        _step_name(assets),
        select=select,
        exclude=exclude,
    )
    context.log.info(f"dbt build scope: {scope.reason}")
    return scope


def _unchanged_outputs(
    context: dg.AssetExecutionContext, assets: dg.AssetsDefinition, scope: BuildScope
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """An output for each model left out because nothing it reads changed: its table is
    current, so what depends on it runs (and decides for itself whether to redo work)."""
    excluded = set(scope.excluded)
    manifest = json.loads(Path(dbt_project().manifest_path).read_text(encoding="utf-8"))
    left_out = {}
    for key in context.selected_asset_keys:
        unique_id = assets.get_asset_spec(key).metadata.get(DAGSTER_DBT_UNIQUE_ID_METADATA_KEY)
        if unique_id and manifest["nodes"][unique_id]["name"] in excluded:
            left_out[unique_id] = key
    order = TopologicalSorter(
        {node: set(manifest["parent_map"].get(node, [])) & left_out.keys() for node in left_out}
    )
    for unique_id in order.static_order():
        key = left_out[unique_id]
        yield dg.Output(
            None,
            output_name=assets.get_output_name_for_asset_key(key),
            metadata={"rebuilt": False, "scope": scope.reason},
        )
    # A blocking test left out passed (or only warned) in the build the stored state
    # comes from: a failure fails the step, and nothing is recorded after a failed step.
    for check_key in sorted(context.selected_asset_check_keys, key=lambda k: k.to_user_string()):
        spec = assets.get_spec_for_check_key(check_key)
        unique_id = (spec.metadata or {}).get(DAGSTER_DBT_UNIQUE_ID_METADATA_KEY)
        # A warning test may have warned: it stays without a result rather than a pass.
        if spec.blocking and unique_id and manifest["nodes"][unique_id]["name"] in excluded:
            yield dg.AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=check_key.name,
                passed=True,
                metadata={"rerun": False, "scope": scope.reason},
                description="not run again: nothing it reads changed since the build it passed",
            )


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    exclude=DBT_TEXT_MODELS_SELECTION,
    pool=DUCKDB_WRITER_POOL,
    dagster_dbt_translator=PulseDbtTranslator(),
)
def pulse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Staging, intermediate and mart models of the dbt project, built with their tests on
    the target PULSE_TARGET names (duckdb, postgres or spark; orchestration/targets.py)."""
    yield from _build(context, dbt, pulse_dbt_models, exclude=DBT_TEXT_MODELS_SELECTION)


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
    yield from _build(context, dbt, pulse_dbt_text_models, select=DBT_TEXT_MODELS_SELECTION)


DBT_ASSETS = (pulse_dbt_models, pulse_dbt_text_models)


def dbt_asset_keys() -> set[dg.AssetKey]:
    """Every dbt model's asset key, in either definition."""
    return {key for assets in DBT_ASSETS for key in assets.keys}
