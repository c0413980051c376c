"""Sentiment on -1..1 from a linear model of character n-grams, learned from rated texts.

The training labels are weak: the text's own rating (1-2 stars negative, 4-5 positive) or
its survey response's NPS or CSAT answer (int_feedback_texts decides). One logistic
regression (scikit-learn's SGDClassifier with log loss) learns from every labelled text,
whatever its language; a language with at least `min_labels_per_class` labelled texts of
each class also gets a model of its own, and the others are scored by the multilingual
one.

A text is scored sentence by sentence: each sentence's score is 2p - 1 for the model's
probability p that it is positive, and the text's score is the mean of its sentences'
scores weighted by their own strength (|score|), so a sentence that says nothing either
way does not dilute the ones that do, and a text whose praise and complaint weigh the
same scores near zero: neutral. Cross-validation scores held-out texts the same way and
judges the sign of the score against the weak label.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from analytics.text import features
from analytics.text.settings import TextSettings

MULTILINGUAL = "multilingual"
ALL_LANGUAGES = "all"
# Bump when features, training or scoring change in a way settings do not capture.
MODEL_FORMAT = "1"
SGD_PARAMETERS = {
    "loss": "log_loss",
    "alpha": 1e-4,
    "class_weight": "balanced",
    "random_state": 0,
    "max_iter": 50,
    "tol": 1e-4,
}


@dataclass(frozen=True)
class LinearWeights:
    coef: np.ndarray  # N_FEATURES float64
    intercept: float

    def sentence_scores(self, rows: sp.csr_matrix) -> np.ndarray:
        """2p - 1 per row, p the probability of positive: tanh(logit / 2)."""
        logits = rows @ self.coef + self.intercept
        return np.tanh(np.asarray(logits, dtype=np.float64) / 2.0)


@dataclass(frozen=True)
class SentimentModel:
    version: str
    multilingual: LinearWeights
    by_language: dict[str, LinearWeights]
    neutral_band: float

    def model_name(self, language: str) -> str:
        return language if language in self.by_language else MULTILINGUAL

    def score(self, texts: Sequence[str], languages: Sequence[str]) -> np.ndarray:
        """Each text's score on -1..1."""
        return _score_texts(
            texts, [self.by_language.get(language, self.multilingual) for language in languages]
        )

    def label(self, scores: np.ndarray) -> np.ndarray:
        return label_scores(scores, self.neutral_band)

    def to_bytes(self) -> bytes:
        """The weights as a compressed numpy archive (no pickle): only the non-zero
        weights, which are the n-grams seen in training."""
        arrays: dict[str, np.ndarray] = {}
        names = [MULTILINGUAL, *sorted(self.by_language)]
        for position, name in enumerate(names):
            weights = self.multilingual if name == MULTILINGUAL else self.by_language[name]
            nonzero = np.flatnonzero(weights.coef)
            arrays[f"index_{position}"] = nonzero.astype(np.int32)
            arrays[f"value_{position}"] = weights.coef[nonzero]
            arrays[f"intercept_{position}"] = np.array([weights.intercept])
        meta = {"version": self.version, "names": names, "neutral_band": self.neutral_band}
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, allow_pickle=False, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SentimentModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode())
            weights: dict[str, LinearWeights] = {}
            for position, name in enumerate(meta["names"]):
                coef = np.zeros(features.N_FEATURES, dtype=np.float64)
                coef[archive[f"index_{position}"]] = archive[f"value_{position}"]
                weights[name] = LinearWeights(coef, float(archive[f"intercept_{position}"][0]))
        multilingual = weights.pop(MULTILINGUAL)
        return cls(meta["version"], multilingual, weights, float(meta["neutral_band"]))


def label_scores(scores: np.ndarray, neutral_band: float) -> np.ndarray:
    return np.where(
        scores >= neutral_band, "positive", np.where(scores <= -neutral_band, "negative", "neutral")
    )


