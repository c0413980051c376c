"""The incremental survey and staging models end where a full refresh ends, after
corrected re-deliveries of an old survey export and reviews file and new customers that
change old responses' matches, and after a registry change that unregisters an outcome
item the texts' labels read."""

import csv
from pathlib import Path

import duckdb
import pytest
from incremental_runs import dbt_run, ingest_landing, use_scratch_project

from bench.workloads import SURVEY_EXPORT, WorkloadSize, write_increment, write_workload

TINY = WorkloadSize("tiny", 400, 50, 4, 150, 300)
SELECTION = ["--select", "+int_feedback_items", "fct_feedback_items", "+int_feedback_texts"]
# model -> (schema, columns that only say when a run wrote the row)
MODELS = {
    "stg_surveys__responses": ("staging", "transformed_at"),
    "stg_surveys__answers": ("staging", "transformed_at"),
    "int_survey_responses_resolved": ("intermediate", "resolved_at"),
    "int_feedback_items": (
        "intermediate",
        "answer_transformed_at, response_resolved_at, scored_at",
    ),
    "fct_feedback_items": ("marts", "scored_at"),
    "int_feedback_texts": ("intermediate", "scored_at"),
    "stg_commerce__customers": ("staging", ""),
    "stg_reviews__reviews": ("staging", ""),
}
REVIEWS_FILE = Path("reviews/reviews_bench.csv")
REGISTRY_FILE = Path("survey_registry.yml")
_TEXTS_WITH_CSAT = (
    "select count(*) from intermediate.int_feedback_texts where is_csat_top_box is not null"
)


def _correct_survey_export(path: Path) -> str:
    """Re-deliver the export without its last 20 responses and with a new first NPS answer;
    returns the response id whose answer changed."""
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header, data = records[:3], records[3:-20]
    nps = header[0].index("Q1")
    data[0][nps] = "0" if data[0][nps] != "0" else "10"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(header + data)
    return data[0][header[0].index("ResponseId")]


