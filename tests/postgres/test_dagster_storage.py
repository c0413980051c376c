"""Dagster's own storage in Postgres, configured exactly as dagster.yaml documents it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
import pytest
import yaml
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage

from ingestion.settings import REPO_ROOT

INSTANCE_YAML = REPO_ROOT / "dagster.yaml"
DAGSTER_PG_ENV = {
    "DAGSTER_PG_HOST": "host",
    "DAGSTER_PG_PORT": "port",
    "DAGSTER_PG_USERNAME": "user",
    "DAGSTER_PG_PASSWORD": "password",
    "DAGSTER_PG_DB": "dbname",
}


def documented_postgres_storage() -> dict[str, Any]:
    """The commented-out `storage:` block of dagster.yaml, uncommented."""
    lines = INSTANCE_YAML.read_text(encoding="utf-8").splitlines()
    start = lines.index("# storage:")
    block = []
    for line in lines[start:]:
        if not line.startswith("#"):
            break
        block.append(line[2:])
    storage = yaml.safe_load("\n".join(block))
    assert set(storage) == {"storage"}
    return dict(storage)


def instance_home(tmp_path: Path) -> Path:
    """A DAGSTER_HOME with the project's dagster.yaml plus the documented Postgres storage."""
    config = yaml.safe_load(INSTANCE_YAML.read_text(encoding="utf-8"))
    # As dagster.yaml says: the Postgres storage replaces the SQLite event log block.
    config.pop("event_log_storage")
    config.update(documented_postgres_storage())
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return home


@dg.asset
def storage_probe() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3})


def test_runs_and_asset_events_are_kept_in_postgres(
    dagster_storage_database: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable, key in DAGSTER_PG_ENV.items():
        monkeypatch.setenv(variable, str(dagster_storage_database[key]))
    home = instance_home(tmp_path)

    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        run_id = dg.materialize([storage_probe], instance=instance).run_id

    # A second instance on the same database (another process, another day) reads it back.
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None and run.is_success
        event = instance.get_latest_materialization_event(dg.AssetKey("storage_probe"))
        assert event is not None and event.run_id == run_id
        materialization = event.asset_materialization
        assert materialization is not None
        assert materialization.metadata["rows"] == dg.IntMetadataValue(3)

    with psycopg.connect(**dagster_storage_database) as conn:  # type: ignore[arg-type]
        stored = conn.execute("select count(*) from runs where run_id = %s", [run_id]).fetchone()
    assert stored == (1,)
    assert not list(home.rglob("*.db")), "nothing may fall back to SQLite"
