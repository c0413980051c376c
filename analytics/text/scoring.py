"""Score every feedback text in the warehouse: language, sentiment, themes.

Reads `intermediate.int_feedback_texts` (a dbt model) and writes the `analytics` tables
the text marts read (sql/create_tables.sql). A run is incremental:

1. Texts whose language is not known for their current text and vendor code get it:
   the vendor's code when it gave one, else lingua's detection.
2. The sentiment model is refitted when there is none, when the settings it depends on
   changed, or when the number of labelled texts moved by `refit_new_label_share` since
   it was fitted; otherwise the stored weights are loaded.
3. Texts not yet scored with the current model and dictionary versions (or whose text
   or language changed) are scored; a new model or dictionary version rescores them all.
4. The uncategorised phrases are counted again when anything was scored.

Everything a run writes after the language step commits in one transaction.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.text.languages import detect_languages, detector_version, vendor_language
from analytics.text.phrases import uncategorised_phrases
from analytics.text.sentiment import SentimentModel, TrainingSet, fit_sentiment
from analytics.text.settings import UNDETERMINED, TextSettings, text_settings
from analytics.text.themes import ThemeMatcher, load_dictionary
from ingestion.warehouse import connect

SQL_DIR = Path(__file__).resolve().parent / "sql"
TEXT_SCHEMA = "analytics"
# The tables dbt reads as its `analytics` source (models/staging/analytics); the others
# are the scorer's own state (languages determined, the fitted model, the runs).
DBT_SOURCE_TABLES = (
    "text_scores",
    "text_theme_mentions",
    "text_model_card",
    "text_uncategorised_phrases",
)
# The dbt models that read those tables and everything downstream: built after the scorer.
DBT_TEXT_MODELS_SELECTION = f"source:{TEXT_SCHEMA}+"
# Texts scored per batch: bounds the memory of the n-gram matrix (about 3 KB per text).
SCORING_BATCH = 20_000
SCORE_INPUT_COLUMNS = (
    "feedback_item_id",
    "text_hash",
    "language",
    "language_source",
    "language_confidence",
)
# The most recent texts per language read for the phrase counts: enough to find what the
# dictionary misses, few enough to count again on every run that scored something.
PHRASE_TEXTS_PER_LANGUAGE = 5_000


@dataclass(frozen=True)
class ScoringResult:
    run_id: str
    input_texts: int
    languages_detected: int
    texts_scored: int
    undetermined_scored: int
    model_version: str
    dictionary_version: str
    refitted: bool
    seconds: float
    scoring_seconds: float  # detecting languages and scoring, without fitting
    fit_seconds: float  # fitting and cross-validating the model (0 without a refit)

    @property
    def texts_per_second(self) -> float | None:
        """Scoring throughput: texts scored over the time spent detecting and scoring."""
        if not self.texts_scored or self.scoring_seconds <= 0:
            return None
        return self.texts_scored / self.scoring_seconds


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def _run(conn: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    return conn.execute(_sql(name), params or None)


def _scalar(conn: duckdb.DuckDBPyConnection, name: str, **params: Any) -> Any:
    row = _run(conn, name, **params).fetchone()
    return row[0] if row else None


def ensure_text_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the analytics schema and the scorer's tables when they are missing."""
    conn.execute(_sql("create_tables.sql"))


def _write(conn: duckdb.DuckDBPyConnection, statement: str, **frames: pd.DataFrame) -> None:
    for relation, frame in frames.items():
        conn.register(relation, frame)
    try:
        conn.execute(_sql(statement))
    finally:
        for relation in frames:
            conn.unregister(relation)


