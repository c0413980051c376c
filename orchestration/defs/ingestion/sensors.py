"""Start a run when new or changed files appear in the landing folder.

One sensor per source family folder (`surveys/`, `reviews/`, `polls/`, `commerce/`,
`followup/`) runs that family's raw asset and everything downstream of it, so a new review
export does not reload surveys. Files anywhere else in the landing folder (its root, other
folders) start the whole pipeline through `landing_folder_sensor`. A file whose exact bytes
the load ledger already holds never starts a run, whatever its name.
"""

import hashlib
import json
from typing import TYPE_CHECKING

import dagster as dg
import duckdb

from ingestion import settings
from ingestion.load import discover_files, relative_name
from ingestion.sniff import sha256_of
from ingestion.warehouse import table_exists
from orchestration.defs.ingestion.assets import RAW_TABLES_BY_FAMILY
from orchestration.defs.scheduling.schedules import TRANSIENT_RUN_RETRY_TAGS
from orchestration.lib.serving.publish import SQL_DIR as SERVING_SQL_DIR
from orchestration.lib.serving.publish import published_warehouse_path

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

LEDGER_HASHES_SQL = SERVING_SQL_DIR / "ledger_file_hashes.sql"
FAMILY_FOLDERS = tuple(RAW_TABLES_BY_FAMILY)


def folder_of(name: str) -> str | None:
    """The family folder a landing file (relative name) sits in, if any."""
    first = name.split("/", 1)[0]
    return first if "/" in name and first in FAMILY_FOLDERS else None


def landing_snapshot(family: str | None = None) -> dict[str, str]:
    """relative file name -> size and modification time, for the landing files of one
    family folder, or (family None) for those outside every family folder."""
    root = settings.landing_dir()
    search = root / family if family else root
    snapshot = {}
    for path in discover_files(search):
        name = relative_name(path, root)
        if folder_of(name) == family:
            stat = path.stat()
            snapshot[name] = f"{stat.st_size}:{stat.st_mtime_ns}"
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
        if not table_exists(conn, "pipeline", "load_ledger"):
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


def evaluate_landing(
    context: dg.SensorEvaluationContext, family: str | None, where: str
) -> dg.SensorResult:
    """One tick: a run request for the new files under `where`, and the new cursor."""
    previous = json.loads(context.cursor) if context.cursor else {}
    current = landing_snapshot(family)
    new_files = files_to_load(new_or_changed(previous, current))
    if not new_files:
        return dg.SensorResult(skip_reason=f"no new files in {where}", cursor=json.dumps(current))
    run_key = hashlib.sha256(
        json.dumps({name: current[name] for name in new_files}, sort_keys=True).encode()
    ).hexdigest()
    context.log.info(f"{len(new_files)} new file(s) in {where}: {', '.join(new_files[:10])}")
    tags = {"pulse/new_files": str(len(new_files)), "pulse/landing_folder": family or "."}
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags=tags)], cursor=json.dumps(current)
    )


def family_selection(family: str) -> dg.AssetSelection:
    """The family's raw asset and everything downstream of it (dbt models, checks, the
    published copy), without the daily partitioned history, which has its own job."""
    raw = dg.AssetSelection.assets(*(["raw", table] for table in RAW_TABLES_BY_FAMILY[family]))
    return raw.downstream() - dg.AssetSelection.groups("history")


def build_family_job(family: str) -> "UnresolvedAssetJobDefinition":
    return dg.define_asset_job(
        name=f"landing_{family}_job",
        selection=family_selection(family),
        tags=TRANSIENT_RUN_RETRY_TAGS,
        description=f"Load new {family} files and rebuild what depends on them.",
    )


def build_family_sensor(family: str, job: "UnresolvedAssetJobDefinition") -> dg.SensorDefinition:
    where = f"{family}/"

    @dg.sensor(
        name=f"landing_{family}_sensor",
        job=job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description=f"Runs {job.name} when files are added to or replaced in {where}.",
    )
    def _sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        return evaluate_landing(context, family, where)

    return _sensor


landing_surveys_job = build_family_job("surveys")
landing_reviews_job = build_family_job("reviews")
landing_polls_job = build_family_job("polls")
landing_commerce_job = build_family_job("commerce")
landing_followup_job = build_family_job("followup")

landing_surveys_sensor = build_family_sensor("surveys", landing_surveys_job)
landing_reviews_sensor = build_family_sensor("reviews", landing_reviews_job)
landing_polls_sensor = build_family_sensor("polls", landing_polls_job)
landing_commerce_sensor = build_family_sensor("commerce", landing_commerce_job)
landing_followup_sensor = build_family_sensor("followup", landing_followup_job)


@dg.sensor(
    name="landing_folder_sensor",
    job_name="pulse_pipeline",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Runs the whole pipeline when files are added to or replaced in the landing folder"
        " outside the family folders (whose own sensors start narrower runs)."
    ),
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    return evaluate_landing(context, None, "the landing folder outside the family folders")
