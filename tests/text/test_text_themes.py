"""The theme dictionary: how patterns match, what a bad file says, and the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.text.settings import SHIPPED_THEMES, UNDETERMINED
from analytics.text.themes import (
    ThemeDictionaryError,
    ThemeMatcher,
    load_dictionary,
    stemmer_for,
)
from ingestion.sample_data.texts import FEEDBACK, LANGUAGES, THEMES

DICTIONARY = """
version: 1
themes:
  delivery:
    description: Getting the parcel.
    patterns:
      en: [parcel, deliver*, customer service]
      de: ["*lieferung", "*paket*"]
      hr: [paket]
      ja: [配送]
  price:
    patterns:
      en: [expensive]
      fi: ["*alennu*"]
"""


def matcher_of(tmp_path: Path, text: str = DICTIONARY) -> ThemeMatcher:
    path = tmp_path / "themes.yml"
    path.write_text(text, encoding="utf-8")
    return ThemeMatcher(load_dictionary(path))


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Two parcels went missing", "en", ("delivery",)),  # stemmed: parcels -> parcel
        ("It was DELIVERED late", "en", ("delivery",)),  # prefix, any case
        ("The customer service was rude", "en", ("delivery",)),  # words in a row
        ("The customer was served", "en", ()),  # not in a row
        ("Die Expresslieferung kam", "de", ("delivery",)),  # suffix
        ("Die Paketstation war voll", "de", ("delivery",)),  # infix
        ("Paket je stigao", "hr", ("delivery",)),  # no Croatian stemmer: the exact word
        ("Paketi su stigli", "hr", ()),
        ("配送が早い", "ja", ("delivery",)),  # a substring
        ("Jäsenalennus on mukava", "fi", ("price",)),
        ("Too expensive, parcel late", "en", ("delivery", "price")),
        ("Too expensive", "fi", ()),  # only the text's own language's patterns
        ("Too expensive", UNDETERMINED, ("price",)),  # und: every language's
        ("Too expensive", "nl", ()),  # a language without patterns
    ],
)
def test_patterns(tmp_path: Path, text: str, language: str, expected: tuple[str, ...]) -> None:
    assert matcher_of(tmp_path).themes_of(text, language) == expected


def test_version_changes_with_any_pattern(tmp_path: Path) -> None:
    first = matcher_of(tmp_path).dictionary.version
    assert matcher_of(tmp_path).dictionary.version == first
    changed = matcher_of(tmp_path, DICTIONARY.replace("[expensive]", "[expensive, pricey]"))
    assert changed.dictionary.version != first


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("themes: [delivery]", "expected a mapping with a `themes:` mapping"),
        ("themes:\n  Delivery:\n    patterns: {en: [x]}", "names are lower case"),
        ("themes:\n  delivery:\n    patterns: {english: [x]}", "not an ISO 639-1 code"),
        ("themes:\n  delivery:\n    patterns: {en: parcel}", "expected a list of text"),
        ("themes:\n  delivery:\n    patterns: {en: ['*']}", "a lone * matches every word"),
        ("themes: {delivery: [", "themes.yml"),
    ],
)
def test_a_bad_dictionary_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ThemeDictionaryError, match=message.replace("*", r"\*")):
        matcher_of(tmp_path, text)


def test_stemmers_exist_for_the_sample_languages_snowball_covers() -> None:
    covered = {language for language in LANGUAGES if stemmer_for(language) is not None}
    assert covered == {"en", "fi", "et", "ro", "de", "fr"}  # not hr, not ja
    assert stemmer_for("nl") is not None


def test_the_shipped_dictionary_has_every_sample_theme_in_every_sample_language() -> None:
    dictionary = load_dictionary(SHIPPED_THEMES)
    assert set(dictionary.themes) == set(THEMES)
    for theme in THEMES:
        assert set(LANGUAGES) | {"nl"} <= set(dictionary.patterns[theme]), theme


def test_the_shipped_dictionary_finds_the_theme_of_every_sample_sentence() -> None:
    matcher = ThemeMatcher(load_dictionary(SHIPPED_THEMES))
    for language, bank in FEEDBACK.items():
        for theme, sentences in bank.items():
            for sentence in sentences:
                assert matcher.themes_of(sentence, language) == (theme,), (language, sentence)
