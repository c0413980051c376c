from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator


class PulseDbtTranslator(DagsterDbtTranslator):
    """Keys a dbt source by the table it reads (schema, table), which is the key of the
    ingestion asset that writes that table, so lineage runs from landing files to marts."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["identifier"]])
        return super().get_asset_key(dbt_resource_props)
