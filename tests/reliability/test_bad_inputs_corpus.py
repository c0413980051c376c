"""Fifty bad landing files, generated in bad_inputs_corpus.py, loaded by the real ingestion
in one pass beside the good fixture files: each reaches its expected outcome (loaded with
its counts, or failed with a one-line reason), rows in = loaded + quarantined for every
file, and the ledger, raw and quarantine agree on each load."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingestion.load import FileResult
from ingestion.pipeline import ingest
from tests.reliability.bad_inputs_corpus import FIXTURE_LANDING, Case, corpus

CASES = corpus()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    """The fixture landing folder plus every bad file, ingested once."""
    root = tmp_path_factory.mktemp("bad_inputs")
    landing = root / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    for case in CASES:
        path = landing / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data)
    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PULSE_WAREHOUSE", str(warehouse))
        patch.setenv("PULSE_LANDING_DIR", str(landing))
        patch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
        patch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
        patch.delenv("PULSE_RETENTION_DAYS", raising=False)
        results = {result.file_name: result for result in ingest()}
    yield warehouse, results


def test_the_corpus_is_big_enough_and_its_bytes_distinct() -> None:
    assert len(CASES) >= 50
    assert len({case.name for case in CASES}) == len(CASES)
    assert len({case.data for case in CASES}) == len(CASES)  # no skip as a duplicate


def test_the_good_files_load_beside_the_bad(ingested: tuple[Path, dict]) -> None:
    _, results = ingested
    good = [
        path.relative_to(FIXTURE_LANDING).as_posix()
        for path in FIXTURE_LANDING.rglob("*")
        if path.is_file() and path.suffix != ".yml"
    ]
    assert {results[name].status for name in good} == {"loaded"}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_bad_file_gets_its_outcome(ingested: tuple[Path, dict], case: Case) -> None:
    warehouse, results = ingested
    result: FileResult = results[case.name]
    expected = case.expected
    assert result.status == expected.status, result
    assert result.rows_in == result.rows_loaded + result.rows_quarantined
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        ledger = conn.execute(
            "select status, rows_in, rows_loaded, rows_quarantined, error, target_table, load_id"
            " from raw.load_ledger where file_name = ?",
            [case.name],
        ).fetchall()
        assert len(ledger) == 1, ledger
        status, rows_in, rows_loaded, rows_quarantined, error, table, load_id = ledger[0]
        assert status == expected.status
        if expected.status == "failed":
            assert expected.reason is not None and expected.reason in (result.error or "")
            assert error == result.error and "\n" not in error and error.isprintable()
            return
        assert (rows_in, rows_loaded, rows_quarantined) == expected.rows
        assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == expected.rows
        raw_rows = conn.execute(f"select count(*) from {table} where _load_id = ?", [load_id])
        assert raw_rows.fetchone() == (rows_loaded,)
        quarantined = conn.execute(
            "select count(*) from raw.quarantine where load_id = ?", [load_id]
        )
        assert quarantined.fetchone() == (rows_quarantined,)
