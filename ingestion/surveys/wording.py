"""Guess an item's instrument from its question wording, for surveys the registry lacks.

Guesses are reported (by `pulse detect` and in load logs) so a person can add the survey
to the registry; they never feed a metric on their own.
"""

from __future__ import annotations

import re

# Checked in this order: a recommend question often also mentions satisfaction.
_WORDINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "nps",
        re.compile(
            r"recommend|empfehlen|recommand|recomand|suosit|soovita|preporu|勧め|薦め|すすめ",
            re.IGNORECASE,
        ),
    ),
    (
        "ces",
        re.compile(
            r"\beasy\b|\beffort|einfach|aufwand|facile|helppo|vaivat|lihtne|\blako\b|jednostav"
            r"|ușor|usor|簡単|容易",
            re.IGNORECASE,
        ),
    ),
    (
        "csat",
        re.compile(
            r"satisf|zufrieden|tyytyv|rahul|zadovolj|mulțum|multum|満足",
            re.IGNORECASE,
        ),
    ),
)


def guess_instrument(question: str) -> str | None:
    """nps, ces or csat when the wording is one of the known ones, else None."""
    for instrument, pattern in _WORDINGS:
        if pattern.search(question):
            return instrument
    return None


def guess_items(questions: dict[str, str]) -> dict[str, str]:
    """item id -> guessed instrument, for the items whose wording is recognised."""
    guesses = {}
    for item_id, question in questions.items():
        instrument = guess_instrument(question)
        if instrument is not None:
            guesses[item_id] = instrument
    return guesses
