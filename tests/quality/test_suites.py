"""Suites on every raw table and the main marts: what they catch, with which severity."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest
from nps_mart import GOOD_CELLS, NPS_OF_120, SMALL_OVERALL, write_nps_mart

from ingestion.warehouse import ensure_raw_schema
from orchestration.defs.quality.checks import ValidatorError, outcome_to_check_result
from orchestration.lib.quality.gx_runner import available_suites, run_suite
from tests.quality.test_gx_runner import all_failures


def nps_warehouse(path: Path, cells: list[tuple]) -> Path:
    return write_nps_mart(path, cells)


def raw_warehouse(path: Path, *statements: str) -> Path:
    with duckdb.connect(str(path)) as connection:
        ensure_raw_schema(connection)  # with the vendor registry's list of sources
        for statement in statements:
            connection.execute(statement)
    return path


def test_every_raw_table_and_main_mart_has_a_suite() -> None:
    suites = available_suites()
    raw_tables = {
        "raw.survey_responses", "raw.survey_answers", "raw.survey_questions",
        "raw.survey_registry", "raw.reviews", "raw.poll_options", "raw.customers",
        "raw.orders",
    }  # fmt: skip
    marts = {"marts.metrics_nps", "marts.metrics_csat", "marts.metrics_ces"}
    assert raw_tables | marts <= set(suites.values())


def test_good_nps_cells_pass(tmp_path: Path) -> None:
    outcome = run_suite(nps_warehouse(tmp_path / "w.duckdb", GOOD_CELLS), "metrics_nps")
    assert outcome.error is None
    assert outcome.success, outcome.failed


def test_nps_out_of_range_and_outside_its_interval_fail_as_errors(tmp_path: Path) -> None:
    outcome = run_suite(
        nps_warehouse(tmp_path / "w.duckdb", [*GOOD_CELLS, NPS_OF_120]), "metrics_nps"
    )
    assert not outcome.errored, outcome.error
    by_rule = {failure["description"] or failure["type"]: failure for failure in outcome.failed}
    assert set(by_rule) == {"expect_column_values_to_be_between", "the 95% interval contains nps"}
    assert by_rule["expect_column_values_to_be_between"]["unexpected_examples"] == [120.0]
    interval = by_rule["the 95% interval contains nps"]
    assert interval["severity"] == "error"
    assert interval["observed_value"] == 1
    assert "metric_row_id=cell-3" in interval["summary"] and "nps=120.0" in interval["summary"]
    result = outcome_to_check_result(outcome)
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    assert "nps=120.0" in str(result.metadata["failures"].value)


def test_small_cell_ranked_as_significant_fails(tmp_path: Path) -> None:
    ranked = ("month", "touchpoint", 8, 4, 2, 2, 25.0, -20.0, 70.0, True, True)
    unflagged = ("week", "touchpoint", 9, 4, 3, 2, 22.2, -20.0, 70.0, False, False)
    outcome = run_suite(
        nps_warehouse(tmp_path / "w.duckdb", [*GOOD_CELLS, ranked, unflagged]),
        "metrics_nps",
    )
    [failure] = outcome.failed
    assert failure["description"].startswith("cells with n below 30")
    assert failure["observed_value"] == 2
    assert failure["severity"] == "error"


def test_counts_that_do_not_add_up_fail(tmp_path: Path) -> None:
    miscounted = ("month", "source", 50, 20, 10, 10, 20.0, 0.0, 40.0, False, False)
    outcome = run_suite(
        nps_warehouse(tmp_path / "w.duckdb", [*GOOD_CELLS, miscounted]), "metrics_nps"
    )
    [failure] = outcome.failed
    assert failure["description"] == "promoters, passives and detractors add up to n"
    assert "n=50" in failure["summary"]


def test_warning_only_failure_annotates_without_blocking(tmp_path: Path) -> None:
    outcome = run_suite(nps_warehouse(tmp_path / "w.duckdb", SMALL_OVERALL), "metrics_nps")
    assert not outcome.success
    assert outcome.blocking_failures == []
    [warning] = outcome.warnings
    assert warning["description"] == "at least 30 responses overall"
    result = outcome_to_check_result(outcome)
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert "at least 30 responses overall" in str(result.metadata["warning_details"].value)
    assert result.metadata["failures"].value == "none"


def test_missing_mart_is_a_validator_error(tmp_path: Path) -> None:
    warehouse = raw_warehouse(tmp_path / "w.duckdb")
    outcome = run_suite(warehouse, "metrics_csat")
    assert outcome.errored and outcome.failed == []
    assert "metrics_csat" in (outcome.error or "")
    with pytest.raises(ValidatorError, match="metrics_csat could not run"):
        outcome_to_check_result(outcome)


def test_future_time_stamp_and_unknown_poll_platform_fail_raw_polls(tmp_path: Path) -> None:
    warehouse = raw_warehouse(
        tmp_path / "w.duckdb",
        """
        insert into raw.poll_options (poll_id, platform, option_label, votes, started_at,
            _source, _file_name, _file_hash, _row_number, _load_id, _loaded_at)
        values
            ('p1', 'x', 'Yes', '10', '2024-03-01T10:00:00Z', 'x', 'polls.csv', 'h', 1, 'l', now()),
            ('p1', 'x', 'No', '5', '2099-03-01T10:00:00Z', 'x', 'polls.csv', 'h', 2, 'l', now()),
            ('p2', 'myspace', 'Maybe', 'many', '2024-03-01', 'x', 'polls.csv', 'h', 3, 'l', now())
        """,
    )
    outcome = run_suite(warehouse, "raw_poll_options")
    assert not outcome.errored, outcome.error
    by_column = {
        failure["column"] or failure["description"]: failure for failure in all_failures(outcome)
    }
    assert set(by_column) == {
        "platform is a polls source the vendor registry knows",
        "votes",
        "started_at not in the future",
    }
    assert by_column["platform is a polls source the vendor registry knows"][
        "unexpected_examples"
    ] == ["_file_name=polls.csv, _row_number=3, platform=myspace"]
    assert "_row_number=2" in by_column["started_at not in the future"]["summary"]


def test_answers_off_their_scale_or_not_whole_numbers_fail(tmp_path: Path) -> None:
    """A scored answer must be a whole number on its item's scale: 11 on 0..10, 9.5, 1e1
    and abc each hold the load (9.5 counted a promoter, 1e1 a 10, abc left n unseen)."""
    warehouse = raw_warehouse(
        tmp_path / "w.duckdb",
        """
        insert into raw.survey_registry (survey_id, item_id, instrument, scale_min, scale_max,
            _loaded_at)
        values ('s1', 'Q1', 'nps', 0, 10, now()), ('s1', 'Q2', 'driver', 1, 5, now())
        """,
        """
        insert into raw.survey_answers (survey_id, response_id, item_ids, answers, _source,
            _file_name, _file_hash, _row_number, _load_id, _loaded_at)
        values
            ('s1', 'R1', ['Q1'], ['9'], 'qualtrics', 'f.csv', 'h', 1, 'l', now()),
            ('s1', 'R2', ['Q1', 'Q2'], ['11', '11'], 'qualtrics', 'f.csv', 'h', 2, 'l', now()),
            ('s1', 'R3', ['Q1'], ['9.5'], 'qualtrics', 'f.csv', 'h', 3, 'l', now()),
            ('s1', 'R4', ['Q1'], ['1e1'], 'qualtrics', 'f.csv', 'h', 4, 'l', now()),
            ('s1', 'R5', ['Q1'], ['abc'], 'qualtrics', 'f.csv', 'h', 5, 'l', now()),
            ('s1', 'R6', ['Q1'], ['10.0'], 'qualtrics', 'f.csv', 'h', 6, 'l', now())
        """,
    )
    outcome = run_suite(warehouse, "raw_survey_answers")
    [held] = outcome.held  # the load is held back from staging
    [failure] = held.failures
    assert failure["description"] == "scored answers whole numbers on their item's scale"
    assert failure["observed_value"] == 5
    assert "instrument=nps" in failure["summary"]


def test_answer_lists_out_of_step_fail(tmp_path: Path) -> None:
    warehouse = raw_warehouse(
        tmp_path / "w.duckdb",
        """
        insert into raw.survey_answers (survey_id, response_id, item_ids, answers, _source,
            _file_name, _file_hash, _row_number, _load_id, _loaded_at)
        values
            ('s1', 'R1', ['Q1', 'Q2'], ['9', 'fine'], 'qualtrics', 'f.csv', 'h', 1, 'l', now()),
            ('s1', 'R2', ['Q1', 'Q2'], ['7'], 'qualtrics', 'f.csv', 'h', 2, 'l', now()),
            ('s1', 'R3', ['Q1', null], ['7', '8'], 'qualtrics', 'f.csv', 'h', 3, 'l', now()),
            ('s1', 'R3', ['Q1'], ['7'], 'qualtrics', 'f.csv', 'h', 4, 'l', now()),
            ('s1', 'R4', ['Q1', 'Q1'], ['7', '8'], 'qualtrics', 'f.csv', 'h', 5, 'l', now())
        """,
    )
    outcome = run_suite(warehouse, "raw_survey_answers")
    assert not outcome.errored, outcome.error
    failed = {failure["description"]: failure for failure in all_failures(outcome)}
    assert set(failed) == {
        "item_ids and answers of the same length",
        "item ids not null and unique within a response",
        "one row per (_load_id, survey_id, response_id)",
    }
    assert "response_id=R2" in failed["item_ids and answers of the same length"]["summary"]
    repeated_ids = failed["item ids not null and unique within a response"]
    assert repeated_ids["observed_value"] == 2
    assert "_row_number=3" in repeated_ids["summary"] and "_row_number=5" in repeated_ids["summary"]


def test_missing_raw_column_is_reported_by_name(tmp_path: Path) -> None:
    warehouse = raw_warehouse(tmp_path / "w.duckdb", "alter table raw.customers drop email_hash")
    outcome = run_suite(warehouse, "raw_customers")
    assert not outcome.errored, outcome.error
    [failure] = outcome.failed
    assert failure["summary"] == "missing columns email_hash"
