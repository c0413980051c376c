"""The Dagster vendor assets materialise a window and carry its counts in metadata."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.warehouse import quote_identifier
from orchestration.definitions import defs
from orchestration.defs.api.assets import API_ASSETS, VENDOR_ASSETS
from orchestration.defs.api.schedules import hourly_vendor_api_schedule, vendor_api_pull
from tests.api.cases_google_play_yelp_qualtrics import GOOGLE_PLAY_YELP_QUALTRICS_CASES
from tests.api.fake_vendors import FakeVendor, serve
from tests.api.vendor_cases import trustpilot_case

google_play_reviews = API_ASSETS["google_play"]
qualtrics_responses = API_ASSETS["qualtrics"]
trustpilot_reviews = API_ASSETS["trustpilot"]
yelp_reviews = API_ASSETS["yelp"]


def test_trustpilot_asset_records_rows_and_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    case = trustpilot_case()
    with serve(case.fake):
        case.seed(3)
        case.puller(monkeypatch, [], FakeVendor.token)  # sets PULSE_API_TRUSTPILOT_*
        result = dg.materialize([trustpilot_reviews])
    assert result.success
    [materialization] = result.asset_materializations_for_node(trustpilot_reviews.op.name)
    metadata = materialization.metadata
    assert metadata["pages"] == dg.IntMetadataValue(2)
    assert metadata["rows_loaded"] == dg.IntMetadataValue(3)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("select count(*) from raw.reviews").fetchone() == (3,)


def test_missing_credential_fails_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.delenv("PULSE_API_TRUSTPILOT_TOKEN", raising=False)
    with pytest.raises(Exception, match="PULSE_API_TRUSTPILOT_TOKEN"):
        dg.materialize([trustpilot_reviews])


def test_schedule_is_stopped_by_default_and_selects_only_the_api_group() -> None:
    assert hourly_vendor_api_schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert hourly_vendor_api_schedule.job_name == vendor_api_pull.name
    definitions = defs()
    job = definitions.resolve_job_def("vendor_api_pull")
    assert set(job.asset_layer.executable_asset_keys) == {
        dg.AssetKey(["api", name]) for name, _ in VENDOR_ASSETS.values()
    }
    pools = {getattr(node.definition, "pool", None) for node in job.graph.node_dict.values()}
    assert pools == {"duckdb_writer"}
    pipeline = definitions.resolve_job_def("pulse_pipeline")
    assert not any(key.path[0] == "api" for key in pipeline.asset_layer.executable_asset_keys)


@pytest.mark.parametrize("vendor", sorted(GOOGLE_PLAY_YELP_QUALTRICS_CASES))
def test_google_play_yelp_and_qualtrics_assets_pull_a_window(
    vendor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    case = GOOGLE_PLAY_YELP_QUALTRICS_CASES[vendor]()
    name, tables = VENDOR_ASSETS[vendor]
    asset = next(
        definition
        for definition in (google_play_reviews, yelp_reviews, qualtrics_responses)
        if definition.key == dg.AssetKey(["api", name])
    )
    with serve(case.fake):
        case.seed(3)
        case.puller(monkeypatch, [], FakeVendor.token)  # sets PULSE_API_<VENDOR>_*
        result = dg.materialize([asset])
    assert result.success
    [materialization] = result.asset_materializations_for_node(asset.op.name)
    assert materialization.metadata["records_changed"] == dg.IntMetadataValue(3)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        table = f"raw.{quote_identifier(tables[0])}"
        assert conn.execute(f"select count(*) from {table}").fetchone() == (3,)
