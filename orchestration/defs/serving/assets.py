"""The published read-only copy of the marts, refreshed after every successful build."""

import dagster as dg

from ingestion import settings
from orchestration.defs.quality.guard import refuse_unresolved_failures
from orchestration.defs.serving.check_results import checks_to_publish, latest_check_results
from orchestration.defs.transformation.assets import dbt_asset_keys
from orchestration.freshness import DAILY_FRESHNESS
from orchestration.lib.quality.data_docs import DATA_DOCS_INDEX, DBT_DOCS_INDEX
from orchestration.lib.serving.publish import (
    FreshnessWindows,
    previews_markdown,
    publish_marts,
    published_build_id,
    published_warehouse_path,
)
from orchestration.lib.serving.run_record import run_record_since_publish
from orchestration.project import DUCKDB_WRITER_POOL

PUBLISHED_MARTS_KEY = dg.AssetKey(["serving", "published_marts"])
# Marts that Python assets write after the dbt models. The copy waits for them in the same
# run (publish copies whatever the marts schema holds when it runs) and, like the dbt
# marts, is not made over their failed blocking checks.
PYTHON_MART_KEYS = (
    dg.AssetKey(["marts", "dim_customer_lifetime_value"]),
    dg.AssetKey(["marts", "metrics_key_drivers"]),
)


def mart_keys() -> list[dg.AssetKey]:
    """Every dbt model under the marts key prefix, whatever its name, and the Python marts."""
    dbt_marts = [key for key in dbt_asset_keys() if key.path[0] == "marts"]
    return sorted([*dbt_marts, *PYTHON_MART_KEYS], key=lambda key: key.to_user_string())


def raw_freshness_windows() -> FreshnessWindows:
    """The daily freshness policy of the raw tables, as the copy judges each source by."""
    warn, fail = DAILY_FRESHNESS.warn_window, DAILY_FRESHNESS.fail_window
    assert warn is not None and fail is not None, "the daily policy sets both windows"
    return FreshnessWindows(warn.to_timedelta(), fail.to_timedelta())


@dg.asset(
    key=PUBLISHED_MARTS_KEY,
    deps=mart_keys(),
    group_name="serving",
    kinds={"duckdb"},
    pool=DUCKDB_WRITER_POOL,
    freshness_policy=DAILY_FRESHNESS,
)
def published_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Read-only DuckDB copy of the marts (PULSE_PUBLISHED_WAREHOUSE) for BI tools, swapped
    in atomically so readers never take the writer's lock or see a half-built state."""
    # Not the marts of an earlier run whose blocking checks failed (published_marts
    # running alone, or after dbt was refused).
    refuse_unresolved_failures(context, mart_keys())
    published = published_warehouse_path()
    check_keys, blocking = checks_to_publish(context.job_def.asset_layer.asset_graph, published)
    checks = latest_check_results(context.instance, check_keys, blocking, context.run.run_id)
    # The marts no run rebuilt since the copy was published are neither read nor written.
    run_record = run_record_since_publish(
        context.instance, mart_keys(), PUBLISHED_MARTS_KEY, published_build_id(published)
    )
    result = publish_marts(
        settings.warehouse_path(),
        published,
        build_id=context.run.run_id,
        check_results=checks,
        freshness=raw_freshness_windows(),
        run_record=run_record,
    )
    context.log.info(
        f"published {len(result.row_counts)} tables ({len(result.written)} changed,"
        f" {len(result.updated_rows)} of them row by row;"
        f" {'run record' if run_record else 'fingerprints'})"
        f" to {result.path}"
        f" in {result.elapsed_seconds:.1f} s"
    )
    metadata: dict[str, dg.RawMetadataValue] = {
        "path": dg.MetadataValue.path(str(result.path)),
        "tables": len(result.row_counts),
        "tables_written": len(result.written),
        "tables_updated_by_row": len(result.updated_rows),
        "run_record": run_record is not None,
        "checks": len(checks),
        "rows": sum(result.row_counts.values()),
        "duration_seconds": round(result.elapsed_seconds, 3),
        "row_counts": dg.MetadataValue.json(result.row_counts),
        "data_docs": dg.MetadataValue.url(DATA_DOCS_INDEX.as_uri()),
        "dbt_docs": dg.MetadataValue.url(DBT_DOCS_INDEX.as_uri()),
    }
    metadata["preview"] = dg.MetadataValue.md(
        previews_markdown(result.path, sorted(result.row_counts))
    )
    return dg.MaterializeResult(metadata=metadata)