@dataclass(frozen=True)
class _Sentences:
    """The featurised sentences of a list of texts."""

    matrix: sp.csr_matrix
    text_of_sentence: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> _Sentences:
        split = [features.sentences(text) for text in texts]
        text_of_sentence = np.repeat(np.arange(len(texts)), [len(parts) for parts in split])
        matrix = features.featurise([sentence for parts in split for sentence in parts])
        return cls(matrix, text_of_sentence)

    def of_texts(self, indexes: np.ndarray) -> _Sentences:
        """The sentences of the texts at sorted `indexes`, renumbered 0.. in that order."""
        rows = np.flatnonzero(np.isin(self.text_of_sentence, indexes))
        renumbered = np.searchsorted(indexes, self.text_of_sentence[rows])
        return _Sentences(self.matrix[rows], renumbered)


def _score_texts(texts: Sequence[str], weights_per_text: Sequence[LinearWeights]) -> np.ndarray:
    """Strength-weighted mean of the sentence scores of each text."""
    if not texts:
        return np.empty(0, dtype=np.float64)
    return _score_sentences(_Sentences.of(texts), weights_per_text)


def _score_sentences(
    sentences: _Sentences, weights_per_text: Sequence[LinearWeights]
) -> np.ndarray:
    matrix, text_of_sentence = sentences.matrix, sentences.text_of_sentence
    n_texts = len(weights_per_text)
    # Every model's logit of every sentence in one product (sentences x models), then
    # each sentence's own: selecting each model's rows out of the matrix cost more.
    models: dict[int, tuple[int, LinearWeights]] = {}
    model_of_text = np.array(
        [models.setdefault(id(weights), (len(models), weights))[0] for weights in weights_per_text]
    )
    ordered = [weights for _, weights in sorted(models.values(), key=lambda item: item[0])]
    coefficients = np.column_stack([weights.coef for weights in ordered])
    intercepts = np.array([weights.intercept for weights in ordered])
    model_of_sentence = model_of_text[text_of_sentence]
    logits = np.asarray(matrix @ coefficients)[np.arange(matrix.shape[0]), model_of_sentence]
    sentence_scores = np.tanh((logits + intercepts[model_of_sentence]) / 2.0)
    strength = np.abs(sentence_scores)
    weighted = np.bincount(text_of_sentence, weights=sentence_scores * strength, minlength=n_texts)
    total = np.bincount(text_of_sentence, weights=strength, minlength=n_texts)
    return np.divide(weighted, total, out=np.zeros(n_texts), where=total > 0)


def _fit(matrix: sp.csr_matrix, labels: np.ndarray) -> LinearWeights:
    classifier = SGDClassifier(**SGD_PARAMETERS)
    classifier.fit(matrix, labels)
    return LinearWeights(classifier.coef_[0].astype(np.float64), float(classifier.intercept_[0]))


@dataclass(frozen=True)
class CardRow:
    """One row of the model card: how a language is scored and how well."""

    language: str
    model_used: str  # the language's own model, or "multilingual"
    is_fallback: bool
    fallback_reason: str | None
    n_labelled: int
    n_negative: int
    n_positive: int
    cv_folds: int  # 0 when not cross-validated
    cv_accuracy: float | None
    cv_macro_f1: float | None


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    languages: list[str]
    labels: np.ndarray  # 1 positive, 0 negative
    keys: list[str]  # feedback item ids, for the model version


def cv_folds(labels: np.ndarray, folds: int) -> int:
    """The folds cross-validation uses: no more than the smaller class has texts."""
    return min(folds, int(np.bincount(labels, minlength=2).min()))


