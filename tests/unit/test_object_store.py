"""Landing from an object-store prefix through fsspec (memory:// and file:// here)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import fsspec
import pytest

from ingestion.pipeline import ingest
from orchestration.cli import main

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
FILES = ("reviews/trustpilot_reviews.csv", "polls/tiktok_poll_results.csv")


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def memory_prefix() -> Iterator[str]:
    """A prefix in fsspec's in-memory store holding two exports, a note and a hidden file."""
    prefix = f"memory://pulse-{uuid.uuid4().hex[:8]}/landing"
    fs = fsspec.filesystem("memory")
    for name in FILES:
        with fsspec.open(f"{prefix}/{name}", "wb") as target:
            target.write((FORMATS / name).read_bytes())
    fs.pipe(prefix.removeprefix("memory://") + "/README.md", b"notes, not an export")
    fs.pipe(prefix.removeprefix("memory://") + "/.staging/partial.csv", b"review_id\n")
    yield prefix
    fs.rm(prefix.removeprefix("memory://").split("/")[0], recursive=True)


def test_memory_prefix_from_the_environment(
    pulse_env: Path, memory_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_LANDING_DIR", memory_prefix)
    results = {r.file_name: r for r in ingest()}
    assert {name: (r.status, r.rows_loaded) for name, r in results.items()} == {
        f"{memory_prefix}/reviews/trustpilot_reviews.csv": ("loaded", 3),
        f"{memory_prefix}/polls/tiktok_poll_results.csv": ("loaded", 3),
    }
    ledger = _query(pulse_env, "select file_name, format from raw.load_ledger order by 1")
    assert ledger == [
        (f"{memory_prefix}/polls/tiktok_poll_results.csv", "tiktok_poll_csv"),
        (f"{memory_prefix}/reviews/trustpilot_reviews.csv", "trustpilot_review_csv"),
    ]
    lineage = _query(pulse_env, "select distinct _file_name from raw.reviews")
    assert lineage == [(f"{memory_prefix}/reviews/trustpilot_reviews.csv",)]

    again = ingest()
    assert {r.status for r in again} == {"unchanged"}
    assert _query(pulse_env, "select count(*) from raw.poll_options") == [(3,)]


def test_file_url_prefix_as_the_pipeline_argument(pulse_env: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bucket"
    for name in FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes((FORMATS / name).read_bytes())
    prefix = folder.as_uri()
    results = ingest(landing_root=prefix, families={"reviews"})
    assert [(r.file_name, r.status, r.rows_loaded) for r in results] == [
        (f"{prefix}/reviews/trustpilot_reviews.csv", "loaded", 3)
    ]
    assert _query(pulse_env, "select count(*) from raw.poll_options") == [(0,)]


def test_cli_ingests_a_prefix_url(
    pulse_env: Path, memory_prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", memory_prefix]) == 0
    out = capsys.readouterr().out
    assert f"{memory_prefix}/reviews/trustpilot_reviews.csv" in out
    assert _query(pulse_env, "select count(*) from raw.reviews") == [(3,)]
