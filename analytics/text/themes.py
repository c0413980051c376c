"""Themes from an analyst-owned dictionary: theme -> patterns per language.

A pattern is matched against the words of a text in its language (lower case, after
Unicode NFKC normalisation):

- `parcel`: the same word in any form the language's Snowball stemmer reduces to the
  same stem (parcels, parcel's); for a language without a stemmer, that exact word;
- `deliver*`, `*rabatt`, `*alennu*`: a word starting, ending or containing the letters
  (no stemming), for compounds and for languages without a stemmer;
- `customer service`: those words in a row, each matched as above;
- in languages written without spaces between words (Japanese, Chinese, Thai) every
  pattern is a plain substring of the text.

A text whose language is undetermined is matched against every language's patterns.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import snowballstemmer
import yaml

from analytics.text.settings import UNDETERMINED

# Bump when the matching rules change, so every text is matched again.
MATCHER_VERSION = "1"
SUBSTRING_LANGUAGES = frozenset({"ja", "zh", "th"})
# ISO 639-1 -> Snowball algorithm; only those the installed snowballstemmer has are used.
SNOWBALL_ALGORITHMS = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
_THEME_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
_WORD = re.compile(r"\w+")
# Words with a letter: numbers (order numbers, prices) never match a theme pattern.
_LETTER_WORD = re.compile(r"\w*[^\W\d_]\w*")
# Runs of one script, for languages written without spaces: katakana runs are mostly
# loanword nouns, kanji runs content words, hiragana runs particles and endings.
_SCRIPT_RUN = re.compile(
    r"[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]+|[\u4e00-\u9fff\u3400-\u4dbf]+|[^\W\d_\u3040-\u30ff\u4e00-\u9fff\u3400-\u4dbf]+"
)


_NONE: frozenset[str] = frozenset()


class ThemeDictionaryError(ValueError):
    """The theme dictionary cannot be read; the message names the file and the entry."""


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def words(text: str, language: str) -> list[str]:
    """The words of a normalised text: letter runs; for a language written without
    spaces, runs of kanji or katakana (hiragana particles dropped) and Latin words."""
    if language in SUBSTRING_LANGUAGES:
        return _SCRIPT_RUN.findall(text)
    return _WORD.findall(text)


def _stem_key(word: str) -> str:
    """The first two letters without accents (ß as s), as Snowball stems keep them."""
    folded = unicodedata.normalize("NFKD", word[:3].replace("ß", "ss"))
    return "".join(character for character in folded if not unicodedata.combining(character))[:2]


def stemmer_for(language: str) -> snowballstemmer.stemmer | None:
    algorithm = SNOWBALL_ALGORITHMS.get(language)
    if algorithm is None or algorithm not in snowballstemmer.algorithms():
        return None
    return snowballstemmer.stemmer(algorithm)


@dataclass(frozen=True)
class ThemeDictionary:
    """theme -> language -> patterns, as the analyst wrote them (normalised)."""

    patterns: dict[str, dict[str, tuple[str, ...]]]
    descriptions: dict[str, str]
    source: str  # the file it was read from

    @property
    def themes(self) -> list[str]:
        return sorted(self.patterns)

    @property
    def languages(self) -> list[str]:
        return sorted(
            {language for by_language in self.patterns.values() for language in by_language}
        )

    @property
    def version(self) -> str:
        """Changes whenever a pattern, the matching rules or the stemmers change."""
        canonical = json.dumps(
            {
                "patterns": {
                    theme: dict(sorted(by_language.items()))
                    for theme, by_language in sorted(self.patterns.items())
                },
                "matcher": MATCHER_VERSION,
                "snowballstemmer": version("snowballstemmer"),
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        return "themes-" + hashlib.sha256(canonical.encode()).hexdigest()[:12]


def load_dictionary(path: Path) -> ThemeDictionary:
    """Read and check a theme dictionary YAML file."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ThemeDictionaryError(f"{path}: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("themes"), dict):
        raise ThemeDictionaryError(f"{path}: expected a mapping with a `themes:` mapping")
    patterns: dict[str, dict[str, tuple[str, ...]]] = {}
    descriptions: dict[str, str] = {}
    for theme, entry in document["themes"].items():
        if not isinstance(theme, str) or not _THEME_NAME.match(theme):
            raise ThemeDictionaryError(
                f"{path}: theme {theme!r}: names are lower case letters, digits and _"
            )
        if not isinstance(entry, dict) or not isinstance(entry.get("patterns"), dict):
            raise ThemeDictionaryError(f"{path}: theme {theme}: expected `patterns:` by language")
        descriptions[theme] = str(entry.get("description") or "")
        by_language: dict[str, tuple[str, ...]] = {}
        for language, listed in entry["patterns"].items():
            if not isinstance(language, str) or not _LANGUAGE_CODE.match(language):
                raise ThemeDictionaryError(
                    f"{path}: theme {theme}: {language!r} is not an ISO 639-1 code (en, fi, ...)"
                )
            if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
                raise ThemeDictionaryError(
                    f"{path}: theme {theme}, {language}: expected a list of text"
                )
            cleaned = tuple(sorted({" ".join(normalise(item).split()) for item in listed} - {""}))
            if any(piece in {"*", "**"} for item in cleaned for piece in item.split()):
                raise ThemeDictionaryError(
                    f"{path}: theme {theme}, {language}: a lone * matches every word"
                )
            by_language[language] = cleaned
        patterns[theme] = by_language
    return ThemeDictionary(patterns, descriptions, str(path))


