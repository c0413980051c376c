"""Every format fixture, the project's own and the real third-party files, through the
path a user takes: `pulse ingest` of a landing folder, then `pulse run` (the raw gates and
`dbt build`). Each file's rows must reach the marts (fct_feedback_items, or fct_orders
and dim_customers for commerce), or be held, refused, skipped or quarantined with the
reason expected here. One warehouse is built once for every file, so a file that fails
its gate is also shown not to stop the others.
"""

from __future__ import annotations

import fnmatch
import gzip
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from ingestion.detect import detect
from ingestion.surveys.suggest import suggest_entry
from ingestion.vendors import format_named
from tests.conftest import SHARED_REAL_FIXTURES, TESTS_DIR

pytestmark = pytest.mark.integration

FORMATS = TESTS_DIR / "fixtures" / "formats"
NOT_DATA = {".yml", ".yaml", ".qsf", ".md"}
# What is not counted in the marts, and why (a substring of the ledger's reason);
# every other file must be.
EXPECTED_OTHERWISE: dict[str, tuple[str, str]] = {
    "formats/refused/unknown_shape.json": ("failed", "valid JSON, unknown shape: top-level keys"),
    "formats/refused/reviews_export.csv.gz": ("failed", "gzip-compressed: unpack it first"),
    "formats/refused/export.bin": ("failed", "a binary file"),
    "formats/refused/empty.csv": ("failed", "empty file"),
    "formats/held/zalando_reviews.csv": (
        "held",
        "platform is a reviews source the vendor registry knows",
    ),
    # Fivetran's seed samples are independent: the answers name responses the responses
    # table does not hold, so they are quarantined and the responses carry no answer.
    "real/qualtrics/fivetran_tables/question_response.csv": ("quarantined", "is in no load"),
    "real/qualtrics/fivetran_tables/survey_response.csv": ("loaded", "no answers"),
    "real/reviews/apple_app_store_rss/ios_review_empty.json": ("loaded", "no reviews"),
}
ZALANDO = "review_id,platform,rating,created_at\nzl-1,zalando,2,2025-03-08T09:00:00Z\n"


@dataclass(frozen=True)
class Built:
    warehouse: Path
    run: subprocess.CompletedProcess[str]
    files: list[str]


def landing_files(landing: Path) -> list[str]:
    return sorted(
        path.relative_to(landing).as_posix()
        for path in landing.rglob("*")
        if path.is_file() and path.suffix not in NOT_DATA and path.name != "survey_registry.yml"
    )


