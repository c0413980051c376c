"""Key-driver analysis, computed in Python after the dbt marts."""

import dagster as dg

from analytics.key_drivers import build_key_drivers
from analytics.key_drivers.contract import contract
from ingestion import settings
from orchestration.defs.quality.guard import refuse_unresolved_failures
from orchestration.freshness import DAILY_FRESHNESS
from orchestration.project import DUCKDB_WRITER_POOL
from orchestration.unchanged_inputs import inputs_unchanged

KEY_DRIVERS_KEY = dg.AssetKey(["marts", "metrics_key_drivers"])
# The dbt mart the model reads; nothing in dbt reads its output.
SOURCE_MART_KEYS = [dg.AssetKey(["marts", "fct_feedback_items"])]


def column_schema() -> dg.TableSchema:
    """The documented columns (analytics/key_drivers/metrics_key_drivers.yml), shown in
    the Dagster UI as the asset's columns."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=column.name,
                type=column.data_type,
                description=column.description,
                constraints=dg.TableColumnConstraints(nullable=not column.not_null),
            )
            for column in contract().columns
        ]
    )


def _top_drivers_markdown(top_drivers: dict[str, list[tuple[str, float]]]) -> str:
    lines = ["| survey, outcome item | drivers by share of R^2 (all time, overall) |", "|---|---|"]
    for outcome, drivers in sorted(top_drivers.items()):
        lines.append(f"| {outcome} | {', '.join(f'{n} {s:.0%}' for n, s in drivers)} |")
    return "\n".join(lines)


@dg.asset(
    key=KEY_DRIVERS_KEY,
    deps=SOURCE_MART_KEYS,
    group_name="satisfaction",
    kinds={"python", "duckdb"},
    pool=DUCKDB_WRITER_POOL,
    freshness_policy=DAILY_FRESHNESS,
    metadata={"dagster/column_schema": column_schema()},
)
def metrics_key_drivers(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Which driver items move each survey's NPS and CSAT, by quarter and all time, overall
    and per segment: Johnson's relative weights with bootstrap 95% intervals, correlations,
    performance (mean and top-two-box share) and the importance-performance quadrant
    (docs/methods.md, Key drivers)."""
    # Not from feedback items whose blocking checks failed in an earlier run (this asset
    # materialised alone, or after dbt was refused).
    refuse_unresolved_failures(context, SOURCE_MART_KEYS)
    if inputs_unchanged(context, SOURCE_MART_KEYS):
        context.log.info("inputs not rebuilt since the last computation: the table is current")
        return dg.MaterializeResult(metadata={"rebuilt": False})
    result = build_key_drivers(settings.warehouse_path())
    context.log.info(
        f"metrics_key_drivers: {result.rows} rows in {result.cells} cells"
        f" ({result.fitted_cells} fitted) in {result.seconds:.1f} s"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.rows,
            "cells": result.cells,
            "fitted_cells": result.fitted_cells,
            "small_sample_cells": result.small_sample_cells,
            "duration_seconds": round(result.seconds, 3),
            "top_drivers": dg.MetadataValue.md(_top_drivers_markdown(result.top_drivers)),
        }
    )
