"""The published-marts asset: its materialisation shows what BI tools will find."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.serving.assets import published_marts
from tests.serving.test_publish import MART_TABLES, build_warehouse


def test_the_published_marts_asset_previews_every_mart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    build_warehouse(warehouse, 1)
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(tmp_path / "published.duckdb"))
    with dg.instance_for_test() as instance:
        result = dg.materialize([published_marts], instance=instance)
    [materialization] = result.asset_materializations_for_node(published_marts.op.name)
    metadata = materialization.metadata
    assert metadata["tables"] == dg.IntMetadataValue(3)
    assert metadata["rows"] == dg.IntMetadataValue(3003)
    preview = metadata["preview"]
    assert isinstance(preview, dg.MarkdownMetadataValue)
    for table in MART_TABLES:
        assert f"**marts.{table}**\n\n| build | row_id |" in str(preview.md_str)
    # five rows per table under a header and a rule
    assert str(preview.md_str).count("\n| 1 | ") == 5 * len(MART_TABLES)
