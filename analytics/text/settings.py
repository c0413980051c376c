"""Settings of the text scoring: languages, thresholds and where the theme dictionary is.

Read from the environment when asked for (never at import); every default is explained
in docs/methods.md, and the ones a deployment is likely to change have a PULSE_TEXT_*
variable.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingestion import settings as pulse_settings

# The languages the detector chooses among. The sample's (en, fi, et, hr, ro, de, fr, ja),
# Dutch, and the most spoken languages of the other large EU and EEA markets (es, it, pt,
# pl, sv, da, nb, cs, hu); then the largest customer groups writing in another script
# (ru, uk, el, ar, zh, ko), which cost next to nothing, since lingua tells a script by its
# letters before it weighs n-grams. Every Latin-script language costs detection time (on
# the sample, 16 languages ran about twice as fast as 30) and is one more language to
# be mistaken for, so close relatives that would need no dictionary of their own are left
# out: Slovak reads as Czech, Bosnian and Serbian as Croatian, Nynorsk as Bokmål.
# PULSE_TEXT_LANGUAGES replaces the list.
DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en",
    "de",
    "fr",
    "nl",
    "es",
    "it",
    "pt",
    "pl",
    "sv",
    "da",
    "nb",
    "fi",
    "et",
    "hr",
    "ro",
    "cs",
    "hu",
    "ru",
    "uk",
    "el",
    "ar",
    "zh",
    "ja",
    "ko",
)
UNDETERMINED = "und"
THEMES_FILE_NAME = "text_themes.yml"
SHIPPED_THEMES = Path(__file__).resolve().parent / "themes.yml"


@dataclass(frozen=True)
class TextSettings:
    # Language detection.
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    # Fewer letters than this (a Chinese or Japanese character counts as three) and the
    # detector is not asked: one or two words do not tell related languages apart.
    min_detection_letters: int = 10
    # Below this confidence (lingua's share of the evidence for its best language among
    # all configured ones) the text is undetermined: no language has even odds.
    min_language_confidence: float = 0.5
    # A low-accuracy (trigram) detection less confident than this is redone in
    # high-accuracy mode; on the sample that redoes 2% of the texts and brings the fast
    # mode's 56 wrong languages (of 5,956 texts) down to 2.
    recheck_below_confidence: float = 0.95

    # Sentiment.
    # |score| below this is neutral: a text whose praise and complaints weigh about the
    # same (the sentence scores are averaged), or that says nothing either way.
    neutral_band: float = 0.3
    # A language gets a model of its own with at least this many labelled texts of each
    # class, enough for five-fold cross-validation to hold ten of each per fold; below
    # it, the multilingual model scores that language.
    min_labels_per_class: int = 50
    # Refit when the labelled texts grew by this share since the current model was fitted.
    refit_new_label_share: float = 0.10
    # Training texts per language (the most recent); beyond some tens of thousands a
    # linear n-gram model gains little, and the cap bounds the refit time.
    max_training_texts_per_language: int = 20_000
    cv_folds: int = 5
    # The asset check fails when a language's own model (or the multilingual one) has a
    # cross-validated macro-F1 below this (see docs/methods.md for why 0.70).
    min_macro_f1: float = 0.70

    # The undetermined-language check: the share of undetermined texts among the texts a
    # run scored may rise by at most this much over the previous run's (0.10 = 10 points),
    # judged only when the run scored at least und_check_min_texts texts.
    und_share_max_rise: float = 0.10
    und_check_min_texts: int = 100

    # Uncategorised phrases.
    max_phrase_words: int = 3
    min_phrase_sentences: int = 5
    phrases_per_language: int = 50

    themes_path: Path = field(default=SHIPPED_THEMES)

    def model_fingerprint(self) -> str:
        """What a fitted sentiment model depends on besides its training texts."""
        keys = (
            "neutral_band",
            "min_labels_per_class",
            "max_training_texts_per_language",
            "cv_folds",
        )
        values = {key: asdict(self)[key] for key in keys}
        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


def themes_path() -> Path:
    """The theme dictionary: PULSE_TEXT_THEMES, else text_themes.yml beside the survey
    registry when there is one, else the dictionary shipped with the project."""
    configured = os.environ.get("PULSE_TEXT_THEMES")
    if configured:
        return Path(configured).expanduser().resolve()
    beside_registry = pulse_settings.survey_registry_path().parent / THEMES_FILE_NAME
    return beside_registry if beside_registry.is_file() else SHIPPED_THEMES


def _float_from_env(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def text_settings() -> TextSettings:
    """Settings from the environment: PULSE_TEXT_LANGUAGES (comma-separated ISO 639-1
    codes), PULSE_TEXT_THEMES, PULSE_TEXT_REFIT_SHARE, PULSE_TEXT_MIN_MACRO_F1."""
    defaults = TextSettings()
    languages = os.environ.get("PULSE_TEXT_LANGUAGES")
    return TextSettings(
        languages=tuple(code.strip().lower() for code in languages.split(",") if code.strip())
        if languages
        else defaults.languages,
        refit_new_label_share=_float_from_env(
            "PULSE_TEXT_REFIT_SHARE", defaults.refit_new_label_share
        ),
        min_macro_f1=_float_from_env("PULSE_TEXT_MIN_MACRO_F1", defaults.min_macro_f1),
        themes_path=themes_path(),
    )
