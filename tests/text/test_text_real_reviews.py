"""Cross-validated accuracy of the sentiment model on real rated reviews: the App Store
RSS feed (Japanese) and Google Places details (English, French) in
../shared/fixtures/real. Skips when that folder is absent."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from analytics.text.sentiment import ALL_LANGUAGES, TrainingSet, fit_sentiment
from analytics.text.settings import TextSettings


def rated_reviews(folder: Path) -> list[tuple[str, str, int]]:
    """(text, language, stars) of every review with a text and a rating."""
    reviews = []
    for path in sorted((folder / "reviews" / "apple_app_store_rss").glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))["feed"].get("entry", [])
        for entry in entries[1:]:  # entry 0 is the app
            text = f"{entry['title']['label']}. {entry['content']['label']}"
            reviews.append((text, "ja", int(entry["im:rating"]["label"])))
    for path in sorted((folder / "reviews" / "google_places").glob("*.json")):
        for review in json.loads(path.read_text(encoding="utf-8"))["result"].get("reviews", []):
            if review.get("text") and review["text"] != "redacted":
                reviews.append((review["text"], review["language"], int(review["rating"])))
    return reviews


def test_cross_validated_accuracy_on_real_reviews_beats_the_majority_class(
    real_fixtures: Path,
) -> None:
    # Weak labels as int_feedback_texts draws them: 1-2 stars negative, 4-5 positive.
    labelled = [
        (text, language, int(stars >= 4))
        for text, language, stars in rated_reviews(real_fixtures)
        if stars != 3
    ]
    texts, languages, labels = (list(column) for column in zip(*labelled, strict=True))
    training = TrainingSet(
        texts, languages, np.array(labels), [f"real-{index}" for index in range(len(texts))]
    )
    # The real files hold too few reviews for a language of its own at the default 50 per
    # class: the multilingual model is what scores them, and what is measured.
    _, card = fit_sentiment(training, TextSettings())
    [overall] = [row for row in card if row.language == ALL_LANGUAGES]
    majority = max(np.mean(labels), 1 - np.mean(labels))
    assert overall.n_labelled == len(texts) >= 50
    print(
        f"real reviews: {overall.n_labelled} labelled ({overall.n_negative} negative),"
        f" cross-validated accuracy {overall.cv_accuracy}, macro-F1 {overall.cv_macro_f1},"
        f" majority class {majority:.3f}"
    )
    assert overall.cv_accuracy is not None and overall.cv_accuracy > majority
