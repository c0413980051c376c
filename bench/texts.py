"""A seeded set of feedback texts for the text-scoring stages, written straight into the
table the scorer reads (intermediate.int_feedback_texts), without running the pipeline.

Texts are one to three sentences of the sample's sentence bank (ingestion/sample_data/
texts.py) in its eight languages: praise, complaints, or both. Half carry an order
number, so few texts repeat exactly. A fifth have no vendor language (the scorer detects
it); reviews get stars and survey comments an NPS group that follow the tone, which gives
the weak labels the sentiment model learns from.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.sample_data.texts import FEEDBACK, LANGUAGES, THEMES

NO_VENDOR_LANGUAGE_SHARE = 0.2
REVIEW_SHARE = 0.4
TONES = (("positive", 0.6), ("negative", 0.2), ("mixed", 0.2))
PLATFORMS = ("trustpilot", "google", "app_store", "google_play", "yelp")
TOUCHPOINTS = ("support", "checkout", "delivery", "product", "website")
PRODUCTS = ("footwear", "outerwear", "backpacks", "camping", "accessories")
START = datetime(2024, 1, 1)
SPAN_SECONDS = 2 * 365 * 24 * 3600


def _text(rng: random.Random, language: str, tone: str) -> str:
    bank = FEEDBACK[language]
    themes = rng.sample(THEMES, 3)
    if tone == "mixed":
        sentences = [bank[themes[0]][0], bank[themes[1]][1]]
    else:
        side = 0 if tone == "positive" else 1
        sentences = [bank[theme][side] for theme in themes[: rng.randint(1, 3)]]
    if rng.random() < 0.5:
        sentences.append(f"#{rng.randrange(10**6):06d}.")
    return ("" if language == "ja" else " ").join(sentences)


def text_rows(count: int, seed: int, first_id: int = 0) -> pd.DataFrame:
    rng = random.Random(seed * 1_000_003 + first_id)
    rows = []
    for index in range(first_id, first_id + count):
        language = rng.choice(LANGUAGES)
        tone = rng.choices([name for name, _ in TONES], [share for _, share in TONES])[0]
        review = rng.random() < REVIEW_SHARE
        rating = nps_group = None
        if review:
            rating = {"positive": rng.choice((4, 5)), "negative": rng.choice((1, 2))}.get(tone, 3)
        else:
            nps_group = {"positive": "promoter", "negative": "detractor"}.get(tone, "passive")
        label = {"positive": "positive", "negative": "negative"}.get(tone)
        rows.append(
            {
                "feedback_item_id": f"bench-text-{index:09d}",
                "source": rng.choice(PLATFORMS) if review else "qualtrics",
                "channel": "review" if review else "survey",
                "survey_id": None if review else "relationship_nps",
                "text_value": _text(rng, language, tone),
                "vendor_language": None
                if rng.random() < NO_VENDOR_LANGUAGE_SHARE
                else language.upper(),
                "customer_id": None,
                "touchpoint": None if review else rng.choice(TOUCHPOINTS),
                "product": rng.choice(PRODUCTS),
                "location": None,
                "occurred_at": START + timedelta(seconds=rng.randrange(SPAN_SECONDS)),
                "rating": rating,
                "nps_group": nps_group,
                "is_csat_top_box": None,
                "weak_label": label,
                "label_source": ("star_rating" if review else "nps") if label else None,
                "brand": None,
                "is_own_brand": True,
            }
        )
    return pd.DataFrame(rows)


# The columns and types of the dbt model int_feedback_texts the scorer reads.
COLUMNS = {
    "feedback_item_id": "varchar",
    "source": "varchar",
    "channel": "varchar",
    "survey_id": "varchar",
    "text_value": "varchar",
    "text_hash": "varchar",
    "vendor_language": "varchar",
    "customer_id": "varchar",
    "touchpoint": "varchar",
    "product": "varchar",
    "location": "varchar",
    "occurred_at": "timestamp",
    "rating": "double",
    "nps_group": "varchar",
    "is_csat_top_box": "boolean",
    "weak_label": "varchar",
    "label_source": "varchar",
    "brand": "varchar",
    "is_own_brand": "boolean",
}


def write_texts(warehouse: Path, count: int, seed: int = 7, first_id: int = 0) -> int:
    """Add `count` texts to the warehouse's int_feedback_texts (created when missing)."""
    frame = text_rows(count, seed, first_id)
    # Names and types come from COLUMNS above, never from input.
    definition = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
    selected = ", ".join(
        "md5(text_value)" if name == "text_hash" else f"cast({name} as {kind})"
        for name, kind in COLUMNS.items()
    )
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema if not exists intermediate")
        conn.execute(f"create table if not exists intermediate.int_feedback_texts ({definition})")
        conn.register("new_texts", frame)
        # By name: the dbt model has bookkeeping columns (scored_at) these texts leave null.
        conn.execute(
            f"insert into intermediate.int_feedback_texts ({', '.join(COLUMNS)})"
            f" select {selected} from new_texts"
        )
        conn.unregister("new_texts")
    return count