def _registry(landing: Path) -> Path:
    """The formats' own registry entries, their file patterns under formats/surveys/, and
    an entry `pulse registry suggest` proposes for every other survey export."""
    document = yaml.safe_load((FORMATS / "surveys" / "survey_registry.yml").read_text("utf-8"))
    for survey in document["surveys"]:
        survey["files"] = [f"formats/surveys/{pattern}" for pattern in survey["files"]]
        if survey.get("definition"):
            survey["definition"] = str(landing / "formats" / "surveys" / survey["definition"])
    matched = [pattern for survey in document["surveys"] for pattern in survey["files"]]
    for real in sorted(landing.rglob("*")):
        name = real.relative_to(landing).as_posix()
        if any(fnmatch.fnmatch(name, pattern) for pattern in matched):
            continue  # the formats' own entry describes it
        detection = detect(real) if real.is_file() else None
        if detection is None or detection.family != "surveys" or not detection.supported:
            continue
        if "fivetran" in (detection.layout or ""):
            continue  # item ids are question ids there: no wording to propose from
        proposed = yaml.safe_load(suggest_entry(real, landing))["surveys"]
        document["surveys"] += [survey for survey in proposed if survey["items"]]
    path = landing / "survey_registry.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("formats_end_to_end")
    landing = root / "landing"
    shutil.copytree(FORMATS, landing / "formats")
    if SHARED_REAL_FIXTURES.is_dir():
        shutil.copytree(SHARED_REAL_FIXTURES, landing / "real")
    refused = landing / "formats" / "refused"
    with gzip.open(refused / "reviews_export.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write((FORMATS / "reviews" / "trustpilot_reviews.csv").read_text("utf-8"))
    (refused / "export.bin").write_bytes(bytes(range(256)) * 8)
    (refused / "empty.csv").write_text("", encoding="utf-8")
    (landing / "formats" / "held").mkdir()
    (landing / "formats" / "held" / "zalando_reviews.csv").write_text(ZALANDO, "utf-8")
    _registry(landing)
    warehouse = root / "warehouse.duckdb"
    env = {
        **os.environ,
        "PULSE_WAREHOUSE": str(warehouse),
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_PSEUDONYM_KEY": "formats-end-to-end-key",
        "PULSE_DEFAULT_TIMEZONE": "Europe/Helsinki",
        "DAGSTER_HOME": str(root / "dagster"),
        "DBT_TARGET_PATH": str(root / "dbt_target"),
    }
    env.pop("PULSE_SURVEY_REGISTRY", None)
    pulse = str(Path(sys.executable).with_name("pulse"))
    subprocess.run([pulse, "ingest", str(landing)], env=env, capture_output=True, check=False)
    run = subprocess.run([pulse, "run"], env=env, capture_output=True, text=True, check=False)
    return Built(warehouse, run, landing_files(landing))


def query(warehouse: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, params or []).fetchall()


def test_the_run_is_green_whatever_the_files(built: Built) -> None:
    assert built.run.returncode == 0, built.run.stdout[-3000:] + built.run.stderr[-3000:]


def every_file() -> list[str]:
    files = [
        path.relative_to(FORMATS).as_posix()
        for path in FORMATS.rglob("*")
        if path.is_file() and path.suffix not in NOT_DATA
    ]
    if SHARED_REAL_FIXTURES.is_dir():
        files += [
            "real/" + path.relative_to(SHARED_REAL_FIXTURES).as_posix()
            for path in SHARED_REAL_FIXTURES.rglob("*")
            if path.is_file() and path.suffix not in NOT_DATA
        ]
    files = [name if name.startswith("real/") else f"formats/{name}" for name in files]
    return sorted(set(files) | set(EXPECTED_OTHERWISE) - _real_if_absent())


def _real_if_absent() -> set[str]:
    if SHARED_REAL_FIXTURES.is_dir():
        return set()
    return {name for name in EXPECTED_OTHERWISE if name.startswith("real/")}


def counted_keys(warehouse: Path, load_id: str, family: str) -> tuple[set, set]:
    """(keys the load delivered, those of them the marts hold) for the file's family."""
    if family == "reviews":
        delivered = query(
            warehouse,
            "select lower(platform), review_id from raw.reviews where _load_id = ?",
            [load_id],
        )
        held = query(
            warehouse,
            "select source, source_record_id from marts.fct_feedback_items"
            " where channel = 'review'",
        )
    elif family == "polls":
        delivered = query(
            warehouse,
            "select lower(platform), poll_id from raw.poll_options where _load_id = ?",
            [load_id],
        )
        held = query(
            warehouse,
            "select source, source_record_id from marts.fct_feedback_items where channel = 'poll'",
        )
    elif family == "surveys":
        # Responses with an answer to an item the registry says feeds the marts.
        delivered = query(
            warehouse,
            "select distinct answers.survey_id, answers.response_id from (select survey_id,"
            " response_id, unnest(item_ids) as item_id, unnest(answers) as answer"
            " from raw.survey_answers where _load_id = ?) as answers"
            " inner join raw.survey_registry as registry using (survey_id, item_id)"
            " where registry.instrument in ('nps', 'csat', 'ces', 'driver', 'intent', 'open_text')"
            " and nullif(trim(answers.answer), '') is not null",
            [load_id],
        )
        held = query(
            warehouse,
            "select survey_id, source_record_id from marts.fct_feedback_items"
            " where channel = 'survey'",
        )
    else:
        delivered = query(
            warehouse,
            "select 'order', order_id from raw.orders where _load_id = ?"
            " union all select 'customer', customer_id from raw.customers where _load_id = ?",
            [load_id, load_id],
        )
        held = query(
            warehouse,
            "select 'order', order_id from marts.fct_orders"
            " union all select 'customer', customer_id from marts.dim_customers",
        )
    return set(delivered), set(held)


@pytest.mark.parametrize("name", every_file())
def test_each_file_reaches_the_marts_or_is_turned_away_with_its_reason(
    built: Built, name: str
) -> None:
    ledger = query(
        built.warehouse,
        "select load_id, status, coalesce(error, ''), rows_loaded, rows_quarantined,"
        " format from raw.load_ledger where file_name = ? and status <> 'superseded'",
        [name],
    )
    assert ledger, f"{name} is not in the ledger"
    [(load_id, status, reason, loaded, quarantined, layout)] = ledger
    expected = EXPECTED_OTHERWISE.get(name)
    if expected is not None and expected[0] in ("failed", "held", "skipped"):
        assert (status, expected[1] in reason) == (expected[0], True), (status, reason)
        return
    if status == "skipped":
        # A survey definition or a connector's metadata table: it holds no responses.
        assert "no responses" in reason or "no mart reads" in reason, reason
        return
    assert status == "loaded", (status, reason)
    if expected is not None and expected[0] == "quarantined":
        assert loaded == 0 and quarantined > 0
        reasons = query(
            built.warehouse, "select reason from raw.quarantine where load_id = ?", [load_id]
        )
        assert reasons and all(expected[1] in text for (text,) in reasons)
        return
    target_family = format_named(layout)[1].family
    delivered, in_marts = counted_keys(built.warehouse, load_id, target_family)
    if expected is not None and expected[0] == "loaded":
        assert not delivered, f"{name}: {expected[1]}, yet it delivered {delivered}"
        return
    assert delivered, f"{name}: nothing of it would reach the marts"
    assert delivered <= in_marts, f"{name}: not in the marts: {sorted(delivered - in_marts)[:5]}"


def test_the_two_vendor_formats_that_once_stopped_every_source_reach_the_marts(
    built: Built,
) -> None:
    # SurveyMonkey and Typeform responses once failed an accepted-values test on the
    # feedback fact, and Yelp's `3.0` stars the raw gate: both stopped every mart.
    sources = {
        source
        for (source,) in query(
            built.warehouse, "select distinct source from marts.fct_feedback_items"
        )
    }
    assert {"surveymonkey", "typeform", "yelp"} <= sources
    nps_sources = query(
        built.warehouse,
        "select segment_value from marts.metrics_nps where segment_type = 'source'"
        " and period_grain = 'all_time'",
    )
    assert {"surveymonkey", "typeform"} <= {value for (value,) in nps_sources}
    yelp = query(
        built.warehouse,
        "select raw_value, score_value from marts.fct_feedback_items"
        " where source = 'yelp' and source_record_id = 'KU_O5udG6zpxOg-VcAEodg'",
    )
    assert yelp == [("3", 3.0)]
