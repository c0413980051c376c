"""The Parquet raw layer: written beside each load, atomically, without duplicates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.lake import Lake, write_snapshots
from ingestion.lake.store import final_name
from ingestion.pipeline import ingest

# Loads the landing folder, dying (as a kill would) at the moment named by argv[1]: after
# a load's files are written under temporary names but before its transaction commits,
# or after the commit but before the files are renamed.
DYING_INGEST = """
import os
import sys

from ingestion import load
from ingestion.lake import files
from ingestion.pipeline import ingest

moment = sys.argv[1]
loads_to_finish = int(sys.argv[2])


def die_when_due() -> None:
    global loads_to_finish
    if loads_to_finish == 0:
        os._exit(9)
    loads_to_finish -= 1


if moment == "before_commit":
    stage_load = load.stage_load

    def staging_then_dying(*args, **kwargs):
        pending = stage_load(*args, **kwargs)
        die_when_due()
        return pending

    load.stage_load = staging_then_dying
else:
    publish = files.PendingFiles.publish

    def dying_before_publishing(self):
        die_when_due()
        publish(self)

    files.PendingFiles.publish = dying_before_publishing
ingest()
"""


@pytest.fixture
def lake(pulse_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lake:
    monkeypatch.setenv("PULSE_LAKE_URL", str(tmp_path / "lake"))
    monkeypatch.delenv("PULSE_TARGET", raising=False)
    return Lake.at(tmp_path / "lake")


def _ledger(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute("select path, row_count from raw.lake_files").fetchall()
    return {str(path): int(count) for path, count in rows}


def _visible(lake: Lake) -> set[str]:
    """The files an engine reads: final names only (temporary ones start with '_')."""
    return {path for path in lake.files("raw") if final_name(path) is None}


def _assert_lake_matches_raw(warehouse: Path, lake: Lake) -> None:
    ledger = _ledger(warehouse)
    assert lake.files("raw") == set(ledger)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for table in ("orders", "customers", "reviews", "survey_answers", "poll_options"):
            files = [lake.full_path(path) for path in ledger if path.startswith(f"raw/{table}/")]
            in_raw = conn.execute(f"select count(*) from raw.{table}").fetchone()  # fixed names
            in_lake = conn.execute("select count(*) from read_parquet($files)", {"files": files})
            assert in_raw == in_lake.fetchone(), table


def test_each_load_lands_in_its_table_and_load_date_partition(pulse_env: Path, lake: Lake) -> None:
    ingest()
    ledger = _ledger(pulse_env)
    orders = [path for path in ledger if path.startswith("raw/orders/")]
    assert len(orders) == 1
    assert orders[0].split("/")[2].startswith("load_date=")
    _assert_lake_matches_raw(pulse_env, lake)


def test_redelivery_does_not_duplicate_and_a_correction_replaces_the_file(
    pulse_env: Path, lake: Lake, landing: Path
) -> None:
    ingest()
    before = _ledger(pulse_env)
    ingest()
    assert _ledger(pulse_env) == before
    orders = landing / "commerce" / "orders_small.csv"
    lines = orders.read_text().splitlines()
    orders.write_text("\n".join(lines[:-1]) + "\n")
    ingest()
    after = _ledger(pulse_env)
    old = {path for path in before if path.startswith("raw/orders/")}
    new = {path for path in after if path.startswith("raw/orders/")}
    assert len(new) == 1 and new != old
    _assert_lake_matches_raw(pulse_env, lake)


@pytest.mark.parametrize("moment", ["before_commit", "after_commit"])
def test_a_load_killed_midway_is_never_visible_in_part(
    pulse_env: Path, lake: Lake, tmp_path: Path, moment: str
) -> None:
    script = tmp_path / "dying_ingest.py"
    script.write_text(DYING_INGEST, encoding="utf-8")
    died = subprocess.run(
        [sys.executable, str(script), moment, "2"], env=dict(os.environ), capture_output=True
    )
    assert died.returncode == 9, died.stderr.decode()
    # What an engine sees now: only files of committed loads, every one whole.
    ledger = _ledger(pulse_env)
    assert _visible(lake) <= set(ledger)
    assert lake.files("raw") - _visible(lake), "the killed load left no temporary file"
    # The next run finishes or discards what the killed one left.
    ingest()
    _assert_lake_matches_raw(pulse_env, lake)
    assert _visible(lake) == lake.files("raw")


def test_the_text_scorers_tables_are_written_whole_beside_the_raw_layer(
    pulse_env: Path, lake: Lake
) -> None:
    with duckdb.connect(str(pulse_env)) as conn:
        conn.execute("create schema analytics")
        conn.execute("create table analytics.text_scores as select 'f1' as feedback_item_id")
        conn.execute("create table analytics.empty_table (theme varchar)")
        written = write_snapshots(conn, lake, "analytics", ("text_scores", "empty_table"))
    assert written == {"text_scores": 1, "empty_table": 0}
    assert lake.files("analytics") == {
        "analytics/text_scores/text_scores.parquet",
        "analytics/empty_table/empty_table.parquet",
    }
    assert lake.files("_schemas") == {
        "_schemas/analytics/text_scores.parquet",
        "_schemas/analytics/empty_table.parquet",
    }
    with duckdb.connect() as conn:
        rows = conn.execute(
            "select * from read_parquet($file)",
            {"file": lake.full_path("analytics/text_scores/text_scores.parquet")},
        ).fetchall()
    assert rows == [("f1",)]
