"""Vendor review and poll files flow through staging into the conformed feedback items."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.pipeline import ingest
from ingestion.settings import DBT_PROJECT_DIR, MODELS_WITHOUT_TESTS_ARGS
from orchestration.lib.quality.gx_runner import audit_new_loads

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
MULTILINGUAL_UTF16_BE = FORMATS / "encodings" / "multilingual_utf16be.csv"
SENTENCES = {
    "fi": "Pöytä oli likainen, mutta kahvi oli hyvää ja henkilökunta ystävällistä.",
    "et": "Teenindus oli kiire ja sõbralik, šokolaadikook ja žele olid väga head.",
    "hr": "Dostava je bila brza, ali čaša je stigla razbijena; šteta što je ćevapčić bio"
    " hladan, a đuveč i žlica prljavi.",
    "ro": "Produsul a sosit târziu, dar ambalajul a fost în stare bună și prețul corect;"
    " mulțumesc!",
    "de": "Die Größe passt perfekt, aber die Lieferung dauerte über eine Woche.",
    "fr": "Très bon accueil, le café était délicieux et le garçon très poli.",
    "ja": "配送がとても早くて、店員さんも親切でした。ありがとうございます。",
}


def test_vendor_files_reach_fct_feedback_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "flow-test-key")
    monkeypatch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
    landing = tmp_path / "landing"
    for family in ("reviews", "polls"):
        shutil.copytree(FORMATS / family, landing / family)
    shutil.copyfile(MULTILINGUAL_UTF16_BE, landing / "reviews" / MULTILINGUAL_UTF16_BE.name)
    assert {r.status for r in ingest(landing_root=landing)} == {"loaded"}
    assert not [outcome for outcome in audit_new_loads(warehouse) if outcome.held]

    # A project copy of its own, so the shared manifest under target/ is left alone. The
    # dbt tests of the models these rows pass through run too (accepted platforms, keys).
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    dbt = Path(sys.executable).parent / "dbt"
    flow = ["stg_reviews__reviews", "stg_polls__poll_options", "int_feedback_items"]
    for command in (
        [*MODELS_WITHOUT_TESTS_ARGS, "--quiet", "--select", "+fct_feedback_items"],
        # dim_customers is not built here, so the test relating the two is left out.
        [
            "test",
            "--quiet",
            "--select",
            *flow,
            "fct_feedback_items",
            "--exclude",
            "test_name:relationships,fct_feedback_items",
        ],
    ):
        done = subprocess.run(
            [str(dbt), *command],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        per_source = conn.execute(
            "select source, channel, min(scale_min), max(scale_max), min(direction), count(*),"
            " sum(response_weight), count(occurred_at)"
            " from marts.fct_feedback_items group by all order by source"
        ).fetchall()
        ratings = dict(
            conn.execute(
                "select source_record_id, raw_value || '=' || normalised_score"
                " from marts.fct_feedback_items where source_record_id like 'AbFvOqk%'"
            ).fetchall()
        )
        texts = dict(
            conn.execute(
                "select source_record_id, text_value from marts.fct_feedback_items"
                " where source_record_id like 'utf16be-%'"
            ).fetchall()
        )
    assert per_source == [
        ("amazon", "review", 1, 5, "higher_is_better", 3, 3, 3),
        ("app_store", "review", 1, 5, "higher_is_better", 2, 2, 2),
        ("facebook", "poll", None, None, None, 4, 545, 4),
        # Google Business Profile reviews plus the generic file's Google reviews.
        ("google", "review", 1, 5, "higher_is_better", 11, 11, 11),
        ("google_play", "review", 1, 5, "higher_is_better", 3, 3, 3),
        ("instagram", "poll", None, None, None, 2, 305, 2),
        ("linkedin", "poll", None, None, None, 3, 100, 3),
        ("tiktok", "poll", None, None, None, 3, 3010, 3),
        # The export, the review page, webhook events (an update replaces its review) and
        # Airbyte records: ten reviews.
        ("trustpilot", "review", 1, 5, "higher_is_better", 10, 10, 10),
        # The truncated copy repeats the same Yelp reviews: staging keeps the latest load.
        ("yelp", "review", 1, 5, "higher_is_better", 3, 3, 3),
    ]
    # Typed at mapping: the star words arrive as their numbers.
    assert ratings == {"AbFvOqk1": "5=1.0", "AbFvOqk2": "2=0.25", "AbFvOqk3": "4=0.75"}
    for lang, sentence in SENTENCES.items():
        assert texts[f"utf16be-{lang}"].encode("utf-8") == sentence.encode("utf-8"), lang
