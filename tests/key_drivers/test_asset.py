"""The Dagster asset and its checks on a small warehouse: what the UI shows of a run."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest
from test_build import feedback_items, warehouse_with

from analytics.key_drivers.checks import CHECKS
from orchestration.defs.key_drivers.assets import KEY_DRIVERS_KEY, metrics_key_drivers
from orchestration.defs.key_drivers.checks import build_check


def test_the_asset_writes_the_mart_and_its_checks_judge_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = warehouse_with(feedback_items(400), tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    checks = [build_check(name, check) for name, check in CHECKS.items()]
    with dg.instance_for_test() as instance:
        result = dg.materialize([metrics_key_drivers, *checks], instance=instance)
    assert result.success
    [materialization] = result.asset_materializations_for_node(metrics_key_drivers.op.name)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        stored = conn.execute("select count(*) from marts.metrics_key_drivers").fetchone()
    assert stored is not None
    assert materialization.metadata["dagster/row_count"] == dg.IntMetadataValue(stored[0])
    top = materialization.metadata["top_drivers"]
    assert isinstance(top, dg.MarkdownMetadataValue)
    assert "| pulse Q1 | support_team" in str(top.md_str)
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert evaluations.keys() == CHECKS.keys()
    assert all(e.asset_key == KEY_DRIVERS_KEY for e in evaluations.values())
    assert all(
        e.passed or e.severity == dg.AssetCheckSeverity.WARN for e in evaluations.values()
    ), {name: e.description for name, e in evaluations.items()}


def test_the_asset_documents_every_column() -> None:
    spec = next(iter(metrics_key_drivers.specs))
    schema = spec.metadata["dagster/column_schema"]
    assert isinstance(schema, dg.TableSchema)
    columns = {column.name: column for column in schema.columns}
    assert "importance_weight" in columns and "quadrant" in columns
    assert all(column.description for column in schema.columns)
    assert columns["key_driver_id"].constraints.nullable is False
    assert columns["r_squared"].constraints.nullable is True
