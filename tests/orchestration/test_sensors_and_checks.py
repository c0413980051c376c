from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.ingestion.sensors import landing_folder_sensor
from orchestration.defs.quality.checks import ValidatorError, outcome_to_check_result
from orchestration.lib.quality.gx_runner import SuiteOutcome


def _tick(cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(cursor=cursor, instance=dg.DagsterInstance.ephemeral())
    return landing_folder_sensor(context)


def test_sensor_requests_a_run_for_new_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    monkeypatch.setenv("PULSE_LANDING_DIR", str(landing))
    (landing / "orders_1.csv").write_text("order_id,customer_id,ordered_at,net_amount\n")

    first = _tick(None)
    assert len(first.run_requests or []) == 1

    unchanged = _tick(first.cursor)
    assert not unchanged.run_requests
    assert unchanged.skip_reason is not None

    (landing / "orders_2.csv").write_text("order_id,customer_id,ordered_at,net_amount\n")
    added = _tick(unchanged.cursor)
    assert len(added.run_requests or []) == 1
    assert added.run_requests[0].tags["pulse/new_files"] == "1"


def _outcome(**changes: object) -> SuiteOutcome:
    values: dict[str, object] = {
        "suite_name": "raw_reviews",
        "table": "raw.reviews",
        "success": True,
        "errored": False,
        "error": None,
        "evaluated": 7,
        "failed": [],
        "elapsed_seconds": 0.1,
    }
    values.update(changes)
    return SuiteOutcome(**values)  # type: ignore[arg-type]


def test_failed_expectations_fail_the_check_with_details() -> None:
    result = outcome_to_check_result(
        _outcome(
            success=False,
            failed=[
                {
                    "type": "expect_column_values_to_be_in_set",
                    "column": "rating",
                    "summary": "1 of 2 rows unexpected in rating, e.g. '7'",
                }
            ],
        )
    )
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    assert "'7'" in str(result.metadata["failures"].value)


def test_crashing_validator_is_an_error_not_a_data_failure() -> None:
    with pytest.raises(ValidatorError, match="could not run: Catalog Error"):
        outcome_to_check_result(
            _outcome(success=False, errored=True, error="Catalog Error: no table reviews")
        )
