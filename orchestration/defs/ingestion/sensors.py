"""Start a pipeline run when new or changed files appear in the landing folder."""

import hashlib
import json

import dagster as dg
import duckdb

from ingestion import settings
from ingestion.load import discover_files, relative_name
from ingestion.sniff import sha256_of
from orchestration.defs.serving.publish import SQL_DIR as SERVING_SQL_DIR
from orchestration.defs.serving.publish import published_warehouse_path

LEDGER_HASHES_SQL = SERVING_SQL_DIR / "ledger_file_hashes.sql"


def landing_snapshot() -> dict[str, str]:
    """relative file name -> size and modification time, for every landing file."""
    root = settings.landing_dir()
    snapshot = {}
    for path in discover_files(root):
        stat = path.stat()
        snapshot[relative_name(path, root)] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return snapshot


def new_or_changed(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    return sorted(name for name, stamp in current.items() if previous.get(name) != stamp)


def loaded_file_hashes() -> set[str]:
    """Content hashes the load ledger already holds, read from the published copy.

    The sensor never opens the warehouse itself: a reader there would lock out the writer.
    Without a published copy yet, nothing counts as loaded (a run then decides, and loads
    are idempotent).
    """
    published = published_warehouse_path()
    if not published.is_file():
        return set()
    with duckdb.connect(str(published), read_only=True) as conn:
        tables = conn.execute(
            "select count(*) from duckdb_tables()"
            " where schema_name = 'pipeline' and table_name = 'load_ledger'"
        ).fetchone()
        if not tables or not tables[0]:
            return set()
        rows = conn.execute(LEDGER_HASHES_SQL.read_text(encoding="utf-8")).fetchall()
    return {str(row[0]) for row in rows}


def files_to_load(changed: list[str]) -> list[str]:
    """The changed files whose exact bytes the ledger has not recorded as loaded."""
    if not changed:
        return []
    known = loaded_file_hashes()
    root = settings.landing_dir()
    return [name for name in changed if sha256_of(root / name) not in known]


@dg.sensor(
    name="landing_folder_sensor",
    job_name="pulse_pipeline",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Runs the pipeline when files are added to or replaced in the landing folder.",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    previous = json.loads(context.cursor) if context.cursor else {}
    current = landing_snapshot()
    new_files = files_to_load(new_or_changed(previous, current))
    if not new_files:
        return dg.SensorResult(
            skip_reason="no new files in the landing folder", cursor=json.dumps(current)
        )
    run_key = hashlib.sha256(
        json.dumps({name: current[name] for name in new_files}, sort_keys=True).encode()
    ).hexdigest()
    context.log.info(f"{len(new_files)} new file(s): {', '.join(new_files[:10])}")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(run_key=run_key, tags={"pulse/new_files": str(len(new_files))})
        ],
        cursor=json.dumps(current),
    )