def _cross_validated_scores(
    training: TrainingSet,
    rows: np.ndarray,
    matrix: sp.csr_matrix,
    sentences: _Sentences,
    folds: int,
) -> np.ndarray | None:
    """Held-out score of each of `rows`, every fold's model scoring its held-out texts
    sentence by sentence; None when a class has fewer than two texts (no two folds could
    both hold it)."""
    labels = training.labels[rows]
    folds = cv_folds(labels, folds)
    if folds < 2:
        return None
    held_out = np.zeros(len(rows), dtype=np.float64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for fit_part, test_part in splitter.split(rows, labels):
        weights = _fit(matrix[rows[fit_part]], labels[fit_part])
        tested = rows[test_part]  # ascending, as rows and test_part are
        held_out[test_part] = _score_sentences(sentences.of_texts(tested), [weights] * len(tested))
    return held_out


def _metrics(labels: np.ndarray, scores: np.ndarray | None) -> tuple[float | None, float | None]:
    if scores is None or len(labels) == 0:
        return None, None
    predicted = (scores >= 0).astype(int)
    accuracy = float(accuracy_score(labels, predicted))
    macro_f1 = float(f1_score(labels, predicted, average="macro", labels=[0, 1], zero_division=0))
    return round(accuracy, 4), round(macro_f1, 4)


def _used_folds(labels: np.ndarray, folds: int) -> int:
    used = cv_folds(labels, folds)
    return used if used >= 2 else 0


def model_version(training: TrainingSet, settings: TextSettings) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([MODEL_FORMAT, SGD_PARAMETERS, settings.model_fingerprint()]).encode())
    for key, language, label in sorted(
        zip(training.keys, training.languages, training.labels.tolist(), strict=True)
    ):
        digest.update(f"{key}\t{language}\t{label}\n".encode())
    return "sentiment-" + digest.hexdigest()[:12]


def fit_sentiment(
    training: TrainingSet, settings: TextSettings, languages_seen: Sequence[str] = ()
) -> tuple[SentimentModel, list[CardRow]]:
    """Fit the multilingual model and every language's own model where the labels allow,
    with cross-validated accuracy and macro-F1 per language. `languages_seen` adds card
    rows for languages that have texts but no labels (scored by the multilingual model)."""
    labels = training.labels
    if len(set(labels.tolist())) < 2:
        raise ValueError("sentiment needs labelled texts of both classes to learn from")
    folds = settings.cv_folds
    matrix = features.featurise(training.texts)
    sentences = _Sentences.of(training.texts)
    everything = np.arange(len(labels))
    multilingual = _fit(matrix, labels)
    multilingual_held_out = _cross_validated_scores(training, everything, matrix, sentences, folds)
    accuracy, macro_f1 = _metrics(labels, multilingual_held_out)
    card = [
        CardRow(
            ALL_LANGUAGES,
            MULTILINGUAL,
            False,
            None,
            len(labels),
            int((labels == 0).sum()),
            int((labels == 1).sum()),
            _used_folds(labels, folds),
            accuracy,
            macro_f1,
        )
    ]
    language_array = np.array(training.languages, dtype=object)
    own: dict[str, LinearWeights] = {}
    for language in sorted(set(training.languages) | set(languages_seen)):
        rows = np.flatnonzero(language_array == language)
        negatives = int((labels[rows] == 0).sum())
        positives = len(rows) - negatives
        enough = min(negatives, positives) >= settings.min_labels_per_class
        if enough:
            own[language] = _fit(matrix[rows], labels[rows])
            held_out = _cross_validated_scores(training, rows, matrix, sentences, folds)
            reason = None
        else:
            # How the multilingual model did on this language's held-out texts.
            held_out = None if multilingual_held_out is None else multilingual_held_out[rows]
            reason = (
                f"{negatives} negative and {positives} positive labelled texts;"
                f" a model of its own needs {settings.min_labels_per_class} of each"
            )
        accuracy, macro_f1 = _metrics(labels[rows], held_out)
        card.append(
            CardRow(
                language,
                language if enough else MULTILINGUAL,
                not enough,
                reason,
                len(rows),
                negatives,
                positives,
                # A fallback language's held-out texts are the multilingual model's folds.
                (_used_folds(labels[rows], folds) if enough else card[0].cv_folds)
                if held_out is not None and len(rows)
                else 0,
                accuracy,
                macro_f1,
            )
        )
    model = SentimentModel(
        model_version(training, settings), multilingual, own, settings.neutral_band
    )
    return model, card
