"""Case-actions files land like any source: detected, staged, checked, in the ledger, and an
action the follow-up queue cannot apply is quarantined with the reason."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion.detect import detect
from ingestion.pipeline import ingest

KNOWN_CASES = ("case-a", "case-b")


def write_actions(path: Path, *rows: str, header: str = "case_id,action,actor,at,note") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def queue(pulse_env: Path) -> Path:
    """A warehouse whose follow-up queue (as a dbt build leaves it) holds two cases."""
    with duckdb.connect(str(pulse_env)) as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.fct_follow_up_cases (case_id varchar)")
        conn.executemany(
            "insert into marts.fct_follow_up_cases values (?)", [[c] for c in KNOWN_CASES]
        )
    return pulse_env


def test_a_case_actions_file_is_detected_by_its_columns(tmp_path: Path) -> None:
    path = write_actions(tmp_path / "actions.csv", "case-a,contacted,anna,2025-03-01T10:00:00Z,")
    detection = detect(path)
    assert (detection.family, detection.layout) == ("followup", "case_actions_csv")
    # `at` may be spelled acted_at, extra columns are ignored, actor and note may be absent.
    other = write_actions(
        tmp_path / "other.csv",
        "case-a,resolved,2025-03-01,x",
        header="Case ID,Action,Acted at,Channel",
    )
    assert detect(other).layout == "case_actions_csv"


def test_actions_load_and_what_cannot_be_applied_is_quarantined(queue: Path, landing: Path) -> None:
    write_actions(
        landing / "followup" / "actions_2025_03.csv",
        "case-a,contacted,anna,2025-03-01T10:00:00Z,Called the customer",
        "case-a,Resolved,anna,2025-03-02 09:30:00,Refund sent",
        "case-b,no_action,ben,2025-03-01T08:00:00+02:00,",
        "case-zzz,contacted,anna,2025-03-01T10:00:00Z,typo in the id",
        "case-b,phoned,anna,2025-03-01T10:00:00Z,",
        "case-b,contacted,anna,yesterday,",
        ",contacted,anna,2025-03-01T10:00:00Z,",
    )
    [result] = ingest(families={"followup"})
    assert result.status == "loaded", result.error
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (7, 3, 4)
    with duckdb.connect(str(queue), read_only=True) as conn:
        loaded = conn.execute(
            "select case_id, action, actor, acted_at from raw.case_actions order by _row_number"
        ).fetchall()
        reasons = [
            row[0]
            for row in conn.execute(
                "select reason from raw.quarantine where target_table = 'raw.case_actions'"
                " order by reason"
            ).fetchall()
        ]
        ledger = conn.execute(
            "select format, target_table, rows_in, rows_loaded, rows_quarantined"
            " from raw.load_ledger where file_name = 'followup/actions_2025_03.csv'"
        ).fetchall()
    # A time without a zone is read in the default zone (UTC here) and stored as UTC.
    assert loaded == [
        ("case-a", "contacted", "anna", "2025-03-01T10:00:00Z"),
        ("case-a", "Resolved", "anna", "2025-03-02T09:30:00Z"),
        ("case-b", "no_action", "ben", "2025-03-01T08:00:00+02:00"),
    ]
    assert reasons == [
        'at "yesterday" is not an ISO 8601 time in data row 6',
        "missing case_id in data row 7",
        'unknown action "phoned" (known: assigned, contacted, resolved, no_action, reopened,'
        " note) in data row 5",
        "unknown case case-zzz: not in marts.fct_follow_up_cases as last built in data row 4",
    ]
    assert ledger == [("case_actions_csv", "raw.case_actions", 7, 3, 4)]


def test_before_the_queue_is_built_every_case_is_unknown(pulse_env: Path, landing: Path) -> None:
    write_actions(landing / "followup" / "a.csv", "case-a,contacted,anna,2025-03-01T10:00:00Z,")
    [result] = ingest(families={"followup"})
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 0, 1)


def test_the_same_file_again_loads_nothing_and_a_corrected_one_replaces_it(
    queue: Path, landing: Path
) -> None:
    path = write_actions(
        landing / "followup" / "actions.csv", "case-a,contacted,anna,2025-03-01T10:00:00Z,"
    )
    assert [r.status for r in ingest(families={"followup"})] == ["loaded"]
    assert [r.status for r in ingest(families={"followup"})] == ["unchanged"]
    write_actions(
        path,
        "case-a,contacted,anna,2025-03-01T10:00:00Z,",
        "case-a,resolved,anna,2025-03-03T10:00:00Z,",
    )
    assert [r.status for r in ingest(families={"followup"})] == ["loaded"]
    with duckdb.connect(str(queue), read_only=True) as conn:
        actions = conn.execute("select action from raw.case_actions order by acted_at").fetchall()
    assert actions == [("contacted",), ("resolved",)]
