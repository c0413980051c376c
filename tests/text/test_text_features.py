"""The n-gram features are scikit-learn's char_wb n-grams, and sentences split as written."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from analytics.text.features import N_FEATURES, featurise, ngram_column, normalise, sentences

TEXTS = [
    "Delivery was fast, and the parcel arrived a day early!",
    "Die Größentabelle stimmt genau, die Stiefel passen perfekt.",
    "配送が早く、予定より1日早く届きました。",
    "Aplicația se blochează de fiecare dată când deschid coșul.",
    "a",
    "",
    "Ça va très_bien 42 -- l'application",
    "  spaces   between\twords\nand lines  ",
]


def expected_row(text: str) -> np.ndarray:
    """scikit-learn's char_wb n-grams of the normalised text, hashed as featurise hashes
    them, weighted 1 + log(count) and scaled to unit length."""
    analyzer = HashingVectorizer(analyzer="char_wb", ngram_range=(1, 4)).build_analyzer()
    counts = Counter(ngram_column(gram) for gram in analyzer(normalise(text)))
    row = np.zeros(N_FEATURES)
    for column, count in counts.items():
        row[column] = 1.0 + np.log(count)
    norm = np.linalg.norm(row)
    return row / norm if norm else row


def test_features_are_sklearn_char_wb_ngrams() -> None:
    matrix = featurise(TEXTS)
    assert matrix.shape == (len(TEXTS), N_FEATURES)
    for index, text in enumerate(TEXTS):
        assert np.allclose(matrix[index].toarray().ravel(), expected_row(text)), text


def test_a_text_gets_the_same_row_in_any_batch() -> None:
    alone = featurise([TEXTS[0]])
    batched = featurise(TEXTS[3:] + [TEXTS[0]] * 3000)  # several chunks
    assert np.allclose(batched[-1].toarray(), alone.toarray())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Good. Bad!  Ugly?\nFine", ["Good.", "Bad!", "Ugly?", "Fine"]),
        ("One sentence only.", ["One sentence only."]),
        ("配送が早い。アプリが落ちる。", ["配送が早い。", "アプリが落ちる。"]),
        ("v2.0 is out... ok", ["v2.0 is out...", "ok"]),
        ("!!!", ["!!!"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected
