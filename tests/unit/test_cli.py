"""The `pulse` command line: output a person reads and exit codes scripts rely on."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.conftest import FIXTURE_LANDING


def test_detect_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["detect", str(FIXTURE_LANDING / "surveys" / "qualtrics_pulse_small.csv")])
    detection = json.loads(capsys.readouterr().out)
    assert code == 0
    assert detection["vendor"] == "qualtrics"
    assert detection["layout"] == "qualtrics_csv_3_header"


def test_detect_real_exports(real_fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "detect",
            str(real_fixtures / "qualtrics" / "export_modern" / "sample.csv"),
            str(real_fixtures / "google_forms" / "form_responses_1.csv"),
        ]
    )
    vendors = [item["vendor"] for item in json.loads(capsys.readouterr().out)]
    assert code == 0
    assert vendors == ["qualtrics", "google_forms"]


def test_detect_unknown_file_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("alpha,beta\n1,2\n")
    assert main(["detect", str(path)]) == 1
    assert json.loads(capsys.readouterr().out)["supported"] is False


def test_ingest_prints_counts_and_status_reads_the_ledger(
    pulse_env: Path, landing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(landing)]) == 0
    out = capsys.readouterr().out
    assert "surveys/qualtrics_pulse_small.csv" in out
    assert "loaded" in out
    assert main(["status"]) == 0
    ledger = capsys.readouterr().out.splitlines()
    assert ledger[0].startswith("file_name\tstatus")
    assert len(ledger) == 1 + 7


def test_ingest_failure_gives_one_line_reason(
    pulse_env: Path, landing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = landing / "surveys" / "ms_forms.csv"
    bad.write_text("ID,Start time,Completion time,Email\n1,a,b,c\n")
    assert main(["ingest", str(landing)]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == "pulse: 1 of 8 files were not loaded (see detail)"
    assert "Microsoft Forms" in captured.out


def test_missing_path_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "/nonexistent/export.csv"]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_dbt_parse_fingerprint_follows_project_files_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.project import dbt_parse_fingerprint

    (tmp_path / "models").mkdir()
    (tmp_path / "dbt_project.yml").write_text("name: x\n")
    (tmp_path / "profiles.yml").write_text("path: \"{{ env_var('PULSE_WAREHOUSE') }}\"\n")
    model = tmp_path / "models" / "a.sql"
    model.write_text("select 1 as a\n")
    (tmp_path / "target").mkdir()
    first = dbt_parse_fingerprint(tmp_path)
    (tmp_path / "target" / "run_results.json").write_text("{}")  # outputs do not count
    assert dbt_parse_fingerprint(tmp_path) == first
    model.write_text("select 2 as a\n")
    edited = dbt_parse_fingerprint(tmp_path)
    assert edited != first
    monkeypatch.setenv("PULSE_WAREHOUSE", str(tmp_path / "other.duckdb"))
    moved = dbt_parse_fingerprint(tmp_path)
    assert moved != edited
    # A setting no dbt file reads (make exports the landing folder) changes nothing.
    monkeypatch.setenv("PULSE_LANDING_DIR", str(tmp_path / "landing"))
    assert dbt_parse_fingerprint(tmp_path) == moved


def test_run_skips_the_dbt_parse_when_nothing_changed() -> None:
    from orchestration.cli import prepare_dbt_manifest_when_changed

    prepare_dbt_manifest_when_changed()
    assert prepare_dbt_manifest_when_changed() is False


def test_run_parses_again_when_another_dbt_command_rewrote_the_manifest() -> None:
    from orchestration.cli import prepare_dbt_manifest_when_changed
    from orchestration.project import dbt_project

    prepare_dbt_manifest_when_changed()
    manifest = Path(dbt_project().manifest_path)
    later = manifest.stat().st_mtime_ns + 5_000_000_000
    os.utime(manifest, ns=(later, later))
    assert prepare_dbt_manifest_when_changed() is True
    assert prepare_dbt_manifest_when_changed() is False
