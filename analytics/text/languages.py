"""The language of every text: the vendor's when it gave one, else detected with lingua.

lingua ships its language models inside the wheel, so nothing is downloaded. Detection
runs in two passes: every text in low-accuracy mode (trigrams only, several times faster),
then the texts that mode was less than sure of again in high-accuracy mode. A text is
`und` when it is too short to tell related languages apart, when its best language is
still below the confidence threshold, or when it is written in two languages (judged
sentence by sentence, see _mixed_texts).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from analytics.text.features import sentences
from analytics.text.settings import UNDETERMINED, TextSettings

_PRIMARY_SUBTAG = re.compile(r"^([a-z]{2})(?:[-_].*)?$")
_LETTER = re.compile(r"[^\W\d_]")
# Kana, CJK ideographs and Hangul syllables each carry about a word's worth of letters.
_WIDE_LETTER = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def vendor_language(code: object) -> str | None:
    """A vendor's language code as ISO 639-1 (`EN`, `en-GB`, `pt_BR`, `ZH-S` -> en, en, pt,
    zh); None for no code (None, NaN, blank) or one that is not ISO 639-1 based."""
    if not isinstance(code, str) or not code.strip():
        return None
    match = _PRIMARY_SUBTAG.match(code.strip().lower())
    return match.group(1) if match else None


def letter_count(text: str) -> int:
    """Letters in the text, a Chinese, Japanese or Korean character counting as three."""
    return len(_LETTER.findall(text)) + 2 * len(_WIDE_LETTER.findall(text))


# A language the fast pass gave at least this share of its confidence is a candidate of
# the high-accuracy pass.
CANDIDATE_SHARE = 0.05
# The mixed-language test: sentences of at least this many letters, each at least this
# confident, and the sentences in other languages than the main one holding at least
# this share of the text's letters. English is always a candidate language of a sentence.
MIXED_SENTENCE_LETTERS = 20
MIXED_SENTENCE_CONFIDENCE = 0.95
MIXED_MINORITY_SHARE = 0.25
MIXED_ALWAYS_CANDIDATE = "en"
# Bump when the rules below change, so every detected language is determined again.
DETECTION_RULES_VERSION = "1"


def detector_version(settings: TextSettings) -> str:
    """What a detected language depends on: the rules, their settings and lingua."""
    values = {
        "rules": DETECTION_RULES_VERSION,
        "languages": sorted(settings.languages),
        "min_detection_letters": settings.min_detection_letters,
        "min_language_confidence": settings.min_language_confidence,
        "recheck_below_confidence": settings.recheck_below_confidence,
        "lingua": version("lingua-language-detector"),
    }
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Detection:
    language: str  # ISO 639-1, or "und"
    confidence: float | None  # lingua's confidence in `language`; None when not asked


def lingua_languages(codes: Sequence[str]) -> list[Language]:
    """lingua's Language for each ISO 639-1 code; an unknown code is a configuration error."""
    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError) as error:
            raise ValueError(f"PULSE_TEXT_LANGUAGES: lingua does not know {code!r}") from error
    return languages


@cache
def _detector(codes: frozenset[str], low_accuracy: bool) -> LanguageDetector:
    builder = LanguageDetectorBuilder.from_languages(*lingua_languages(sorted(codes)))
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


def _code(language: Language) -> str:
    return language.iso_code_639_1.name.lower()


def detect_languages(texts: Sequence[str], settings: TextSettings) -> list[Detection]:
    """One detection per text, in order.

    The high-accuracy pass weighs only the languages the fast pass gave at least
    CANDIDATE_SHARE of its confidence to for some unsure text: loading the high-accuracy
    models of every configured language takes up to 15 s, of four or five next to none,
    and the languages left out had almost none of the evidence anyway.
    """
    detections: list[Detection | None] = [None] * len(texts)
    asked: list[int] = []
    for index, text in enumerate(texts):
        if letter_count(text) < settings.min_detection_letters:
            detections[index] = Detection(UNDETERMINED, None)
        else:
            asked.append(index)
    best: dict[int, tuple[str, float]] = {}
    unsure: list[int] = []
    candidates: set[str] = set()
    if asked:
        fast = _detector(frozenset(settings.languages), True)
        for index, values in zip(
            asked,
            fast.compute_language_confidence_values_in_parallel([texts[i] for i in asked]),
            strict=True,
        ):
            if not values or values[0].value == 0:
                continue  # no configured language uses this script
            best[index] = (_code(values[0].language), float(values[0].value))
            if values[0].value < settings.recheck_below_confidence:
                unsure.append(index)
                candidates.update(
                    _code(value.language) for value in values if value.value >= CANDIDATE_SHARE
                )
    if len(candidates) > 1:
        careful = _detector(frozenset(candidates), False)
        for index, values in zip(
            unsure,
            careful.compute_language_confidence_values_in_parallel([texts[i] for i in unsure]),
            strict=True,
        ):
            if values and values[0].value > 0:
                best[index] = (_code(values[0].language), float(values[0].value))
    seen = {language for language, _ in best.values()} | {MIXED_ALWAYS_CANDIDATE}
    mixed = _mixed_texts(
        texts, [index for index in asked if index in best], seen & set(settings.languages)
    )
    for index in asked:
        language, confidence = best.get(index, (UNDETERMINED, 0.0))
        if confidence < settings.min_language_confidence or index in mixed:
            language = UNDETERMINED
        detections[index] = Detection(language, round(confidence, 4))
    return [detection for detection in detections if detection is not None]


def _mixed_texts(texts: Sequence[str], indexes: Sequence[int], candidates: set[str]) -> set[int]:
    """Texts written in two languages: two of their sentences long enough to judge
    (MIXED_SENTENCE_LETTERS) are each confidently (MIXED_SENTENCE_CONFIDENCE) in a
    different language, and the sentences in languages other than the text's main one
    hold at least MIXED_MINORITY_SHARE of its letters. A text in one language is seldom
    confidently read as another sentence by sentence, so this rarely fires on one.

    Sentences weigh only `candidates`: the languages some text of the batch was detected
    in, and English, the usual second language of a mixed text. Against all configured
    languages the sentence pass tripled the time of detection."""
    pieces: list[tuple[int, str, int]] = []  # text index, sentence, letters
    for index in indexes:
        parts = [
            (part, letter_count(part))
            for part in sentences(texts[index])
            if letter_count(part) >= MIXED_SENTENCE_LETTERS
        ]
        if len(parts) >= 2:
            pieces.extend((index, part, letters) for part, letters in parts)
    if not pieces:
        return set()
    if len(candidates) < 2:
        return set()
    fast = _detector(frozenset(candidates), True)
    values = fast.compute_language_confidence_values_in_parallel([part for _, part, _ in pieces])
    letters_by_language: dict[int, dict[str, int]] = {}
    for (index, _, letters), found in zip(pieces, values, strict=True):
        if found and found[0].value >= MIXED_SENTENCE_CONFIDENCE:
            by_language = letters_by_language.setdefault(index, {})
            code = _code(found[0].language)
            by_language[code] = by_language.get(code, 0) + letters
    mixed = set()
    for index, by_language in letters_by_language.items():
        if len(by_language) < 2:
            continue
        total = sum(by_language.values())
        if total - max(by_language.values()) >= MIXED_MINORITY_SHARE * total:
            mixed.add(index)
    return mixed
