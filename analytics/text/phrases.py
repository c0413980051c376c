"""Frequent phrases that no theme covers, per language: where to grow the dictionary.

Texts are read sentence by sentence, since a review that mentions delivery in one
sentence may complain about something the dictionary does not know in the next. A
sentence is uncategorised when no theme's pattern matches it. A phrase is one to
`max_phrase_words` consecutive words (in Japanese and Chinese, runs of kanji or
katakana), counted once per sentence.

Words common to every kind of sentence (articles, pronouns, "was") are as frequent in
sentences that do have a theme, so each phrase carries its lift: its share among the
uncategorised sentences over its share among the categorised ones of the same language.
Phrases with a lift under MIN_LIFT are left out. Where a language has no categorised
sentence at all (no dictionary entries for it yet) the lift is unknown and the most
frequent phrases are kept, so a new language shows its vocabulary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analytics.text.features import sentences
from analytics.text.themes import SUBSTRING_LANGUAGES, ThemeMatcher, normalise, words

# Twice as common among uncategorised sentences as among categorised ones.
MIN_LIFT = 2.0
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Phrase:
    language: str
    phrase: str
    n_words: int
    uncategorised_sentences: int  # uncategorised sentences holding it
    uncategorised_read: int  # uncategorised sentences of the language read
    categorised_sentences: int
    categorised_read: int
    lift: float | None
    phrase_rank: int


def _least_letters(language: str) -> int:
    # Two kanji or katakana make a word; an alphabetic word needs three letters to be
    # more than a particle, an article or an initial.
    return 2 if language in SUBSTRING_LANGUAGES else 3


def _joined(language: str, gram: Sequence[str]) -> str:
    return ("" if language in SUBSTRING_LANGUAGES else " ").join(gram)


def phrases_of(
    sentence: str, language: str, max_words: int, word_counts: dict[str, bool] | None = None
) -> dict[str, tuple[str, ...]]:
    """Each phrase of a sentence with its words. `word_counts` remembers, per word,
    whether it is long enough to carry a phrase (shared across calls)."""
    tokens = [token for token in words(normalise(sentence), language) if not token.isdigit()]
    least = _least_letters(language)
    counts = word_counts if word_counts is not None else {}
    carries = []
    for token in tokens:
        long_enough = counts.get(token)
        if long_enough is None:
            long_enough = counts[token] = len(_LETTER.findall(token)) >= least
        carries.append(long_enough)
    found = {}
    for size in range(1, max_words + 1):
        for start in range(len(tokens) - size + 1):
            if any(carries[start : start + size]):
                gram = tuple(tokens[start : start + size])
                found[_joined(language, gram)] = gram
    return found


def _subsumed(language: str, counts: dict[str, int], grams: dict[str, tuple[str, ...]]) -> set[str]:
    """Phrases that only ever occur inside a longer candidate: the same count as it."""
    hidden = set()
    for phrase, gram in grams.items():
        for size in range(1, len(gram)):
            for start in range(len(gram) - size + 1):
                part = _joined(language, gram[start : start + size])
                if counts.get(part) == counts[phrase]:
                    hidden.add(part)
    return hidden


def uncategorised_phrases(
    language: str,
    texts: Sequence[str],
    matcher: ThemeMatcher,
    *,
    max_words: int,
    min_sentences: int,
    limit: int,
) -> list[Phrase]:
    """The `limit` most frequent phrases of one language's uncategorised sentences that
    are at least MIN_LIFT times as common there as in its categorised sentences."""
    uncategorised: Counter[str] = Counter()
    categorised: Counter[str] = Counter()
    grams: dict[str, tuple[str, ...]] = {}
    read = {True: 0, False: 0}
    word_counts: dict[str, bool] = {}
    for text in texts:
        for sentence in sentences(text):
            found = phrases_of(sentence, language, max_words, word_counts)
            has_theme = bool(matcher.themes_of(sentence, language))
            read[has_theme] += 1
            (categorised if has_theme else uncategorised).update(found.keys())
            if not has_theme:
                grams.update(found)
    candidates = []
    for phrase, count in uncategorised.items():
        if count < min_sentences:
            continue
        lift = None
        if read[True]:
            # Add-one smoothing: a phrase no categorised sentence holds has a finite lift.
            expected = (categorised[phrase] + 1) / (read[True] + 2)
            lift = round((count / read[False]) / expected, 4)
            if lift < MIN_LIFT:
                continue
        candidates.append((phrase, count, lift))
    counts = {phrase: count for phrase, count, _ in candidates}
    hidden = _subsumed(language, counts, {phrase: grams[phrase] for phrase in counts})
    candidates = [candidate for candidate in candidates if candidate[0] not in hidden]
    candidates.sort(key=lambda item: (-item[1], -len(grams[item[0]]), item[0]))
    return [
        Phrase(
            language,
            phrase,
            len(grams[phrase]),
            count,
            read[False],
            categorised[phrase],
            read[True],
            lift,
            rank,
        )
        for rank, (phrase, count, lift) in enumerate(candidates[:limit], start=1)
    ]
