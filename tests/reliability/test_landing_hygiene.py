"""Landing folder hygiene: links that leave the folder are refused unread, a hostile file
fails alone, and a file replaced by one of another layout takes its old rows with it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.pipeline import ingest


def _rows(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_links_leaving_the_landing_folder_are_refused_unread(
    pulse_env: Path, landing: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    outside_csv = tmp_path / "outside_reviews.csv"
    outside_csv.write_bytes((landing / "reviews" / "reviews_small.csv").read_bytes() + b"\n")
    (landing / "reviews" / "passwd.csv").symlink_to(secret)
    (landing / "reviews" / "outside.csv").symlink_to(outside_csv)
    inside = landing / "reviews" / "inside.jsonl"
    inside.symlink_to(landing / "reviews" / "app_reviews_small.jsonl")

    results = {result.file_name: result for result in ingest()}

    for name in ("reviews/passwd.csv", "reviews/outside.csv"):
        assert results[name].status == "failed"
        assert "outside the landing folder" in (results[name].error or "")
    assert results["reviews/reviews_small.csv"].status == "loaded"
    ledger = _rows(pulse_env, "select file_name, coalesce(error, '') from raw.load_ledger")
    assert not any("root:" in error or str(tmp_path) in name for name, error in ledger)
    loaded = _rows(pulse_env, "select distinct _file_name from raw.reviews")
    assert ("reviews/outside.csv",) not in loaded


def test_a_hostile_file_fails_alone(pulse_env: Path, landing: Path) -> None:
    (landing / "reviews" / "deep.json").write_text("[" * 200_000, encoding="utf-8")

    results = {result.file_name: result for result in ingest()}

    hostile = results["reviews/deep.json"]
    assert hostile.status == "failed" and "nested" in (hostile.error or "")
    assert "\n" not in (hostile.error or "")
    assert results["reviews/reviews_small.csv"].status == "loaded"


def test_a_short_row_is_one_quarantined_record(pulse_env: Path, landing: Path) -> None:
    reviews = landing / "reviews" / "reviews_small.csv"
    lines = reviews.read_text(encoding="utf-8").splitlines()
    reviews.write_text("\n".join(lines[:3]) + "\n" + lines[3][:25] + "\n", encoding="utf-8")

    results = {result.file_name: result for result in ingest()}

    result = results["reviews/reviews_small.csv"]
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)


def test_replacement_by_another_layout_removes_the_old_rows(pulse_env: Path, landing: Path) -> None:
    ingest()
    name = "reviews/reviews_small.csv"
    count = f"select count(*) from raw.reviews where _file_name = '{name}'"
    assert _rows(pulse_env, count) == [(3,)]
    jsonl = (landing / "reviews" / "app_reviews_small.jsonl").read_text(encoding="utf-8")
    # Same name, now in the JSON-lines layout (another id, so the bytes are new).
    (landing / name).write_text(jsonl.replace("as-000010", "as-000099"), encoding="utf-8")

    (result,) = [result for result in ingest() if result.file_name == name]

    assert result.status == "loaded" and result.layout == "generic_review_jsonl"
    assert _rows(pulse_env, count) == [(result.rows_loaded,)]
    assert _rows(pulse_env, "select count(*) from raw.reviews where review_id = 'tp-000001'") == [
        (0,)
    ]
    statuses = _rows(
        pulse_env,
        "select status, format from raw.load_ledger"
        f" where file_name = '{name}' order by started_at",
    )
    assert statuses == [("superseded", "generic_review_csv"), ("loaded", "generic_review_jsonl")]
