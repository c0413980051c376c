"""On the sample, sentiment and themes agree with what the generator wrote each text from
(ingestion/sample_data/texts.py): the tone of at least 90% of texts in every language,
and its themes at a precision and a recall of at least 0.85 per language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb
import pytest
from text_sample import ScoredSample

from analytics.text.languages import vendor_language
from ingestion.sample_data.texts import LANGUAGES, known_tone_and_themes

pytestmark = pytest.mark.integration

MIN_TONE_AGREEMENT = 0.90
MIN_THEME_PRECISION = 0.85
MIN_THEME_RECALL = 0.85


@dataclass
class LanguageTally:
    texts: int = 0
    tone_agrees: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    detected: int = 0
    detected_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.tone_agrees / self.texts

    @property
    def precision(self) -> float:
        return self.true_positives / (self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return self.true_positives / (self.true_positives + self.false_negatives)


def tally(sample: ScoredSample) -> dict[str, LanguageTally]:
    with duckdb.connect(str(sample.warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select texts.text_value, texts.vendor_language, scores.language,"
            " scores.language_source, scores.sentiment_label, coalesce(scores.themes, '')"
            " from intermediate.int_feedback_texts as texts"
            " inner join analytics.text_scores as scores using (feedback_item_id)"
        ).fetchall()
    tallies: dict[str, LanguageTally] = defaultdict(LanguageTally)
    for text, vendor, language, source, label, themes in rows:
        # The generator's language: the vendor's, else the bank the text comes from.
        candidates = [vendor_language(vendor)] if vendor_language(vendor) else list(LANGUAGES)
        truth = next(
            (
                (candidate, *known_tone_and_themes(candidate, text))
                for candidate in candidates
                if known_tone_and_themes(candidate, text)[0] is not None
            ),
            None,
        )
        assert truth is not None, f"not a sample text: {text!r}"
        true_language, tone, true_themes = truth
        found = set(themes.split(", ")) - {""}
        counts = tallies[true_language]
        counts.texts += 1
        counts.tone_agrees += label == tone
        counts.true_positives += len(found & true_themes)
        counts.false_positives += len(found - true_themes)
        counts.false_negatives += len(true_themes - found)
        if source == "detected":
            counts.detected += 1
            counts.detected_right += language == true_language
        if label != tone and len(counts.misses) < 5:
            counts.misses.append(f"{label} for {tone}: {text}")
    return dict(tallies)


@pytest.fixture(scope="module")
def tallies(scored_sample: ScoredSample) -> dict[str, LanguageTally]:
    return tally(scored_sample)


def test_every_sample_language_is_scored(tallies: dict[str, LanguageTally]) -> None:
    assert set(tallies) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sentiment_agrees_with_the_generator(
    tallies: dict[str, LanguageTally], language: str
) -> None:
    counts = tallies[language]
    assert counts.agreement >= MIN_TONE_AGREEMENT, (counts.agreement, counts.misses)


@pytest.mark.parametrize("language", LANGUAGES)
def test_themes_agree_with_the_generator(tallies: dict[str, LanguageTally], language: str) -> None:
    counts = tallies[language]
    assert counts.precision >= MIN_THEME_PRECISION, counts
    assert counts.recall >= MIN_THEME_RECALL, counts


def test_detected_languages_are_the_generators(tallies: dict[str, LanguageTally]) -> None:
    detected = sum(counts.detected for counts in tallies.values())
    right = sum(counts.detected_right for counts in tallies.values())
    assert detected > 300  # the Google Forms comments carry no language
    assert right / detected >= 0.99
