"""Real `pulse run` processes on the small fixture landing folder, killed and overlapped.

- Two runs started together on one warehouse both end; no file is loaded twice, and each
  run's summary counts the files it loaded itself. Their marts are the clean result.
- On a second warehouse, one run after another is killed with SIGKILL at each stage (a
  file's transaction about to commit, the raw checks, the dbt step, the publish with its
  copy written but not swapped in), each at the fault point it is told to stop at
  (ingestion/faults.py). The run after them recovers the dead runs without waiting on
  them, and its marts equal the clean result.

A chain of kills, each run going one stage further than the last, costs one pipeline's
work plus a process start per kill, instead of a full run per stage.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from ingestion.settings import REPO_ROOT
from orchestration.project import PARSE_STAMP
from tests.conftest import FIXTURE_LANDING

RUN_TIMEOUT = 900
KILL_POINTS = ("ingest_commit", "checks", "dbt_build", "publish")
# Columns that say when or by which load or run a row was made: they differ between two
# warehouses built from the same files.
VOLATILE_COLUMN = re.compile(
    r"(^|_)(load_id|run_id|build_id|loaded_at|transformed_at|resolved_at|published_at"
    r"|built_at|computed_at|scored_at|refreshed_at|evaluated_at|votes_counted_at)$"
)
LOADED = re.compile(r"This run: (\d+) new files loaded")


@dataclass
class Site:
    """One warehouse with its landing folder, Dagster home and environment."""

    root: Path
    env: dict[str, str]

    @property
    def warehouse(self) -> Path:
        return Path(self.env["PULSE_WAREHOUSE"])

    def start(self, **extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "run"],
            env={**self.env, **extra},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
        )


def _site(root: Path, dbt_target: Path) -> Site:
    landing = root / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    home = root / "dagster_home"
    home.mkdir()
    shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PULSE_", "DAGSTER_", "DBT_"))
    }
    env.update(
        PULSE_LANDING_DIR=str(landing),
        PULSE_WAREHOUSE=str(root / "warehouse.duckdb"),
        PULSE_PSEUDONYM_KEY="test-key",
        PULSE_WRITER_WAIT_LIMIT="600",
        DAGSTER_HOME=str(home),
        DBT_TARGET_PATH=str(dbt_target),
        PYTHONPATH=str(REPO_ROOT),
    )
    return Site(root, env)


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        pytest.fail(f"pulse run did not end within {RUN_TIMEOUT} s: {stderr[-2000:]}")
    return process.returncode, stdout, stderr


def _rows(database: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def marts(database: Path) -> dict[str, list[tuple]]:
    """Every mart table's rows, sorted, without the columns naming loads, runs and times."""
    tables: dict[str, list[tuple]] = {}
    with duckdb.connect(str(database), read_only=True) as conn:
        names = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            " order by 1"
        ).fetchall()
        for (table,) in names:
            columns = [
                column
                for (column,) in conn.execute(
                    "select column_name from information_schema.columns where table_schema ="
                    " 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if not VOLATILE_COLUMN.search(column)
            ]
            listed = ", ".join(f'"{column}"::varchar' for column in columns)
            rows = conn.execute(f'select {listed} from marts."{table}"').fetchall()
            tables[table] = sorted(rows, key=lambda row: tuple("" if v is None else v for v in row))
    return tables


@dataclass
class Overlap:
    site: Site
    outcomes: list[tuple[int, str, str]]
    seconds: float


@pytest.fixture(scope="module")
def dbt_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dbt_target")


@pytest.fixture(scope="module")
def overlap(tmp_path_factory: pytest.TempPathFactory, dbt_target: Path) -> Iterator[Overlap]:
    """Two `pulse run`s on one warehouse; the second starts once the first has parsed dbt
    (both would parse into the one target folder otherwise), long before it ends."""
    site = _site(tmp_path_factory.mktemp("overlap"), dbt_target)
    started = time.monotonic()
    first = site.start()
    stamp = dbt_target / PARSE_STAMP
    while not stamp.exists():
        assert first.poll() is None, first.communicate()[1][-2000:]
        assert time.monotonic() - started < RUN_TIMEOUT
        time.sleep(0.2)
    second = site.start()
    outcomes = [_finish(first), _finish(second)]
    yield Overlap(site, outcomes, time.monotonic() - started)


def test_two_overlapping_runs_both_end_and_count_only_their_own_loads(overlap: Overlap) -> None:
    for returncode, _, stderr in overlap.outcomes:
        assert returncode == 0, stderr[-3000:]
    warehouse = overlap.site.warehouse
    twice = _rows(
        warehouse,
        "select file_name, count(*) from raw.load_ledger where status in ('loaded', 'held')"
        " group by all having count(*) > 1",
    )
    assert twice == []
    for table, loaded in _rows(
        warehouse,
        "select target_table, sum(rows_loaded) from raw.load_ledger"
        " where status in ('loaded', 'held') group by all",
    ):
        assert _rows(warehouse, f"select count(*) from {table}") == [(loaded,)], table
    per_run = dict(
        _rows(
            warehouse,
            "select run_id, count(*) from raw.load_ledger where status in ('loaded', 'held')"
            " group by all",
        )
    )
    files = _rows(warehouse, "select count(*) from raw.load_ledger where status = 'loaded'")
    claimed = []
    for _, stdout, _ in overlap.outcomes:
        match = LOADED.search(stdout)
        assert match, stdout
        log = re.search(r"pulse-run-\d{8}-\d{6}-([0-9a-f]{8})\.log", stdout)
        assert log, stdout
        own = sum(count for run_id, count in per_run.items() if run_id.startswith(log[1]))
        assert int(match[1]) == own  # the summary counts what this run loaded
        claimed.append(own)
    assert sum(claimed) == files[0][0]


def test_a_run_killed_at_each_stage_leaves_nothing_the_next_run_waits_on(
    tmp_path_factory: pytest.TempPathFactory, dbt_target: Path, overlap: Overlap
) -> None:
    site = _site(tmp_path_factory.mktemp("killed"), dbt_target)
    published = site.warehouse.with_name("published.duckdb")
    for point in KILL_POINTS:
        marker = site.root / f"{point}.pid"
        process = site.start(PULSE_FAULT_POINT=point, PULSE_FAULT_MARKER=str(marker))
        deadline = time.monotonic() + RUN_TIMEOUT
        while not marker.exists():
            if process.poll() is not None:
                pytest.fail(f"run ended before {point}: {process.communicate()[1][-3000:]}")
            assert time.monotonic() < deadline, f"run never reached {point}"
            time.sleep(0.1)
        time.sleep(0.2)  # the PID is written; the process now waits at the point
        assert int(marker.read_text(encoding="utf-8")) == process.pid
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        assert process.returncode == -signal.SIGKILL
        if point == "ingest_commit":
            # The file being committed left no trace: the ledger and raw agree.
            for table, loaded in _rows(
                site.warehouse,
                "select target_table, sum(rows_loaded) from raw.load_ledger"
                " where status = 'loaded' group by all",
            ):
                assert _rows(site.warehouse, f"select count(*) from {table}") == [(loaded,)]
        if point == "publish":
            assert list(published.parent.glob(".published.duckdb.*.tmp"))

    started = time.monotonic()
    returncode, _, stderr = _finish(site.start())
    seconds = time.monotonic() - started

    assert returncode == 0, stderr[-3000:]
    assert stderr.count("its process is gone; slots freed") >= 1, stderr
    assert "waiting" not in stderr  # no wait on a dead run's writer slot
    assert seconds < RUN_TIMEOUT
    clean = marts(overlap.site.warehouse)
    recovered = marts(site.warehouse)
    assert recovered.keys() == clean.keys()
    for table in clean:
        assert recovered[table] == clean[table], table
