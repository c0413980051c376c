"""A scoring run scores only what it has not scored with the current model and
dictionary: new or changed texts; everything after a new model or dictionary."""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.text.scoring import UNTRAINED, ScoringResult, score_texts
from analytics.text.settings import SHIPPED_THEMES, TextSettings
from ingestion.sample_data.texts import LANGUAGES, THEMES, feedback_text

TONES = {"negative": 0.1, "neutral": 0.55, "positive": 0.9}


def texts_frame(count: int, seed: int, first_id: int = 0, labelled: bool = True) -> pd.DataFrame:
    """Sample-bank texts in every sample language; a quarter without a vendor language."""
    rng = random.Random(seed)
    rows = []
    for index in range(first_id, first_id + count):
        language = LANGUAGES[index % len(LANGUAGES)]
        tone = rng.choice(list(TONES))
        text = feedback_text(rng, language, rng.choice(THEMES), TONES[tone])
        rows.append(
            {
                "feedback_item_id": f"text-{index:06d}",
                "text_value": text,
                "vendor_language": None if index % 4 == 0 else language.upper(),
                "weak_label": tone if labelled and tone != "neutral" else None,
                "occurred_at": datetime(2025, 1, 1) + timedelta(hours=index),
                "is_own_brand": True,
            }
        )
    return pd.DataFrame(rows)


def load(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Stand in for dbt's int_feedback_texts (only the columns the scorer reads)."""
    conn.execute("create schema if not exists intermediate")
    conn.register("frame", frame)
    conn.execute(
        "create or replace table intermediate.int_feedback_texts as"
        " select *, md5(text_value) as text_hash from frame"
    )
    conn.unregister("frame")


def scored_rows(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    rows = conn.execute(
        "select feedback_item_id, scored_at, model_version, dictionary_version, sentiment_score"
        " from analytics.text_scores"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


@pytest.fixture
def conn(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def run(conn: duckdb.DuckDBPyConnection, settings: TextSettings | None = None) -> ScoringResult:
    return score_texts(conn, settings or TextSettings())


def test_a_second_run_scores_nothing_and_new_texts_alone_are_scored(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    base = texts_frame(1200, seed=1)
    load(conn, base)
    first = run(conn)
    assert first.refitted and first.texts_scored == 1200 == first.input_texts
    assert first.languages_detected == 300  # the quarter without a vendor language
    before = scored_rows(conn)

    second = run(conn)
    assert (second.texts_scored, second.languages_detected, second.refitted) == (0, 0, False)
    assert scored_rows(conn) == before

    # 1% new texts (too few new labels to refit), one edited text, one deleted text.
    edited = base.copy()
    edited.loc[5, "text_value"] = edited.loc[5, "text_value"] + " Thanks!"
    grown = pd.concat([edited.drop(index=7), texts_frame(12, seed=2, first_id=5000)])
    load(conn, grown)
    third = run(conn)
    assert not third.refitted and third.model_version == first.model_version
    assert third.texts_scored == 13  # the 12 new texts and the edited one
    after = scored_rows(conn)
    assert "text-000007" not in after
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed == {"text-000005"} | {f"text-{index:06d}" for index in range(5000, 5012)}
    orphans = conn.execute(
        "select count(*) from analytics.text_theme_mentions"
        " where feedback_item_id not in (select feedback_item_id from analytics.text_scores)"
    ).fetchone()
    assert orphans == (0,)


def test_a_new_dictionary_rescores_everything_with_the_same_model(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(conn, texts_frame(800, seed=3))
    first = run(conn)
    edited = tmp_path / "text_themes.yml"
    shutil.copyfile(SHIPPED_THEMES, edited)
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("en: [app, apps, crash*]", "en: [app, apps]"),
        encoding="utf-8",
    )
    second = run(conn, TextSettings(themes_path=edited))
    assert second.dictionary_version != first.dictionary_version
    assert not second.refitted and second.model_version == first.model_version
    assert second.texts_scored == 800
    versions = conn.execute("select distinct dictionary_version from analytics.text_scores")
    assert versions.fetchall() == [(second.dictionary_version,)]


def test_enough_new_labels_refit_and_rescore_everything(conn: duckdb.DuckDBPyConnection) -> None:
    base = texts_frame(800, seed=4)
    load(conn, base)
    first = run(conn)
    labelled = int(base["weak_label"].notna().sum())
    # Just under the refit share of new labelled texts: the model stays.
    small = texts_frame(60, seed=5, first_id=9000)
    load(conn, pd.concat([base, small]))
    second = run(conn)
    assert int(small["weak_label"].notna().sum()) < 0.1 * labelled
    assert not second.refitted and second.texts_scored == 60
    # Past it: a new model, and every text scored again with it.
    load(conn, pd.concat([base, small, texts_frame(200, seed=6, first_id=9100)]))
    third = run(conn)
    assert third.refitted and third.model_version != first.model_version
    assert third.texts_scored == 1060
    card = conn.execute(
        "select count(distinct model_version) from analytics.text_model_card"
    ).fetchone()
    assert card == (2,)  # the history of model cards is kept
    models = conn.execute("select count(*) from analytics.text_sentiment_models").fetchone()
    assert models == (1,)  # only the current model's weights


def test_too_few_labels_leave_sentiment_empty_until_a_model_can_be_fitted(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    unlabelled = texts_frame(300, seed=7, labelled=False)
    load(conn, unlabelled)
    first = run(conn)
    assert first.model_version == UNTRAINED and first.texts_scored == 300
    nulls = conn.execute(
        "select count(*) from analytics.text_scores where sentiment_score is null"
        " and sentiment_label is null and theme_count > 0"
    ).fetchone()
    assert nulls == (300,)  # themes still found
    load(conn, pd.concat([unlabelled, texts_frame(600, seed=8, first_id=7000)]))
    second = run(conn)
    assert second.refitted and second.texts_scored == 900
    assert conn.execute(
        "select count(*) from analytics.text_scores where sentiment_score is null"
    ).fetchone() == (0,)