def _correct_reviews(path: Path) -> str:
    """Re-deliver the reviews file without its last 2 reviews and with the first one's
    rating changed (its platform in capitals); returns that review's id."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = rows[:-2]
    kept[0]["rating"] = "1" if kept[0]["rating"] != "1" else "5"
    kept[0]["platform"] = kept[0]["platform"].upper()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return kept[0]["review_id"]


def _add_customers_sharing_emails(landing: Path) -> None:
    """New customers with the emails of existing ones: those emails now name two customers,
    so old responses matched by email fall back to their external reference."""
    source = landing / "commerce" / "customers_bench.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    twins = [{**row, "customer_id": f"C9{index:06d}"} for index, row in enumerate(rows[:60])]
    with (landing / "commerce" / "customers_twins.csv").open("w", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(twins)


def _unregister_csat(path: Path) -> None:
    """Make the relationship survey's CSAT item (Q2) a category: int_feedback_items then
    deletes its rows and rewrites no other item, yet every text of the survey loses its
    CSAT answer."""
    registry = path.read_text(encoding="utf-8")
    csat = "item_id: Q2, instrument: csat,"
    assert registry.count(csat) == 1
    path.write_text(
        registry.replace(csat, "item_id: Q2, instrument: category, name: satisfaction,"),
        encoding="utf-8",
    )


def _stored(model: str) -> str:
    schema, run_columns = MODELS[model]
    excluded = f" exclude ({run_columns})" if run_columns else ""
    return f"select *{excluded} from {schema}.{model}"


def _snapshot(conn: duckdb.DuckDBPyConnection, model: str) -> None:
    conn.execute(f"create or replace table main.incremental_{model} as {_stored(model)}")


def _differences(conn: duckdb.DuckDBPyConnection, model: str) -> tuple[int, int]:
    rebuilt = _stored(model)
    kept = f"select * from main.incremental_{model}"
    only_kept = conn.execute(f"select count(*) from ({kept} except all {rebuilt})").fetchone()
    only_rebuilt = conn.execute(f"select count(*) from ({rebuilt} except all {kept})").fetchone()
    return (only_kept[0] if only_kept else -1, only_rebuilt[0] if only_rebuilt else -1)


def _assert_matches_full_refresh(tmp_path: Path, warehouse: Path) -> None:
    """Keep what the incremental runs left in each model, rebuild the selection with
    --full-refresh, and require the same rows."""
    with duckdb.connect(str(warehouse)) as conn:
        for model in MODELS:
            _snapshot(conn, model)
    dbt_run(tmp_path, SELECTION, "--full-refresh")
    with duckdb.connect(str(warehouse)) as conn:
        for model in MODELS:
            assert _differences(conn, model) == (0, 0), model


def test_incremental_run_matches_full_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, warehouse = use_scratch_project(tmp_path, monkeypatch, "incremental-test-key")
    write_workload(landing, TINY, seed=3)
    write_increment(landing, TINY, seed=3)  # a second survey file, never re-delivered
    ingest_landing(landing, warehouse)
    dbt_run(tmp_path, SELECTION)
    with duckdb.connect(str(warehouse)) as conn:
        first_run = conn.execute(
            "select max(transformed_at) from staging.stg_surveys__answers"
        ).fetchone()
        first_texts = conn.execute(
            "select max(scored_at) from intermediate.int_feedback_texts"
        ).fetchone()
        methods_before = dict(
            conn.execute(
                "select customer_match_method, count(*)"
                " from intermediate.int_survey_responses_resolved group by all"
            ).fetchall()
        )

    changed_response = _correct_survey_export(landing / SURVEY_EXPORT)
    changed_review = _correct_reviews(landing / REVIEWS_FILE)
    _add_customers_sharing_emails(landing)
    ingest_landing(landing, warehouse)
    dbt_run(tmp_path, SELECTION)

    with duckdb.connect(str(warehouse)) as conn:
        # The second file's answers were not rewritten: the run redid only what changed.
        untouched = conn.execute(
            "select count(*) from staging.stg_surveys__answers where transformed_at = ?",
            [first_run[0] if first_run else None],
        ).fetchone()
        assert untouched and untouched[0] > 0
        untouched_texts = conn.execute(
            "select count(*) from intermediate.int_feedback_texts where scored_at = ?",
            [first_texts[0] if first_texts else None],
        ).fetchone()
        assert untouched_texts and untouched_texts[0] > 0
        methods_after = dict(
            conn.execute(
                "select customer_match_method, count(*)"
                " from intermediate.int_survey_responses_resolved group by all"
            ).fetchall()
        )
        assert methods_after != methods_before  # the twins changed old responses' matches
        responses = conn.execute(
            "select count(*) from intermediate.int_survey_responses_resolved"
        ).fetchone()
        assert responses and responses[0] == TINY.survey_responses - 20 + 4
        nps = conn.execute(
            "select raw_value from intermediate.int_feedback_items"
            " where source_record_id = ? and item_id = 'Q1'",
            [changed_response],
        ).fetchone()
        assert nps and nps[0] in ("0", "10")
        rating = conn.execute(
            "select rating_raw from staging.stg_reviews__reviews where review_id = ?",
            [changed_review],
        ).fetchall()
        assert rating and rating[0][0] in ("1", "5") and len(rating) == 1

    _assert_matches_full_refresh(tmp_path, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        assert conn.execute(_TEXTS_WITH_CSAT).fetchone() != (0,)

    _unregister_csat(landing / REGISTRY_FILE)
    ingest_landing(landing, warehouse)
    dbt_run(tmp_path, SELECTION)
    with duckdb.connect(str(warehouse)) as conn:
        assert conn.execute(_TEXTS_WITH_CSAT).fetchone() == (0,)
    _assert_matches_full_refresh(tmp_path, warehouse)


def test_full_build_in_slices_matches_one_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build of int_feedback_items written in slices of 100 responses holds the same
    rows as one written in one statement."""
    landing, warehouse = use_scratch_project(tmp_path, monkeypatch, "sliced-build-test-key")
    write_workload(landing, TINY, seed=5)
    ingest_landing(landing, warehouse)
    dbt_run(tmp_path, ["--select", "+int_feedback_items"])
    with duckdb.connect(str(warehouse)) as conn:
        _snapshot(conn, "int_feedback_items")
    dbt_run(
        tmp_path,
        ["--select", "int_feedback_items"],
        "--full-refresh",
        "--vars",
        '{"full_build_responses_per_slice": 100}',
    )
    compiled = next((tmp_path / "target" / "compiled").rglob("int_feedback_items.sql"))
    assert "/* survey slice of 4 */ 0" in compiled.read_text(encoding="utf-8")
    with duckdb.connect(str(warehouse)) as conn:
        assert _differences(conn, "int_feedback_items") == (0, 0)
        slices = conn.execute(
            "select count(distinct hash(survey_response_id) % 4)"
            " from intermediate.int_feedback_items where channel = 'survey'"
        ).fetchone()
        assert slices == (4,)
