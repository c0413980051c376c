"""Shared fixtures: the project's own small landing files and a throwaway warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
FIXTURE_LANDING = TESTS_DIR / "fixtures" / "landing"
SHARED_REAL_FIXTURES = TESTS_DIR.parent.parent / "shared" / "fixtures" / "real"
# raw.survey_answers holds one row per response with parallel item and answer lists (a
# blank cell as a null answer); this subquery reads it one row per answered item, as
# staging unnests it.
RAW_ANSWERS_LONG = (
    "(select * from (select survey_id, response_id, unnest(item_ids) as item_id,"
    " unnest(answers) as answer, _source, _file_name, _row_number, _load_id"
    " from raw.survey_answers) where answer is not null)"
)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Definitions read the dbt manifest at import; a fresh clone has none until parsed.

    Parsed before collection, since test modules import Dagster definitions.
    """
    from orchestration.project import prepare_dbt_manifest

    prepare_dbt_manifest()


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    """A copy of the small landing folder, safe to modify."""
    target = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, target)
    return target


@pytest.fixture
def pulse_env(tmp_path: Path, landing: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every setting at temporary locations; returns the warehouse path."""
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_LANDING_DIR", str(landing))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    monkeypatch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
    return warehouse


@pytest.fixture
def real_fixtures() -> Path:
    if not SHARED_REAL_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures/real is not present in this checkout")
    return SHARED_REAL_FIXTURES
