"""Vendor API pulls: one asset per vendor endpoint, writing into the raw tables."""

import dagster as dg

from ingestion import settings
from ingestion.api.pull import pull_vendor
from ingestion.api.window import WindowResult
from orchestration.project import DUCKDB_WRITER_POOL
from orchestration.retries import TRANSIENT_RETRY_POLICY, retry_only_transient

# vendor -> (asset name, raw tables it writes)
VENDOR_ASSETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "trustpilot": ("trustpilot_reviews", ("reviews",)),
    "typeform": ("typeform_responses", ("survey_responses", "survey_answers")),
    "surveymonkey": ("surveymonkey_responses", ("survey_responses", "survey_answers")),
    "shopify": ("shopify_orders", ("orders", "customers")),
    "x": ("x_polls", ("poll_options",)),
    "google_business": ("google_business_reviews", ("reviews",)),
    "app_store_connect": ("app_store_reviews", ("reviews",)),
    "google_play": ("google_play_reviews", ("reviews",)),
    "yelp": ("yelp_reviews", ("reviews",)),
    "qualtrics": ("qualtrics_responses", ("survey_responses", "survey_answers")),
}


def window_metadata(result: WindowResult) -> dict[str, dg.MetadataValue]:
    return {
        "window_id": dg.MetadataValue.text(result.window_id),
        "pages": dg.MetadataValue.int(result.pages),
        "rows_loaded": dg.MetadataValue.int(result.rows_loaded),
        "records_changed": dg.MetadataValue.int(result.records_changed),
        "records_unchanged": dg.MetadataValue.int(result.records_unchanged),
        "rows_by_table": dg.MetadataValue.json(result.rows_by_table),
        "cursor_before": dg.MetadataValue.text(result.cursor_before or ""),
        "cursor_after": dg.MetadataValue.text(result.cursor_after or ""),
    }


def build_vendor_asset(vendor: str) -> dg.AssetsDefinition:
    name, tables = VENDOR_ASSETS[vendor]

    @dg.asset(
        key=dg.AssetKey(["api", name]),
        group_name="api",
        kinds={"duckdb", "python"},
        pool=DUCKDB_WRITER_POOL,
        retry_policy=TRANSIENT_RETRY_POLICY,
        description=(
            f"{vendor} API pulled incrementally into raw.{', raw.'.join(tables)}; every"
            " window is recorded in raw.api_windows."
        ),
    )
    def _pull(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        with retry_only_transient():
            result = pull_vendor(vendor, settings.warehouse_path())
        context.log.info(result.summary())
        return dg.MaterializeResult(metadata=window_metadata(result))

    return _pull


trustpilot_reviews = build_vendor_asset("trustpilot")
typeform_responses = build_vendor_asset("typeform")
surveymonkey_responses = build_vendor_asset("surveymonkey")
shopify_orders = build_vendor_asset("shopify")
x_polls = build_vendor_asset("x")
google_business_reviews = build_vendor_asset("google_business")
app_store_reviews = build_vendor_asset("app_store_connect")
google_play_reviews = build_vendor_asset("google_play")
yelp_reviews = build_vendor_asset("yelp")
qualtrics_responses = build_vendor_asset("qualtrics")
