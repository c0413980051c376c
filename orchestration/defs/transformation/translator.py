from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

from orchestration.freshness import DAILY_FRESHNESS
from orchestration.lib.quality.data_docs import dbt_docs_page

# The dbt schema (dbt_project.yml `+schema`) of the tables BI tools read.
MARTS_SCHEMA = "marts"


class PulseDbtTranslator(DagsterDbtTranslator):
    """Keys a dbt source by the table it reads (schema, table), which is the key of the
    ingestion asset that writes that table, so lineage runs from landing files to marts.
    Models in the marts schema carry the daily freshness policy."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["identifier"]])
        return super().get_asset_key(dbt_resource_props)

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "model" and props["config"].get("schema") == MARTS_SCHEMA:
            return dg.apply_freshness_policy(spec, DAILY_FRESHNESS, overwrite_existing=False)
        return spec

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        metadata = dict(super().get_metadata(dbt_resource_props))
        if dbt_resource_props["resource_type"] != "source":
            # The node's page in the site `make docs` generates.
            metadata["dbt_docs"] = dg.MetadataValue.url(
                dbt_docs_page(dbt_resource_props["unique_id"])
            )
        return metadata
