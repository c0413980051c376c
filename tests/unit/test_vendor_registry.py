"""The vendor registry: one module per vendor, one list of sources, every format told apart."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from ingestion.detect import detect
from ingestion.pipeline import ingest
from ingestion.vendors import feedback_sources, file_formats, refusals, vendors
from ingestion.warehouse import ensure_raw_schema
from tests.conftest import TESTS_DIR

FORMATS = TESTS_DIR / "fixtures" / "formats"


def test_names_are_unique_and_every_format_has_a_description() -> None:
    names = [vendor.name for vendor in vendors()]
    assert len(names) == len(set(names))
    formats = [fmt.name for _, fmt in file_formats()]
    assert len(formats) == len(set(formats))
    assert all(fmt.description for _, fmt in file_formats())
    assert all(refused.containers for _, refused in refusals())


def test_every_vendor_delivering_feedback_is_in_the_list_the_gates_and_dbt_read() -> None:
    with duckdb.connect() as connection:
        ensure_raw_schema(connection)
        listed = {
            source: (family, scale_min, scale_max)
            for source, family, scale_min, scale_max in connection.execute(
                "select source, family, scale_min, scale_max from raw.feedback_sources"
            ).fetchall()
        }
    for vendor in vendors():
        if vendor.family not in ("surveys", "reviews", "polls"):
            continue
        if vendor.family != "surveys" and vendor.platform is None:
            continue  # a generic layout: its rows name a platform declared elsewhere
        if not (vendor.formats or vendor.items or vendor.platform):
            continue  # recognised only to be refused
        assert vendor.source in listed, vendor.name
        assert listed[vendor.source][0] == vendor.family, vendor.name
        if vendor.rating_scale:
            assert listed[vendor.source][1:] == vendor.rating_scale, vendor.name
    assert {source.source for source in feedback_sources()} == set(listed)


def test_every_platform_a_fixture_delivers_is_a_listed_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows each vendor module maps name a source of the list, or the gate would hold
    every file of that vendor."""
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "registry-test-key")
    ingest([FORMATS / "reviews", FORMATS / "polls", FORMATS / "surveys"], landing_root=FORMATS)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        known = {
            row[0]
            for row in connection.execute("select source from raw.feedback_sources").fetchall()
        }
        named = connection.execute(
            "select distinct lower(platform) from raw.reviews union"
            " select distinct lower(platform) from raw.poll_options union"
            " select distinct _source from raw.survey_responses"
        ).fetchall()
    assert {row[0] for row in named} <= known


@pytest.mark.parametrize(
    ("relative", "vendor", "layout"),
    [
        ("reviews/trustpilot_review_page.json", "trustpilot", "trustpilot_page_json"),
        ("reviews/trustpilot_webhook_event.json", "trustpilot", "trustpilot_webhook_json"),
        ("reviews/trustpilot_webhook_events.json", "trustpilot", "trustpilot_webhook_json"),
        (
            "reviews/airbyte_trustpilot_private_reviews.jsonl",
            "trustpilot",
            "airbyte_trustpilot_reviews_jsonl",
        ),
        (
            "surveys/airbyte_typeform_responses.jsonl",
            "typeform",
            "airbyte_typeform_survey_responses_jsonl",
        ),
        (
            "surveys/airbyte_surveymonkey_survey_responses.jsonl",
            "surveymonkey",
            "airbyte_surveymonkey_survey_responses_jsonl",
        ),
    ],
)
def test_new_formats_are_detected(relative: str, vendor: str, layout: str) -> None:
    detection = detect(FORMATS / relative)
    assert (detection.vendor, detection.layout) == (vendor, layout), detection.reason


def test_new_formats_load_with_their_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "registry-test-key")
    files = [
        FORMATS / "reviews" / "trustpilot_review_page.json",
        FORMATS / "reviews" / "trustpilot_webhook_event.json",
        FORMATS / "reviews" / "trustpilot_webhook_events.json",
        FORMATS / "reviews" / "airbyte_trustpilot_private_reviews.jsonl",
        FORMATS / "surveys" / "airbyte_typeform_responses.jsonl",
        FORMATS / "surveys" / "airbyte_surveymonkey_survey_responses.jsonl",
    ]
    counts = {
        result.file_name: (
            result.status,
            result.rows_in,
            result.rows_loaded,
            result.rows_quarantined,
        )
        for result in ingest(files, landing_root=FORMATS)
    }
    assert counts == {
        "reviews/trustpilot_review_page.json": ("loaded", 3, 3, 0),
        "reviews/trustpilot_webhook_event.json": ("loaded", 1, 1, 0),
        # A deleted-review event carries no review: quarantined with the reason.
        "reviews/trustpilot_webhook_events.json": ("loaded", 3, 2, 1),
        # The STATE message is no record.
        "reviews/airbyte_trustpilot_private_reviews.jsonl": ("loaded", 3, 2, 1),
        "surveys/airbyte_typeform_responses.jsonl": ("loaded", 3, 3, 0),
        "surveys/airbyte_surveymonkey_survey_responses.jsonl": ("loaded", 2, 2, 0),
    }


def test_an_unknown_json_shape_says_so(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{"kind": "report", "rows": []}', encoding="utf-8")
    detection = detect(path)
    assert detection.layout is None
    assert detection.reason == "valid JSON, unknown shape: top-level keys kind, rows"
    lines = tmp_path / "events.jsonl"
    lines.write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")
    assert detect(lines).reason == "JSON lines of unknown shape: first line's keys a"


def test_compressed_and_binary_files_are_refused_as_such(tmp_path: Path) -> None:
    gzipped = tmp_path / "reviews.csv.gz"
    with gzip.open(gzipped, "wt", encoding="utf-8") as handle:
        handle.write("review_id,platform,rating,created_at\n")
    assert detect(gzipped).reason == "gzip-compressed: unpack it first"
    binary = tmp_path / "export.dat"
    binary.write_bytes(bytes(range(256)))
    assert detect(binary).reason == "a binary file (NUL bytes), not a text export"
    # UTF-16 without a byte-order mark is read as such, not refused as binary.
    wide = tmp_path / "utf16.csv"
    wide.write_bytes("review_id,platform\nr1,yelp\n".encode("utf-16-le"))
    assert detect(wide).encoding == "utf-16-le"
    assert detect(wide).reason == "no known layout has the columns [review_id, platform]"
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert detect(empty).reason == "empty file"
