"""One sample published copy per test session: `pulse sample --scale 0.25` and `pulse run`
(the real gates, `dbt build`, checks and publication) in a temporary folder."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration import cli

SCALE = "0.25"


@dataclass(frozen=True)
class SampleCopy:
    root: Path
    warehouse: Path
    published: Path

    def query(self, sql: str, parameters: list[object] | None = None) -> list[tuple]:
        with duckdb.connect(str(self.published), read_only=True) as conn:
            return conn.execute(sql, parameters or []).fetchall()

    def has_table(self, schema: str, table: str) -> bool:
        """Whether the copy holds the table (the text marts land with another branch)."""
        found = self.query(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [schema, table],
        )
        return bool(found[0][0])


def pulse(*args: str) -> None:
    output = io.StringIO()
    with redirect_stdout(output):
        code = cli.main(list(args))
    assert code == 0, f"pulse {' '.join(args)} failed:\n{output.getvalue()[-3000:]}"


@pytest.fixture(scope="session")
def sample_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleCopy]:
    root = tmp_path_factory.mktemp("dashboard_sample")
    landing = root / "landing"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PULSE_WAREHOUSE", str(root / "warehouse.duckdb"))
        env.setenv("PULSE_LANDING_DIR", str(landing))
        env.setenv("PULSE_PSEUDONYM_KEY", "dashboard-test-key")
        env.setenv("DAGSTER_HOME", str(root / "dagster"))
        for name in ("PULSE_SURVEY_REGISTRY", "PULSE_ALERTS_CONFIG", "PULSE_PUBLISHED_WAREHOUSE"):
            env.delenv(name, raising=False)
        pulse("sample", "--out", str(landing), "--scale", SCALE)
        pulse("run")
    yield SampleCopy(root, root / "warehouse.duckdb", root / "published.duckdb")


@pytest.fixture
def published(sample_copy: SampleCopy, monkeypatch: pytest.MonkeyPatch) -> SampleCopy:
    """The sample copy, named to the app (which reads only PULSE_PUBLISHED_WAREHOUSE)."""
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(sample_copy.published))
    # A warehouse that does not exist: the app must not need it.
    monkeypatch.setenv("PULSE_WAREHOUSE", str(sample_copy.root / "no" / "warehouse.duckdb"))
    return sample_copy
