"""The one end-to-end fault test (a real `pulse run`: ingest, GX gates, dbt build, checks,
publish): a run killed while holding the writer slot, with a publish's temp file left
behind, does not block the next run; afterwards no clear e-mail is in the published copy
or quarantine, and the pseudonymisation key (a canary secret) is nowhere on disk."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.settings import REPO_ROOT

CANARY_KEY = "canary-key-5c1e0b7d"
CLEAR_EMAIL = re.compile(
    r"[^\s@＠\"',;:<>()\[\]]+[@＠][^\s@＠\"',;:<>()\[\]]+\.[^\s@\"',;:<>()\[\]0-9.]{2,}"
)


def _text_values(database: Path, tables_sql: str) -> list[str]:
    values: list[str] = []
    with duckdb.connect(str(database), read_only=True) as conn:
        tables = conn.execute(tables_sql).fetchall()
        for schema, table, column in tables:
            rows = conn.execute(
                f'select "{column}"::varchar from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall()
            values += [row[0] for row in rows]
    return values


def _files_holding(root: Path, needle: bytes) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file() and needle in path.read_bytes()]


@pytest.mark.integration
def test_pulse_run_after_a_killed_run(
    dagster_home: Path,
    slot_holder: subprocess.Popen[bytes],
    landing: Path,
    tmp_path: Path,
) -> None:
    warehouse = Path(os.environ["PULSE_WAREHOUSE"])
    slot_holder.kill()  # kill -9 while it holds the writer slot
    slot_holder.wait()
    leftover = warehouse.with_name(".published.duckdb.0badc0de.tmp")
    leftover.write_bytes(b"half a copy")
    reviews = landing / "reviews" / "reviews_small.csv"
    reviews.write_text(
        reviews.read_text(encoding="utf-8")
        + 'tp-000090,trustpilot,footwear,web,4,Ok,"write to jörg@bücher.de or +49 30 1234 5678"'
        ",en,,,,2025-03-10T10:00:00Z,,\n"
        + 'tp-000091,trustpilot,footwear,web,5,Hi,"mail me at x.y@example.org"\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": str(dagster_home),
        "DBT_TARGET_PATH": str(tmp_path / "dbt_target"),
        "PULSE_PSEUDONYM_KEY": CANARY_KEY,
        "PULSE_WRITER_WAIT_LIMIT": "120",
        "PYTHONPATH": str(REPO_ROOT),
    }

    run = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO_ROOT,
    )

    assert run.returncode == 0, run.stderr[-3000:]
    assert "its process is gone; slots freed" in run.stderr
    assert "waiting" not in run.stderr  # no wait on the dead run
    assert "This run: " in run.stdout
    # Quiet: progress and the summary on the terminal, the rest (dbt's output) in the log.
    shown = (run.stdout + run.stderr).splitlines()
    assert len(shown) <= 40, shown
    logged = re.search(r"^Full log: (.+)$", run.stdout, re.MULTILINE)
    assert logged and "Running dbt command" in Path(logged[1]).read_text(encoding="utf-8")
    assert "Running dbt command" not in run.stdout + run.stderr
    doctor = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "doctor", "--repair"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert not leftover.exists()

    published = warehouse.with_name("published.duckdb")
    text_columns = (
        "select table_schema, table_name, column_name from information_schema.columns"
        " where data_type = 'VARCHAR'"
    )
    published_text = _text_values(published, text_columns)
    assert published_text and not [v for v in published_text if CLEAR_EMAIL.search(v)]
    quarantined = _text_values(
        warehouse,
        "select 'raw', 'quarantine', unnest(['original_line', 'reason'])",
    )
    assert quarantined, "the cut review row should be quarantined"
    assert not [value for value in quarantined if CLEAR_EMAIL.search(value)]
    canary = CANARY_KEY.encode()
    for root in (warehouse.parent, tmp_path / "dbt_target", dagster_home):
        assert _files_holding(root, canary) == [], root
