"""Predicted customer lifetime value, computed in Python after the loyalty marts."""

import dagster as dg

from analytics.loyalty.lifetime_value import build_customer_lifetime_value
from ingestion import settings
from orchestration.freshness import DAILY_FRESHNESS
from orchestration.project import DUCKDB_WRITER_POOL
from orchestration.unchanged_inputs import inputs_unchanged

CUSTOMER_LIFETIME_VALUE_KEY = dg.AssetKey(["marts", "dim_customer_lifetime_value"])
# The dbt marts the model reads; nothing in dbt reads its output.
SOURCE_MART_KEYS = [dg.AssetKey(["marts", "fct_orders"])]


@dg.asset(
    key=CUSTOMER_LIFETIME_VALUE_KEY,
    deps=SOURCE_MART_KEYS,
    group_name="loyalty",
    kinds={"python", "duckdb"},
    pool=DUCKDB_WRITER_POOL,
    freshness_policy=DAILY_FRESHNESS,
)
def customer_lifetime_value(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Historic net spend and 365-day predicted value per customer (BG/NBD purchases x
    Gamma-Gamma average value); predicted columns stay null when the data cannot support
    the models, and model_status says why."""
    if inputs_unchanged(context, SOURCE_MART_KEYS):
        context.log.info("inputs not rebuilt since the last computation: the table is current")
        return dg.MaterializeResult(metadata={"rebuilt": False})
    result = build_customer_lifetime_value(settings.warehouse_path())
    context.log.info(
        f"dim_customer_lifetime_value: {result.customers} customers, {result.model_status}"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": result.customers,
            "predicted_customers": result.predicted_customers,
            "model_status": result.model_status,
            "historic_net_spend": round(result.historic_net_spend, 2),
            "predicted_value": round(result.predicted_value, 2),
        }
    )
