"""Raw-layer assets: one per source family, each loading its new landing files."""

import time
from collections.abc import Iterator

import dagster as dg

from ingestion.load import FileResult
from ingestion.pipeline import ingest
from orchestration.freshness import DAILY_FRESHNESS
from orchestration.project import DUCKDB_WRITER_POOL
from orchestration.retries import TRANSIENT_RETRY_POLICY, retry_only_transient

RAW_TABLES_BY_FAMILY: dict[str, tuple[str, ...]] = {
    "surveys": ("survey_responses", "survey_answers", "survey_questions", "survey_registry"),
    "reviews": ("reviews",),
    "polls": ("poll_options",),
    "commerce": ("customers", "orders"),
    # Actions the team took on follow-up cases (ingestion/followup).
    "followup": ("case_actions",),
}


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def file_results_markdown(results: list[FileResult]) -> str:
    lines = [
        "| file | status | layout | rows in | loaded | quarantined | error |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.file_name} | {result.status} | {result.layout or '-'} | {result.rows_in}"
            f" | {result.rows_loaded} | {result.rows_quarantined} | {result.error or ''} |"
        )
    return "\n".join(lines)


def results_metadata(results: list[FileResult]) -> dict[str, dg.MetadataValue]:
    loaded = [result for result in results if result.status == "loaded"]
    return {
        "files_seen": dg.MetadataValue.int(len(results)),
        "files_loaded": dg.MetadataValue.int(len(loaded)),
        "files_failed": dg.MetadataValue.int(sum(r.status == "failed" for r in results)),
        "rows_in": dg.MetadataValue.int(sum(r.rows_in for r in loaded)),
        "rows_loaded": dg.MetadataValue.int(sum(r.rows_loaded for r in loaded)),
        "rows_quarantined": dg.MetadataValue.int(sum(r.rows_quarantined for r in loaded)),
        "files": dg.MetadataValue.md(file_results_markdown(results)),
    }


def build_raw_family_asset(family: str) -> dg.AssetsDefinition:
    tables = RAW_TABLES_BY_FAMILY[family]

    @dg.multi_asset(
        name=f"raw_{family}",
        specs=[
            dg.AssetSpec(
                raw_key(table),
                group_name="raw",
                kinds={"duckdb", "python"},
                description=f"raw.{table}: {family} landing files as received, with lineage.",
                freshness_policy=DAILY_FRESHNESS,
            )
            for table in tables
        ],
        pool=DUCKDB_WRITER_POOL,
        can_subset=False,
        retry_policy=TRANSIENT_RETRY_POLICY,
    )
    def _load(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
        started = time.perf_counter()
        with retry_only_transient():
            results = ingest(families={family}, run_id=context.run.run_id)
        for result in results:
            if result.status == "failed":
                context.log.warning(f"{result.file_name}: not loaded: {result.error}")
            elif result.status == "loaded":
                context.log.info(
                    f"{result.file_name}: {result.rows_in} rows in, {result.rows_loaded} loaded,"
                    f" {result.rows_quarantined} quarantined"
                )
        metadata = results_metadata(results)
        metadata["duration_seconds"] = dg.MetadataValue.float(
            round(time.perf_counter() - started, 3)
        )
        for table in tables:
            yield dg.MaterializeResult(asset_key=raw_key(table), metadata=metadata)

    _load.__doc__ = f"Load new {family} export files from the landing folder into the raw layer."
    return _load


raw_surveys = build_raw_family_asset("surveys")
raw_reviews = build_raw_family_asset("reviews")
raw_polls = build_raw_family_asset("polls")
raw_commerce = build_raw_family_asset("commerce")
raw_followup = build_raw_family_asset("followup")