def _determine_languages(conn: duckdb.DuckDBPyConnection, settings: TextSettings) -> int:
    detector = detector_version(settings)
    pending = _run(conn, "texts_needing_language.sql", detector_version=detector).df()
    if pending.empty:
        _write(conn, "replace_languages.sql", new_languages=_language_frame(pending, [], [], []))
        return 0
    codes = [vendor_language(code) for code in pending["vendor_language"]]
    to_detect = [index for index, code in enumerate(codes) if code is None]
    detections = detect_languages(
        [pending["text_value"].iat[index] for index in to_detect], settings
    )
    languages: list[str] = [code or "" for code in codes]
    sources = ["vendor"] * len(codes)
    confidences: list[float | None] = [None] * len(codes)
    for index, detection in zip(to_detect, detections, strict=True):
        languages[index] = detection.language
        sources[index] = "detected"
        confidences[index] = detection.confidence
    frame = _language_frame(pending, languages, sources, confidences)
    frame["detector_version"] = detector
    conn.execute("begin transaction")
    try:
        _write(conn, "replace_languages.sql", new_languages=frame)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return len(to_detect)


def _language_frame(
    pending: pd.DataFrame,
    languages: list[str],
    sources: list[str],
    confidences: list[float | None],
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "feedback_item_id": pending["feedback_item_id"],
            "text_hash": pending["text_hash"],
            "vendor_language": pending["vendor_language"],
            "language": pd.Series(languages, dtype="object"),
            "language_source": pd.Series(sources, dtype="object"),
            "language_confidence": pd.Series(confidences, dtype="float64"),
            "detector_version": "",
            "detected_at": datetime.now(UTC).replace(tzinfo=None),
        }
    )


# The model version of texts scored while there was too little labelled text for a model:
# their sentiment is null, and they are scored again once a model is fitted.
UNTRAINED = "untrained"


@dataclass(frozen=True)
class _FittedModel:
    model: SentimentModel | None
    refitted: bool
    model_row: pd.DataFrame | None = None
    card: pd.DataFrame | None = None

    @property
    def version(self) -> str:
        return self.model.version if self.model is not None else UNTRAINED


def _current_or_refitted_model(
    conn: duckdb.DuckDBPyConnection, settings: TextSettings, fitted_at: datetime
) -> _FittedModel:
    labelled, negatives, positives = _run(conn, "labelled_texts.sql").fetchone() or (0, 0, 0)
    stored = _run(conn, "current_model.sql").fetchone()
    if stored is not None:
        labelled_then, fingerprint, weights = stored
        moved = abs(labelled - labelled_then) >= settings.refit_new_label_share * labelled_then
        if fingerprint == settings.model_fingerprint() and not moved:
            return _FittedModel(SentimentModel.from_bytes(bytes(weights)), refitted=False)
    if min(negatives or 0, positives or 0) < settings.min_labels_per_class:
        # Too little to learn from, even for the multilingual model: no sentiment yet.
        return _FittedModel(None, refitted=False)
    training_rows = _run(
        conn, "training_texts.sql", per_language=settings.max_training_texts_per_language
    ).df()
    training = TrainingSet(
        texts=training_rows["text_value"].tolist(),
        languages=training_rows["language"].tolist(),
        labels=training_rows["label"].to_numpy(dtype=np.int64),
        keys=training_rows["feedback_item_id"].tolist(),
    )
    seen = [row[0] for row in _run(conn, "text_languages_seen.sql").fetchall()]
    model, card = fit_sentiment(training, settings, languages_seen=seen)
    model_row = pd.DataFrame(
        {
            "model_version": [model.version],
            "fitted_at": [fitted_at],
            "labelled_texts": [labelled],
            "training_texts": [len(training.texts)],
            "settings_fingerprint": [settings.model_fingerprint()],
            "weights": [model.to_bytes()],
        }
    )
    card_frame = pd.DataFrame(
        {
            "model_version": model.version,
            "language": [row.language for row in card],
            "model_used": [row.model_used for row in card],
            "is_fallback": [row.is_fallback for row in card],
            "fallback_reason": pd.Series([row.fallback_reason for row in card], dtype="object"),
            "labelled_texts": [row.n_labelled for row in card],
            "negative_texts": [row.n_negative for row in card],
            "positive_texts": [row.n_positive for row in card],
            "cv_folds": [row.cv_folds for row in card],
            "cv_accuracy": pd.Series([row.cv_accuracy for row in card], dtype="float64"),
            "cv_macro_f1": pd.Series([row.cv_macro_f1 for row in card], dtype="float64"),
            "fitted_at": fitted_at,
        }
    )
    return _FittedModel(model, refitted=True, model_row=model_row, card=card_frame)


