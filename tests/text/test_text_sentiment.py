"""The sentiment model: per-language models where labels allow, the multilingual one
elsewhere, sentence-weighted scores, a stable version and weights that round-trip."""

from __future__ import annotations

import random

import numpy as np
import pytest

from analytics.text.sentiment import (
    ALL_LANGUAGES,
    MULTILINGUAL,
    SentimentModel,
    TrainingSet,
    fit_sentiment,
)
from analytics.text.settings import TextSettings
from ingestion.sample_data.texts import FEEDBACK, THEMES, feedback_text

# Enough labelled texts of each class for en and fi to get models of their own; ja not.
COUNTS = {"en": 160, "fi": 160, "ja": 30}


def training_set(seed: int = 3) -> TrainingSet:
    rng = random.Random(seed)
    texts, languages, labels = [], [], []
    for language, count in COUNTS.items():
        for index in range(count):
            positive = index % 2 == 0
            texts.append(feedback_text(rng, language, rng.choice(THEMES), 0.9 if positive else 0.1))
            languages.append(language)
            labels.append(1 if positive else 0)
    keys = [f"item-{index:04d}" for index in range(len(texts))]
    return TrainingSet(texts, languages, np.array(labels), keys)


@pytest.fixture(scope="module")
def fitted() -> tuple[SentimentModel, list]:
    return fit_sentiment(training_set(), TextSettings(), languages_seen=["ja", "nl"])


def test_languages_with_enough_labels_get_their_own_model(fitted: tuple) -> None:
    model, card = fitted
    assert sorted(model.by_language) == ["en", "fi"]
    rows = {row.language: row for row in card}
    assert set(rows) == {ALL_LANGUAGES, "en", "fi", "ja", "nl"}
    assert rows["en"].model_used == "en" and not rows["en"].is_fallback
    assert rows["ja"].model_used == MULTILINGUAL and rows["ja"].is_fallback
    assert rows["ja"].fallback_reason == (
        "15 negative and 15 positive labelled texts; a model of its own needs 50 of each"
    )
    # A language with texts but no labels is scored by the multilingual model, unmeasured.
    assert rows["nl"].is_fallback and rows["nl"].n_labelled == 0
    assert rows["nl"].cv_accuracy is None and rows["nl"].cv_macro_f1 is None
    assert rows["nl"].cv_folds == 0 and rows["en"].cv_folds == rows["ja"].cv_folds == 5
    assert rows[ALL_LANGUAGES].n_labelled == sum(COUNTS.values())
    for language in (ALL_LANGUAGES, "en", "fi", "ja"):
        assert rows[language].cv_macro_f1 is not None and rows[language].cv_macro_f1 >= 0.9


def test_scores_follow_the_tone_and_mixed_texts_are_neutral(fitted: tuple) -> None:
    model, _ = fitted
    praise, complaint = FEEDBACK["en"]["delivery"]
    other_praise, _ = FEEDBACK["en"]["price"]
    texts = [praise, complaint, f"{other_praise} {complaint}", FEEDBACK["ja"]["app"][1]]
    scores = model.score(texts, ["en", "en", "en", "ja"])
    assert scores[0] > 0.5 and scores[1] < -0.5 and scores[3] < -0.3
    assert list(model.label(scores)[:3]) == ["positive", "negative", "neutral"]
    assert model.model_name("ja") == MULTILINGUAL and model.model_name("en") == "en"


def test_weights_round_trip_without_pickle(fitted: tuple) -> None:
    model, _ = fitted
    restored = SentimentModel.from_bytes(model.to_bytes())
    texts = [sentence for sentences in FEEDBACK["fi"].values() for sentence in sentences]
    languages = ["fi"] * len(texts)
    assert restored.version == model.version
    assert np.array_equal(restored.score(texts, languages), model.score(texts, languages))


def test_the_version_is_the_training_data_and_settings() -> None:
    first, _ = fit_sentiment(training_set(), TextSettings())
    again, _ = fit_sentiment(training_set(), TextSettings())
    assert again.version == first.version
    relabelled = training_set()
    relabelled.labels[0] = 1 - relabelled.labels[0]
    assert fit_sentiment(relabelled, TextSettings())[0].version != first.version
    wider_band, _ = fit_sentiment(training_set(), TextSettings(neutral_band=0.4))
    assert wider_band.version != first.version


def test_one_class_alone_cannot_be_learned() -> None:
    training = training_set()
    only_positive = TrainingSet(
        training.texts, training.languages, np.ones_like(training.labels), training.keys
    )
    with pytest.raises(ValueError, match="both classes"):
        fit_sentiment(only_positive, TextSettings())
