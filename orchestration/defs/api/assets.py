"""Vendor API pulls: one asset per vendor endpoint, writing into the raw tables."""

import dagster as dg

from ingestion import settings
from ingestion.api.pull import pull_vendor
from ingestion.api.window import WindowResult
from ingestion.vendors import api_sources
from orchestration.project import DUCKDB_WRITER_POOL
from orchestration.retries import TRANSIENT_RETRY_POLICY, retry_only_transient

# API settings name -> (asset name, raw tables it writes), from the vendor modules.
VENDOR_ASSETS: dict[str, tuple[str, tuple[str, ...]]] = {
    name: (source.asset_name, source.tables) for name, source in api_sources().items()
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


# API settings name -> its asset.
API_ASSETS: dict[str, dg.AssetsDefinition] = {
    vendor: build_vendor_asset(vendor) for vendor in sorted(VENDOR_ASSETS)
}


@dg.definitions
def vendor_api_assets() -> dg.Definitions:
    return dg.Definitions(assets=list(API_ASSETS.values()))
