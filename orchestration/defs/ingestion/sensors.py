"""Start a pipeline run when new or changed files appear in the landing folder."""

import hashlib
import json

import dagster as dg

from ingestion import settings
from ingestion.load import discover_files, relative_name


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
    changed = new_or_changed(previous, current)
    if not changed:
        return dg.SensorResult(
            skip_reason="no new files in the landing folder", cursor=json.dumps(current)
        )
    run_key = hashlib.sha256(
        json.dumps({name: current[name] for name in changed}, sort_keys=True).encode()
    ).hexdigest()
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"pulse/new_files": str(len(changed))})],
        cursor=json.dumps(current),
    )