BatchResult = tuple[np.ndarray, np.ndarray, list[str | None], list[tuple[str, ...]]]


def _batches(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


def score_batch(
    texts: Sequence[str],
    languages: Sequence[str],
    model: SentimentModel | None,
    matcher: ThemeMatcher,
) -> BatchResult:
    """Scores, labels, the model that scored each text (all null without a model), and
    each text's themes."""
    themes = matcher.match_all(texts, languages)
    if model is None:
        nothing = np.full(len(texts), None, dtype=object)
        return nothing, nothing, [None] * len(texts), themes
    scores = model.score(texts, languages)
    return (
        scores,
        model.label(scores),
        [model.model_name(language) for language in languages],
        themes,
    )


def _score_pending(
    pending: pd.DataFrame,
    model: SentimentModel | None,
    matcher: ThemeMatcher,
    dictionary_version: str,
    scored_at: datetime,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    score_parts = []
    mention_ids: list[str] = []
    mention_themes: list[str] = []
    for batch in _batches(pending, SCORING_BATCH):
        texts = batch["text_value"].tolist()
        languages = batch["language"].tolist()
        scores, labels, used, themes = score_batch(texts, languages, model, matcher)
        part = batch[list(SCORE_INPUT_COLUMNS)].copy()
        part["sentiment_score"] = pd.Series(scores, index=part.index, dtype="float64")
        part["sentiment_label"] = pd.Series(labels, index=part.index, dtype="object")
        part["sentiment_model"] = pd.Series(used, index=part.index, dtype="object")
        part["themes"] = [", ".join(found) if found else None for found in themes]
        part["theme_count"] = [len(found) for found in themes]
        score_parts.append(part)
        for item_id, found in zip(batch["feedback_item_id"], themes, strict=True):
            mention_ids.extend([item_id] * len(found))
            mention_themes.extend(found)
    if not score_parts:
        empty = pending.head(0)[list(SCORE_INPUT_COLUMNS)].copy()
        empty["sentiment_score"] = pd.Series(dtype="float64")
        for column in ("sentiment_label", "sentiment_model", "themes"):
            empty[column] = pd.Series(dtype="object")
        empty["theme_count"] = pd.Series(dtype="int64")
        score_parts.append(empty)
    scored = pd.concat(score_parts, ignore_index=True)
    scored["model_version"] = model.version if model is not None else UNTRAINED
    scored["dictionary_version"] = dictionary_version
    scored["scored_at"] = scored_at
    mentions = pd.DataFrame(
        {
            "feedback_item_id": pd.Series(mention_ids, dtype="object"),
            "theme": pd.Series(mention_themes, dtype="object"),
            "dictionary_version": dictionary_version,
            "scored_at": scored_at,
        }
    )
    return scored, mentions


PHRASE_COLUMNS = (
    "language",
    "phrase",
    "phrase_words",
    "uncategorised_sentences",
    "uncategorised_sentences_read",
    "categorised_sentences",
    "categorised_sentences_read",
    "lift",
    "phrase_rank",
)


def _phrases_frame(
    conn: duckdb.DuckDBPyConnection,
    settings: TextSettings,
    matcher: ThemeMatcher,
    dictionary_version: str,
    now: datetime,
) -> pd.DataFrame:
    texts = _run(conn, "phrase_texts.sql", per_language=PHRASE_TEXTS_PER_LANGUAGE).df()
    rows = []
    for language, of_language in texts.groupby("language", sort=True):
        for phrase in uncategorised_phrases(
            str(language),
            of_language["text_value"].tolist(),
            matcher,
            max_words=settings.max_phrase_words,
            min_sentences=settings.min_phrase_sentences,
            limit=settings.phrases_per_language,
        ):
            rows.append(
                (
                    phrase.language,
                    phrase.phrase,
                    phrase.n_words,
                    phrase.uncategorised_sentences,
                    phrase.uncategorised_read,
                    phrase.categorised_sentences,
                    phrase.categorised_read,
                    phrase.lift,
                    phrase.phrase_rank,
                )
            )
    frame = pd.DataFrame(rows, columns=list(PHRASE_COLUMNS))
    frame["lift"] = frame["lift"].astype("float64")
    frame["dictionary_version"] = dictionary_version
    frame["scored_at"] = now
    return frame


def _phrases_are_current(conn: duckdb.DuckDBPyConnection, dictionary_version: str) -> bool:
    low, high, count = _run(conn, "phrases_version.sql").fetchone() or (None, None, 0)
    return bool(count) and low == high == dictionary_version


def score_texts(
    conn: duckdb.DuckDBPyConnection, settings: TextSettings, run_id: str | None = None
) -> ScoringResult:
    """One scoring run on an open warehouse connection (see the module docstring)."""
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    run_id = run_id or uuid.uuid4().hex
    ensure_text_tables(conn)
    dictionary = load_dictionary(settings.themes_path)
    matcher = ThemeMatcher(dictionary)
    input_texts = int(_scalar(conn, "input_texts.sql") or 0)

    detection_started = time.perf_counter()
    detected = _determine_languages(conn, settings)
    detection_seconds = time.perf_counter() - detection_started

    fit_started = time.perf_counter()
    fitted = _current_or_refitted_model(conn, settings, started_at)
    fit_seconds = time.perf_counter() - fit_started if fitted.refitted else 0.0
    pending = _run(
        conn,
        "texts_needing_scores.sql",
        model_version=fitted.version,
        dictionary_version=dictionary.version,
    ).df()
    scoring_started = time.perf_counter()
    scored, mentions = _score_pending(
        pending, fitted.model, matcher, dictionary.version, started_at
    )
    scoring_seconds = time.perf_counter() - scoring_started + detection_seconds
    undetermined = int((scored["language"] == UNDETERMINED).sum()) if len(scored) else 0

    conn.execute("begin transaction")
    try:
        if fitted.refitted:
            _write(conn, "store_model.sql", new_model=fitted.model_row, new_card=fitted.card)
        _write(conn, "replace_scores.sql", new_scores=scored, new_mentions=mentions)
        recounted = bool(len(scored)) or not _phrases_are_current(conn, dictionary.version)
        if recounted:
            phrases = _phrases_frame(conn, settings, matcher, dictionary.version, started_at)
            _write(conn, "replace_phrases.sql", new_phrases=phrases)
        # A run that scored nothing leaves the tables as they were, so the text marts
        # downstream see no change and are not rebuilt (orchestration/build_scope.py).
        if recounted or fitted.refitted:
            _run(conn, "stamp_model_card.sql", scored_at=started_at, model_version=fitted.version)
            _run(conn, "stamp_phrases.sql", scored_at=started_at)
        result = ScoringResult(
            run_id=run_id,
            input_texts=input_texts,
            languages_detected=detected,
            texts_scored=len(scored),
            undetermined_scored=undetermined,
            model_version=fitted.version,
            dictionary_version=dictionary.version,
            refitted=fitted.refitted,
            seconds=time.perf_counter() - started,
            scoring_seconds=scoring_seconds,
            fit_seconds=fit_seconds,
        )
        run_row = pd.DataFrame(
            {
                "run_id": [run_id],
                "started_at": [started_at],
                "finished_at": [datetime.now(UTC).replace(tzinfo=None)],
                "input_texts": [input_texts],
                "languages_detected": [detected],
                "texts_scored": [len(scored)],
                "undetermined_scored": [undetermined],
                "model_version": [fitted.version],
                "dictionary_version": [dictionary.version],
                "refitted": [fitted.refitted],
                "texts_per_second": pd.Series([result.texts_per_second], dtype="float64"),
            }
        )
        _write(conn, "record_run.sql", new_run=run_row)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return result


def score_warehouse(
    warehouse: Path, settings: TextSettings | None = None, run_id: str | None = None
) -> ScoringResult:
    """Open the warehouse and run score_texts on it."""
    conn = connect(warehouse)
    try:
        return score_texts(conn, settings or text_settings(), run_id)
    finally:
        conn.close()
