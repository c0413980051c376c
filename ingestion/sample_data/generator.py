"""Generate the full set of Northwind Outfitters landing files from one seed."""

from __future__ import annotations

import random
from pathlib import Path

from ingestion.sample_data.competitors import COMPETITOR_REVIEWS_FILE, write_competitor_reviews
from ingestion.sample_data.customers import write_customers
from ingestion.sample_data.orders import write_orders
from ingestion.sample_data.polls import write_polls
from ingestion.sample_data.registry import write_registry
from ingestion.sample_data.reviews import write_reviews
from ingestion.sample_data.surveys import write_google_forms, write_qualtrics

# Volumes at scale 1.0; orders follow from customer behaviour (about 14,000).
CUSTOMERS = 4_000
QUALTRICS_RESPONSES = 5_000
GOOGLE_FORMS_RESPONSES = 1_200
REVIEWS = 2_500
COMPETITOR_REVIEWS = 800  # per competitor brand
POLLS = 24
MIN_POLLS = 6  # one per topic, however small the scale


def _stream(seed: int, name: str) -> random.Random:
    """An independent generator per file family, so one family's changes leave the rest."""
    return random.Random(f"{seed}/{name}")


def _scaled(volume: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(volume * scale))


def generate_sample_data(out_dir: Path, seed: int = 42, scale: float = 1.0) -> dict[str, int]:
    """Write every landing file under `out_dir`; returns data rows per relative path.

    The same seed and scale always give byte-identical files.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out_dir = Path(out_dir)
    counts: dict[str, int] = {}

    roster = write_customers(
        _stream(seed, "customers"), _scaled(CUSTOMERS, scale), out_dir / "commerce/customers.csv"
    )
    counts["commerce/customers.csv"] = len(roster)
    orders_2024, orders_2025 = write_orders(
        _stream(seed, "orders"),
        roster,
        out_dir / "commerce/orders_2024.csv",
        out_dir / "commerce/orders_2025.csv",
    )
    counts["commerce/orders_2024.csv"] = orders_2024
    counts["commerce/orders_2025.csv"] = orders_2025

    qualtrics = write_qualtrics(
        _stream(seed, "qualtrics"),
        roster,
        out_dir / "surveys",
        _scaled(QUALTRICS_RESPONSES, scale),
    )
    counts.update({f"surveys/{name}": rows for name, rows in qualtrics.items()})
    counts["surveys/google_forms_post_purchase.csv"] = write_google_forms(
        _stream(seed, "google_forms"),
        roster,
        out_dir / "surveys/google_forms_post_purchase.csv",
        _scaled(GOOGLE_FORMS_RESPONSES, scale),
    )

    reviews = write_reviews(
        _stream(seed, "reviews"), roster, out_dir / "reviews", _scaled(REVIEWS, scale)
    )
    counts.update({f"reviews/{name}": rows for name, rows in reviews.items()})
    counts[f"reviews/{COMPETITOR_REVIEWS_FILE}"] = write_competitor_reviews(
        _stream(seed, "competitor_reviews"),
        out_dir / "reviews",
        _scaled(COMPETITOR_REVIEWS, scale),
    )
    counts["polls/poll_results_2025.csv"] = write_polls(
        _stream(seed, "polls"),
        out_dir / "polls/poll_results_2025.csv",
        _scaled(POLLS, scale, MIN_POLLS),
    )

    write_registry(out_dir / "survey_registry.yml")
    counts["survey_registry.yml"] = 0
    return counts