@dataclass(frozen=True)
class _WordRule:
    kind: str  # stem | prefix | suffix | infix | exact
    value: str


def _word_rule(word: str, stemmer: snowballstemmer.stemmer | None) -> _WordRule:
    starts, ends = word.startswith("*"), word.endswith("*")
    core = word.strip("*")
    if starts and ends:
        return _WordRule("infix", core)
    if ends:
        return _WordRule("prefix", core)
    if starts:
        return _WordRule("suffix", core)
    if stemmer is not None:
        return _WordRule("stem", stemmer.stemWord(core))
    return _WordRule("exact", core)


@dataclass
class LanguageMatcher:
    """The patterns of one language, compiled; remembers what each word it saw matches."""

    language: str
    stemmer: snowballstemmer.stemmer | None
    rule_ids: dict[_WordRule, int] = field(default_factory=dict)
    themes_of_rule: dict[int, frozenset[str]] = field(default_factory=dict)  # one word
    # Patterns of several words, by the rule of their first word.
    phrases: dict[int, list[tuple[tuple[int, ...], str]]] = field(default_factory=dict)
    substrings: list[tuple[str, str]] = field(default_factory=list)
    stem_keys: set[str] = field(default_factory=set)
    _word_cache: dict[str, frozenset[int]] = field(default_factory=dict)

    def add(self, pattern: str, theme: str) -> None:
        if self.language in SUBSTRING_LANGUAGES:
            self.substrings.append((pattern.replace("*", ""), theme))
            return
        ids = tuple(self._rule_id(_word_rule(word, self.stemmer)) for word in pattern.split())
        if len(ids) == 1:
            self.themes_of_rule[ids[0]] = self.themes_of_rule.get(ids[0], _NONE) | {theme}
        else:
            self.phrases.setdefault(ids[0], []).append((ids, theme))

    def _rule_id(self, rule: _WordRule) -> int:
        if rule.kind == "stem":
            self.stem_keys.add(_stem_key(rule.value))
        return self.rule_ids.setdefault(rule, len(self.rule_ids))

    def _rules_of(self, word: str) -> frozenset[int]:
        """The rules a word matches (computed once per distinct word)."""
        # Snowball is pure Python (25-65 µs a word): only a word that starts like some
        # stem pattern is stemmed. Stems keep a word's first letters, but for a handful
        # of irregular forms (dying -> die) and spelling (ß -> ss), which the
        # accent-folded two-letter key allows for.
        stem = None
        if self.stemmer is not None and _stem_key(word) in self.stem_keys:
            stem = self.stemmer.stemWord(word)
        matched = set()
        for rule, rule_id in self.rule_ids.items():
            if (
                (rule.kind == "stem" and rule.value == stem)
                or (rule.kind == "exact" and rule.value == word)
                or (rule.kind == "prefix" and word.startswith(rule.value))
                or (rule.kind == "suffix" and word.endswith(rule.value))
                or (rule.kind == "infix" and rule.value in word)
            ):
                matched.add(rule_id)
        result = frozenset(matched)
        self._word_cache[word] = result
        return result

    def match(self, text: str) -> set[str]:
        """Themes of a normalised text."""
        if self.language in SUBSTRING_LANGUAGES:
            return {theme for fragment, theme in self.substrings if fragment in text}
        found: set[str] = set()
        cache = self._word_cache
        rules = []
        for word in _LETTER_WORD.findall(text):
            matched = cache.get(word)
            rules.append(matched if matched is not None else self._rules_of(word))
        for start, matched in enumerate(rules):
            if not matched:
                continue
            for rule_id in matched:
                found |= self.themes_of_rule.get(rule_id, _NONE)
                for ids, theme in self.phrases.get(rule_id, ()):
                    end = start + len(ids)
                    if end <= len(rules) and all(
                        rule in rules[position] for position, rule in enumerate(ids[1:], start + 1)
                    ):
                        found.add(theme)
        return found


class ThemeMatcher:
    """Every language's matcher for one dictionary."""

    def __init__(self, dictionary: ThemeDictionary) -> None:
        self.dictionary = dictionary
        self.by_language: dict[str, LanguageMatcher] = {}
        for theme, by_language in dictionary.patterns.items():
            for language, patterns in by_language.items():
                matcher = self.by_language.get(language)
                if matcher is None:
                    matcher = LanguageMatcher(language, stemmer_for(language))
                    self.by_language[language] = matcher
                for pattern in patterns:
                    matcher.add(pattern, theme)

    def themes_of(self, text: str, language: str) -> tuple[str, ...]:
        """Sorted themes of one text in `language` (every language's when undetermined)."""
        normalised = normalise(text)
        if language == UNDETERMINED:
            matchers: Iterable[LanguageMatcher] = self.by_language.values()
        else:
            own = self.by_language.get(language)
            matchers = [own] if own is not None else []
        found: set[str] = set()
        for matcher in matchers:
            found |= matcher.match(normalised)
        return tuple(sorted(found))

    def match_all(self, texts: Sequence[str], languages: Sequence[str]) -> list[tuple[str, ...]]:
        return [
            self.themes_of(text, language) for text, language in zip(texts, languages, strict=True)
        ]
